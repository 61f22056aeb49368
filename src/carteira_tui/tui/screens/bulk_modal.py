"""`BulkModal`: choose a bulk action for the marked clients and what it needs (Clientes, `b`).

The person picks an action from a list, types its value (owner, tag, task title and due date)
and, for the destructive ones (archive, remove a tag), confirms. The modal only returns a
`BulkRequest`; the Clientes screen runs it through services.bulk in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from dateutil.relativedelta import relativedelta
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from carteira_tui import vocab
from carteira_tui.services.bulk import ACTION_LABELS
from carteira_tui.tui.widgets.frame_table import format_int
from carteira_tui.vocab import clients as client_words

DESTRUCTIVE = frozenset({"archive", "untag"})
"""Actions that ask for a confirmation before they run."""

VALUE_LABELS: dict[str, tuple[str, str]] = client_words.BULK_VALUE_PLACEHOLDERS


@dataclass(frozen=True)
class BulkRequest:
    """What the person asked for: an action of services.bulk and its value."""

    action: str
    value: str = ""
    due: date | None = None


def parse_due(text: str, today: date) -> date | None:
    """`dd/mm/aaaa`, `dd/mm` (this year) or `+N` days from `today`; None when unreadable."""
    text = text.strip()
    try:
        if text.startswith("+") and text[1:].isdigit():
            return today + relativedelta(days=int(text[1:]))
        parts = [int(p) for p in text.split("/")]
        if len(parts) == 2:
            return date(today.year, parts[1], parts[0])
        if len(parts) == 3:
            year = parts[2] + 2000 if parts[2] < 100 else parts[2]
            return date(year, parts[1], parts[0])
    except ValueError:
        return None
    return None


class BulkModal(ModalScreen[BulkRequest | None]):
    """Pick an action, give its value, confirm when destructive; esc cancels at any step."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancelar", id="bulk.cancel"),
        Binding("s", "confirm", "Confirmar", show=False, id="bulk.confirm"),
        Binding("n", "deny", "Não", show=False, id="bulk.no"),
    ]

    def __init__(self, count: int, *, today: date) -> None:
        super().__init__()
        self.count = count
        self.today = today
        self.action_key: str | None = None
        self.pending: BulkRequest | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-dialog", classes="clients-dialog"):
            yield Static(
                client_words.bulk_title(format_int(self.count), self.count),
                classes="clients-dialog-title",
                markup=False,
            )
            yield OptionList(
                *[Option(label, id=key) for key, label in ACTION_LABELS.items()],
                id="bulk-actions",
            )
            with Horizontal(id="bulk-value", classes="clients-dialog-row hidden"):
                yield Static("", id="bulk-value-label", classes="clients-dialog-label")
                yield Input(id="bulk-value-input")
            with Horizontal(id="bulk-due", classes="clients-dialog-row hidden"):
                yield Static("Vencimento:", classes="clients-dialog-label")
                yield Input(
                    (self.today + relativedelta(days=1)).strftime("%d/%m/%Y"),
                    placeholder=client_words.DUE_PLACEHOLDER,
                    id="bulk-due-input",
                )
            yield Static("", id="bulk-question", classes="clients-dialog-question hidden")
            yield Static(
                "enter escolhe · esc cancela", id="bulk-hint", classes="clients-dialog-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#bulk-actions", OptionList).focus()

    @on(OptionList.OptionSelected, "#bulk-actions")
    def _action_chosen(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id
        if key is None:
            return
        self.action_key = key
        if key == "archive":
            self._ask(BulkRequest("archive"))
            return
        label, placeholder = VALUE_LABELS[key]
        self.query_one("#bulk-value-label", Static).update(label)
        value = self.query_one("#bulk-value-input", Input)
        value.placeholder = placeholder
        self.query_one("#bulk-value").remove_class("hidden")
        self.query_one("#bulk-due").set_class(key != "task", "hidden")
        self.query_one("#bulk-actions").add_class("hidden")
        self.query_one("#bulk-hint", Static).update(vocab.HINT_CONFIRM)
        value.focus()

    @on(Input.Submitted, "#bulk-value-input")
    def _value_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.notify(client_words.FILL_THE_FIELD, severity="warning", timeout=3)
            return
        if self.action_key == "task":
            self.query_one("#bulk-due-input", Input).focus()
            return
        assert self.action_key is not None
        request = BulkRequest(self.action_key, value)
        if self.action_key in DESTRUCTIVE:
            self._ask(request)
        else:
            self.dismiss(request)

    @on(Input.Submitted, "#bulk-due-input")
    def _due_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        due = parse_due(event.value, self.today)
        if due is None:
            self.notify(client_words.INVALID_DUE, severity="warning", timeout=3)
            return
        title = self.query_one("#bulk-value-input", Input).value.strip()
        if not title:
            self.query_one("#bulk-value-input", Input).focus()
            return
        self.dismiss(BulkRequest("task", title, due))

    def _ask(self, request: BulkRequest) -> None:
        self.pending = request
        count = format_int(self.count)
        if request.action == "archive":
            question = client_words.archive_question(count, self.count)
        else:
            question = client_words.untag_question(request.value, count, self.count)
        for selector in ("#bulk-actions", "#bulk-value", "#bulk-due"):
            self.query_one(selector).add_class("hidden")
        self.query_one("#bulk-question", Static).update(question)
        self.query_one("#bulk-question").remove_class("hidden")
        self.query_one("#bulk-hint", Static).update("s confirma · n/esc cancela")
        self.set_focus(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`s` and `n` answer only the confirmation question."""
        if action in {"confirm", "deny"}:
            return self.pending is not None
        return True

    def action_confirm(self) -> None:
        if self.pending is not None:
            self.dismiss(self.pending)

    def action_deny(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
