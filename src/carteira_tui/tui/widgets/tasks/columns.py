"""The Tarefas pane's table: its columns, and how a task's priority and urgency read."""

from __future__ import annotations

from typing import Any

from carteira_tui.model import channel_label
from carteira_tui.tui.widgets.frame_table import Column

PRIORITY_LABELS = {"H": "alta", "M": "média", "L": "baixa"}


def format_urgency(value: Any) -> str:
    """Urgency with one decimal and a decimal comma."""
    return "—" if value is None else f"{float(value):.1f}".replace(".", ",")


def format_channel(value: Any) -> str:
    """The task's channel as the rest of the product names it (`WhatsApp`, `E-mail`)."""
    return channel_label(value) or "—"


TASK_COLUMNS: list[Column] = [
    Column("when", "Quando", 10, priority=0),
    Column("priority", "P", 1, priority=3),
    Column("client_name", "Cliente", 22, priority=1),
    Column("title", "Tarefa", 24, priority=2, flex=True),  # the spare width goes to the task
    Column("channel", "Canal", 8, format_channel, priority=5),
    Column("owner", "Responsável", 14, priority=6),
    Column("urgency", "Urg.", 5, format_urgency, align_right=True, priority=4),
]
