"""The text of each of the Cliente card's sections (pure, testable): the profile in two columns,
orders and spend, open tasks, the timeline, data quality, the audit trail and the headline."""

from __future__ import annotations

from typing import Any

from carteira_tui.model import STATUS_LABELS, cents_to_brl, channel_label, format_date_br
from carteira_tui.services import clients as service
from carteira_tui.services.clients import ClientCard
from carteira_tui.vocab import card as words

SHORT_LABELS = words.SHORT_LABELS
"""Labels shortened to fit the card's two profile columns."""

WIDE_FIELDS = ("name", "email", "tags", "notes")
"""Fields that get a whole line of their own."""

LABEL_WIDTH = 15
SHOWN_ORDERS = 5
SHOWN_INTERACTIONS = 15


def history_text(card: ClientCard) -> str:
    """The client's audit trail, newest first: when, who, what."""
    if card.history.is_empty():
        return words.NO_HISTORY
    return "\n".join(
        f"{format_date_br(at)} {at[11:16]}  {who:<10.10} {action}: {summary or ''}".rstrip()
        for at, who, action, summary in card.history.iter_rows()
    )


def profile_text(profile: dict[str, Any], width: int, *, masked: bool = False) -> str:
    """Every field of the record: wide ones on their own line, the others in two columns
    (personal fields partly hidden when `masked`)."""
    lines: list[str] = []
    for field in WIDE_FIELDS:
        value = service.display_value(field, profile.get(field), masked=masked)
        label = SHORT_LABELS.get(field, service.FIELD_LABELS[field])
        for n, part in enumerate(value.splitlines() or ["—"]):
            lines.append(f"{(label if n == 0 else ''):<{LABEL_WIDTH}} {part}")
    short = [f for f in service.FIELD_LABELS if f not in WIDE_FIELDS]
    cells = [
        f"{SHORT_LABELS.get(f, service.FIELD_LABELS[f]):<{LABEL_WIDTH}} "
        f"{service.display_value(f, profile.get(f), masked=masked)}"
        for f in short
    ]
    column = max(1, (width - 2) // 2)
    if width < 2 * (LABEL_WIDTH + 12):
        return "\n".join(lines + cells)
    for left, right in zip(cells[0::2], [*cells[1::2], ""], strict=False):
        left_cell = left if len(left) <= column - 1 else left[: column - 2] + "…"
        lines.append(f"{left_cell:<{column}}{right[:column]}".rstrip())
    return "\n".join(lines)


def orders_text(card: ClientCard) -> str:
    """Totals, the monthly-spend sparkline and the latest orders."""
    if card.order_count == 0:
        return words.NO_ORDERS
    ticket = round(card.monetary_cents / card.order_count)
    months = card.monthly_spend
    spend = months.get_column("amount_cents").to_list()
    first, last = months.item(0, "month"), months.item(months.height - 1, "month")
    lines = [
        words.orders_totals(
            card.order_count, cents_to_brl(card.monetary_cents), cents_to_brl(ticket)
        ),
        words.monthly_spend(
            service.month_label(first),
            service.month_label(last),
            service.sparkline(spend),
            cents_to_brl(max(spend, default=0)),
        ),
    ]
    for order in card.orders.head(SHOWN_ORDERS).iter_rows(named=True):
        lines.append(
            f"  {format_date_br(order['date'])}  {cents_to_brl(order['amount_cents']):>14}  "
            f"{order['channel'] or '—':<13} {order['external_id'] or ''}".rstrip()
        )
    if card.order_count > SHOWN_ORDERS:
        lines.append(words.more_orders(card.order_count - SHOWN_ORDERS))
    return "\n".join(lines)


def tasks_text(card: ClientCard) -> str:
    """Open tasks by due date."""
    if card.open_tasks.is_empty():
        return words.NO_TASKS
    return "\n".join(
        f"{format_date_br(t['due'])} {t['priority']} {t['title']}"
        f" · {channel_label(t['channel']) or '—'} · {t['owner'] or '—'}"
        for t in card.open_tasks.iter_rows(named=True)
    )


def timeline_text(card: ClientCard) -> str:
    """Interactions, newest first."""
    if card.interactions.is_empty():
        return words.NO_INTERACTIONS
    lines = []
    for row in card.interactions.head(SHOWN_INTERACTIONS).iter_rows(named=True):
        parts = [p for p in (row["channel"], row["kind"], row["outcome"]) if p]
        line = f"{format_date_br(row['at'])} {' · '.join(parts)}"
        if row["note"]:
            line += f" — {row['note']}"
        if row["who"]:
            line += f" ({row['who']})"
        lines.append(line)
    if card.interactions.height > SHOWN_INTERACTIONS:
        lines.append(words.more_interactions(card.interactions.height - SHOWN_INTERACTIONS))
    return "\n".join(lines)


def quality_text(card: ClientCard) -> str:
    """Completeness and flagged fields."""
    if card.quality is None:
        return words.NO_QUALITY
    lines = [words.completeness(card.quality.completeness)]
    if not card.quality.issues:
        lines[0] += words.NO_PROBLEM
    for issue in card.quality.issues:
        label = service.FIELD_LABELS.get(issue.field, issue.field)
        lines.append(f"{label}: {issue.label} ({issue.raw_value or '—'})")
    return "\n".join(lines)


def headline_of(row: dict[str, Any]) -> str:
    """`Ativo · RFM 5-4-3 Leais · ABC A · Segmento Ativos` from a result row."""
    status = STATUS_LABELS.get(str(row.get("status")), str(row.get("status") or "—"))
    parts = [status]
    if row.get("r") is not None:
        parts.append(f"RFM {row['r']}-{row['f']}-{row['m']} {row.get('rfm_segment') or ''}".strip())
    if row.get("abc"):
        parts.append(f"ABC {row['abc']}")
    if row.get("segment"):
        parts.append(words.segment_part(str(row["segment"])))
    return " · ".join(parts)
