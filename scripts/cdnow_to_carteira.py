"""Turn the CDNOW 1/10 sample (tests/fixtures/cdnow_sample.txt: customer id, sample id, date
YYYYMMDD, quantity, amount in USD, read as BRL) into carteira's clients and orders CSVs.

    python scripts/cdnow_to_carteira.py OUT_DIR
    carteira --db cdnow.db import clients OUT_DIR/clientes.csv
    carteira --db cdnow.db import orders OUT_DIR/pedidos.csv
    carteira --db cdnow.db forecast --as-of 1997-09-30 --format json
"""

from __future__ import annotations

import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "cdnow_sample.txt"


def convert(source: Path, out: Path) -> tuple[Path, Path]:
    """Write `clientes.csv` and `pedidos.csv` under `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    clients: dict[str, None] = {}
    orders = ["Pedido;Código do cliente;Data;Valor"]
    for number, line in enumerate(source.read_text().splitlines(), start=1):
        _, sample_id, when, _, amount = line.split()
        code = f"CD{int(sample_id):05d}"
        clients[code] = None
        value = f"{float(amount):.2f}".replace(".", ",")
        orders.append(f"{number};{code};{when[6:]}/{when[4:6]}/{when[:4]};{value}")
    clients_path, orders_path = out / "clientes.csv", out / "pedidos.csv"
    clients_path.write_text(
        "\n".join(["Código;Nome", *(f"{c};Cliente {c}" for c in clients)]) + "\n",
        encoding="utf-8",
    )
    orders_path.write_text("\n".join(orders) + "\n", encoding="utf-8")
    return clients_path, orders_path


if __name__ == "__main__":
    convert(SOURCE, Path(sys.argv[1]))
