"""The Clientes table's columns and the pt-BR labels of every field a client row carries."""

from __future__ import annotations

from carteira_tui.fields import CLIENT_RECORD_LABELS as _RECORD
from carteira_tui.tui.widgets.frame_table import (
    Column,
    format_int,
    format_money_cents,
    format_status,
)

CLIENT_COLUMNS: list[Column] = [
    Column("client_id", _RECORD["external_id"], 9, priority=4),
    Column("name", _RECORD["name"], 18, priority=0, flex=True),
    Column("city", _RECORD["city"], 14, priority=8),
    Column("uf", _RECORD["uf"], 2, priority=9),
    Column("status", "Status", 15, format_status, priority=1),
    Column("rfm_segment", "Segmento RFM", 19, priority=5),
    Column("abc", "ABC", 3, priority=6),
    Column("recency_days", "Recência", 8, format_int, align_right=True, priority=3),
    Column("frequency", "Pedidos", 7, format_int, align_right=True, priority=7),
    Column("monetary_cents", "Valor", 15, format_money_cents, align_right=True, priority=2),
    Column("owner", _RECORD["owner"], 14, priority=10),
]

COLUMN_LABELS: dict[str, str] = {column.key: column.label for column in CLIENT_COLUMNS}

FIELD_LABELS: dict[str, str] = {
    "id": "Id interno",
    "client_id": _RECORD["external_id"],
    "name": _RECORD["name"],
    "document": _RECORD["document"],
    "email": _RECORD["email"],
    "phone": _RECORD["phone"],
    "city": _RECORD["city"],
    "uf": _RECORD["uf"],
    "status": "Status",
    "rfm_segment": "Segmento RFM",
    "abc": "Curva ABC",
    "recency_days": "Recência (dias)",
    "frequency": "Pedidos",
    "monetary_cents": "Valor total",
    "owner": _RECORD["owner"],
    "segment": "Segmento",
    "cooling": "Esfriando",
    "excluded": "Excluído das ações",
}
