"""Explain one client's numbers: which rule matched, which thresholds it crossed, the values.

Called by services.segmentation.explain_client (the client card and `carteira explain`) with the
per-client result frame of the whole portfolio, because scores and classes are positions among
all clients. Every line is pt-BR text for people; `values` keeps the raw numbers for programs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from carteira_tui.config import Settings
from carteira_tui.engine import forecast, metrics
from carteira_tui.engine.schema import ID
from carteira_tui.engine.segments import CompiledSegment
from carteira_tui.model import Col, cents_to_brl, format_count, format_decimal, format_percent
from carteira_tui.vocab import explain as words


@dataclass(frozen=True)
class ScoreExplanation:
    """How one RFM score came out: the value scored, its "min" rank among n buyers."""

    name: str
    value: float | None
    rank: int | None
    n: int
    score: int | None


@dataclass(frozen=True)
class ClientExplanation:
    """Everything behind one client's result row."""

    external_id: str
    name: str
    as_of: date
    row: dict[str, Any]
    scores: list[ScoreExplanation]
    abc_cum_before_cents: int | None
    abc_total_cents: int
    segment_trace: list[tuple[str, bool]]
    lines: list[str] = field(default_factory=list)


def _fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _score(
    frame: pl.DataFrame, name: str, value: float | None, score: int | None
) -> ScoreExplanation:
    column = {
        "r": -pl.col(Col.RECENCY_DAYS),
        "f": pl.col(Col.FREQUENCY),
        "m": pl.col(Col.MONETARY_CENTS),
    }[name]
    values = frame.select(column.alias("x")).get_column("x").drop_nulls()
    n = values.len()
    rank = None if value is None else int((values < value).sum()) + 1
    return ScoreExplanation(name, value, rank, n, score)


def _score_value(item: ScoreExplanation) -> str:
    """The value a score ranks, in people's units (r ranks minus the recency)."""
    value = int(item.value) if item.value is not None else 0
    if item.name == "r":
        return words.score_recency(-value)
    if item.name == "f":
        return words.score_orders(format_count(value))
    return words.score_value(cents_to_brl(value))


def explain_client(
    frame: pl.DataFrame,
    client_id: int,
    *,
    as_of: date,
    settings: Settings,
    segments: Sequence[CompiledSegment] = (),
) -> ClientExplanation:
    """Explain the result row of internal id `client_id` within the portfolio `frame`."""
    matches = frame.filter(pl.col(ID) == client_id)
    if matches.height != 1:
        raise KeyError(client_id)
    row = matches.row(0, named=True)
    lines: list[str] = []
    recency = row[Col.RECENCY_DAYS]
    if recency is None:
        lines.append(words.PROSPECT)
    else:
        lines.append(
            words.purchases(
                _fmt_date(row[Col.LAST_PURCHASE]),
                _fmt_date(row[Col.FIRST_PURCHASE]),
                _fmt_date(as_of),
                recency,
            )
        )
        if recency <= settings.active_days:
            rule = words.status_active(recency, settings.active_days)
        elif recency <= settings.recent_days:
            rule = words.status_recent(recency, settings.active_days, settings.recent_days)
        else:
            rule = words.status_old(recency, settings.recent_days)
        lines.append(words.status(rule))
        lines.append(
            words.frequency(
                row[Col.FREQUENCY],
                row[Col.PURCHASE_DAYS],
                cents_to_brl(row[Col.MONETARY_CENTS]),
                cents_to_brl(round(row[Col.MONETARY_CENTS] / row[Col.FREQUENCY])),
            )
        )
        if row[Col.CYCLE_DAYS] is None:
            lines.append(words.NO_CYCLE)
        else:
            lines.append(
                words.cycle(
                    _fmt_date(row[Col.LAST_PURCHASE]),
                    _fmt_date(row[Col.FIRST_PURCHASE]),
                    row[Col.PURCHASE_DAYS],
                    format_decimal(row[Col.CYCLE_DAYS], 1),
                    recency,
                    format_decimal(row[Col.OVERDUE_DAYS], 1),
                )
            )
    scores = [
        _score(frame, "r", None if recency is None else -recency, row[Col.R]),
        _score(frame, "f", row[Col.FREQUENCY] if recency is not None else None, row[Col.F]),
        _score(frame, "m", row[Col.MONETARY_CENTS] if recency is not None else None, row[Col.M]),
    ]
    for item in scores:
        if item.rank is not None:
            lines.append(words.score(item.name, item.rank, item.n, item.score, _score_value(item)))
    buyers = frame.filter(pl.col(Col.LAST_PURCHASE).is_not_null())
    total = int(buyers.get_column(Col.MONETARY_CENTS).sum() or 0)
    cum_before: int | None = None
    if recency is not None:
        ahead = buyers.filter(
            (pl.col(Col.MONETARY_CENTS) > row[Col.MONETARY_CENTS])
            | ((pl.col(Col.MONETARY_CENTS) == row[Col.MONETARY_CENTS]) & (pl.col(ID) < client_id))
        )
        cum_before = int(ahead.get_column(Col.MONETARY_CENTS).sum() or 0)
        share = cum_before / total if total > 0 else 0.0
        lines.append(
            words.abc(
                row[Col.ABC],
                cents_to_brl(cum_before),
                cents_to_brl(total),
                format_percent(share),
                format_percent(settings.abc_a, 0),
                format_percent(settings.abc_b, 0),
            )
        )
    previous_start, last_start, _ = metrics.window_bounds(as_of, settings.cooling_window_days)
    lines.append(
        words.cooling(
            bool(row[Col.COOLING]),
            _fmt_date(last_start),
            _fmt_date(as_of),
            row[metrics.LAST_WINDOW],
            _fmt_date(previous_start),
            row[metrics.PREVIOUS_WINDOW],
            format_percent(settings.cooling_ratio, 0),
        )
    )
    lines.extend(forecast.explain_lines(row, as_of=as_of))  # issue 17
    lines.append(
        words.excluded(row[Col.EXCLUSION_REASON]) if row[Col.EXCLUDED] else words.NOT_EXCLUDED
    )
    trace: list[tuple[str, bool]] = []
    if segments:
        flags = matches.select(
            [s.expr.fill_null(False).alias(f"s{i}") for i, s in enumerate(segments)]
        ).row(0)
        trace = [(s.name, bool(flag)) for s, flag in zip(segments, flags, strict=True)]
    winner = row[Col.SEGMENT]
    lines.append(words.segment(winner, row["plan"]) if winner else words.NO_SEGMENT)
    return ClientExplanation(
        external_id=row[Col.CLIENT_ID],
        name=row[Col.NAME],
        as_of=as_of,
        row=row,
        scores=scores,
        abc_cum_before_cents=cum_before,
        abc_total_cents=total,
        segment_trace=trace,
        lines=lines,
    )
