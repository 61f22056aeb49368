"""Write tests/fixtures/cdnow_lifetimes.json: what the `lifetimes` package gives on the CDNOW
1/10 sample as of 1997-09-30, the check tests/engine/test_forecast.py makes against carteira's own
model. Not a dependency of carteira: run it with a throwaway virtualenv's python,

    python3 -m venv /tmp/lt && /tmp/lt/bin/pip install lifetimes
    /tmp/lt/bin/python scripts/lifetimes_fixture.py

The per-buyer inputs follow DESIGN.md "forecast", in days: x = purchase days − 1,
t_x = last − first purchase, T = as-of − first purchase, m = mean revenue of the repeat days.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np
from lifetimes import BetaGeoFitter, GammaGammaFitter

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "fixtures" / "cdnow_sample.txt"
TARGET = ROOT / "tests" / "fixtures" / "cdnow_lifetimes.json"
AS_OF = date(1997, 9, 30)
CLIENTS = 50


def summary() -> dict[str, tuple[float, float, float, float]]:
    days: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for line in SOURCE.read_text().splitlines():
        _, client, when, _, amount = line.split()
        day = date(int(when[:4]), int(when[4:6]), int(when[6:]))
        if day <= AS_OF:
            days[client][day] += float(amount)
    out = {}
    for client, per_day in days.items():
        ordered = sorted(per_day)
        x = len(ordered) - 1
        repeat = sum(per_day[d] for d in ordered[1:])
        out[client] = (
            float(x),
            float((ordered[-1] - ordered[0]).days),
            float((AS_OF - ordered[0]).days),
            repeat / x if x else 0.0,
        )
    return out


def main() -> None:
    rows = summary()
    ids = sorted(rows, key=int)
    x, t_x, t_cal, m = (np.array([rows[i][k] for i in ids]) for k in range(4))
    bg = BetaGeoFitter(penalizer_coef=0.0)
    bg.fit(x, t_x, t_cal)
    keep = (x > 0) & (m > 0)
    gg = GammaGammaFitter(penalizer_coef=0.0)
    gg.fit(x[keep], m[keep])
    # 50 buyers spread over the portfolio: every 47th, plus a few chosen for their shape
    chosen = ids[::47][:CLIENTS]
    index = {c: i for i, c in enumerate(ids)}
    at = np.array([index[c] for c in chosen])
    alive = bg.conditional_probability_alive(x[at], t_x[at], t_cal[at])
    orders_90 = bg.conditional_expected_number_of_purchases_up_to_time(
        90, x[at], t_x[at], t_cal[at]
    )
    ticket = gg.conditional_expected_average_profit(x[at], m[at])
    payload = {
        "as_of": AS_OF.isoformat(),
        "buyers": len(ids),
        "bgnbd": {k: float(v) for k, v in bg.params_.items()},
        "gamma_gamma": {k: float(v) for k, v in gg.params_.items()},
        "clients": [
            {
                "client": c,
                "x": x[i],
                "t_x": t_x[i],
                "T": t_cal[i],
                "m": m[i],
                "p_alive": float(alive[j]),
                "expected_orders_90d": float(orders_90[j]),
                "expected_ticket": float(np.asarray(ticket)[j]),
            }
            for j, (c, i) in enumerate(zip(chosen, at, strict=True))
        ],
    }
    TARGET.write_text(json.dumps(payload, indent=1) + "\n")
    print(payload["bgnbd"], payload["gamma_gamma"])


if __name__ == "__main__":
    main()
