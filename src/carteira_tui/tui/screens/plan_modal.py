"""`PlanModal`: the form that creates or edits an action plan on the Planos screen (`n`, `e`).

The form saves through the callable the screen hands it (`services.plans.add_plan` or
`edit_plan`, as the CLI), in a thread worker. A refusal (`PlanError`) keeps the dialog open with
everything typed, marks the field at fault and shows the reason (which lists the valid choices)
under the form; success closes it with the saved plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from carteira_tui.errors import CarteiraError
from carteira_tui.model import CHANNEL_LABELS
from carteira_tui.services.plans import CHANNEL_CHOICES, DATE_NAMES, TRIGGER_CHOICES, PlanError
from carteira_tui.vocab import plans as plan_words


@dataclass(frozen=True)
class FormField:
    """One line of the form: plan column `key`, its label, a placeholder and typing aids."""

    key: str
    label: str
    placeholder: str
    choices: tuple[str, ...] = ()
    number: bool = False


FIELDS: tuple[FormField, ...] = (
    FormField("code", "Código", "ex.: natal_vip (letras minúsculas, dígitos, _)"),
    FormField("title", "Título", "o texto da tarefa, ex.: Feliz Natal"),
    FormField(
        "trigger", "Gatilho", "data, segment, status, recompra, aniversario…", TRIGGER_CHOICES
    ),
    FormField(
        "value", "Data/valor", "natal, black_friday, dd/mm, 2º domingo de maio…", tuple(DATE_NAMES)
    ),
    FormField("due_offset", "Antecedência", "dias úteis antes da data (ou de prazo)", number=True),
    FormField("priority", "Prioridade", "H alta, M média ou L baixa", ("H", "M", "L")),
    FormField(
        "channel", "Canal", "WhatsApp, telefone, e-mail, SMS (vazio: livre)", CHANNEL_CHOICES
    ),
    FormField("cooldown_days", "Intervalo", "dias sem repetir depois de concluída", number=True),
    FormField("abc", "Classes ABC", "ex.: A,B (vazio: todas)", ("A", "A,B", "B", "C")),
)
"""The form's lines, in order (the CLI's `plans add` options)."""

HINT = plan_words.FORM_HINT


def form_text(plan: dict[str, Any] | None, key: str) -> str:
    """A plan's column as the form shows it (empty for a new plan or a missing value)."""
    if plan is None or plan.get(key) is None:
        return ""
    value = plan[key]
    return CHANNEL_LABELS.get(str(value), str(value)) if key == "channel" else str(value)


def form_values(texts: dict[str, str], *, editing: bool) -> dict[str, Any]:
    """What the person typed as the service's keyword arguments: numbers as ints, the
    trigger and priority as their codes; when editing, an emptied optional field clears it."""
    values: dict[str, Any] = {}
    for field in FIELDS:
        text = texts.get(field.key, "").strip()
        if field.number:
            values[field.key] = int(text) if text else None
        elif field.key in ("trigger", "priority"):
            values[field.key] = (text.lower() if field.key == "trigger" else text.upper()) or None
        elif field.key in ("value", "channel", "abc"):
            values[field.key] = text if (text or editing) else None
        else:
            values[field.key] = text
    return values


class PlanSaved(Message, bubble=False):
    """The service stored the plan (`plan`: its columns as read back)."""

    def __init__(self, plan: dict[str, Any]) -> None:
        super().__init__()
        self.plan = plan


class PlanRefused(Message, bubble=False):
    """The service refused the form: `message` in pt-BR, `field` the plan column at fault."""

    def __init__(self, message: str, field: str | None) -> None:
        super().__init__()
        self.message = message
        self.field = field


class PlanModal(ModalScreen[dict[str, Any] | None]):
    """Edit `plan`, or create one (`creating`, `plan` prefilling the form); returns the saved
    plan, or None on esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancelar", id="plan.cancel"),
        Binding("ctrl+s", "save", "Salvar", id="plan.save"),
    ]

    def __init__(
        self,
        title: str,
        save: Callable[[dict[str, Any]], dict[str, Any]],
        plan: dict[str, Any] | None = None,
        *,
        creating: bool = False,
    ) -> None:
        super().__init__()
        self.plan_title = title
        self.save = save
        """Stores the form's values (keyword arguments of the service); raises PlanError."""
        self.plan = plan
        self.editing = plan is not None and not creating
        """Editing an existing plan (its code is fixed) rather than creating one."""
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog plan-form"):
            yield Static(self.plan_title, classes="dialog-title", markup=False)
            for field in FIELDS:
                with Horizontal(classes="dialog-row"):
                    yield Static(field.label, classes="dialog-label")
                    suggester = (
                        SuggestFromList(field.choices, case_sensitive=False)
                        if field.choices
                        else None
                    )
                    yield Input(
                        form_text(self.plan, field.key),
                        placeholder=field.placeholder,
                        restrict=r"[0-9]*" if field.number else None,
                        suggester=suggester,
                        disabled=self.editing and field.key == "code",
                        id=f"plan-{field.key}",
                    )
            yield Static("", id="plan-error", classes="dialog-error hidden", markup=False)
            yield Static(HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#plan-title" if self.editing else "#plan-code", Input).focus()

    def texts(self) -> dict[str, str]:
        """Every field as typed."""
        return {field.key: self.query_one(f"#plan-{field.key}", Input).value for field in FIELDS}

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Hand the form to the service (in a worker); the answer decides whether it closes."""
        if self.saving:
            return
        self.saving = True
        self._save(form_values(self.texts(), editing=self.editing))

    @work(thread=True, exclusive=True, group="plan-save", exit_on_error=False)
    def _save(self, values: dict[str, Any]) -> None:
        try:
            plan = self.save(values)
        except PlanError as error:
            self.post_message(PlanRefused(str(error), error.field))
            return
        self.post_message(PlanSaved(plan))

    def on_plan_saved(self, message: PlanSaved) -> None:
        self.saving = False
        self.dismiss(message.plan)

    def on_plan_refused(self, message: PlanRefused) -> None:
        """Keep what was typed; mark the field at fault and say why under the form."""
        self.saving = False
        for field in FIELDS:
            self.query_one(f"#plan-{field.key}", Input).set_class(
                field.key == message.field, "-invalid"
            )
        error = self.query_one("#plan-error", Static)
        error.update(message.message)
        error.remove_class("hidden")
        if message.field in {field.key for field in FIELDS}:
            wrong = self.query_one(f"#plan-{message.field}", Input)
            if not wrong.disabled:
                wrong.focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Any other failure (read-only mode, a locked file) is shown and the form stays."""
        error = event.worker.error
        if event.worker.group == "plan-save" and event.state is WorkerState.ERROR and error:
            text = error.describe() if isinstance(error, CarteiraError) else str(error)
            self.on_plan_refused(PlanRefused(text, None))

    def action_cancel(self) -> None:
        self.dismiss(None)
