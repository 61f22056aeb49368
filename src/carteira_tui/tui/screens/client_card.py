"""The Cliente card: one client's profile, orders, spend, tasks, timeline, segmentation, quality.

Opened with enter from any list (the app routes `ClientOpenRequested` here; the Tarefas pane posts
it too); esc goes back. It reads through `services.clients.client_card` and
`services.segmentation.explain_client` in a thread worker and acts through `services.clients`
(log a contact, add a note, edit a field, set a follow-up), reloading itself after each write.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from carteira_tui.config import Settings
from carteira_tui.model import STATUS_LABELS, cents_to_brl, format_date_br
from carteira_tui.services import clients as service
from carteira_tui.services.clients import ClientCard
from carteira_tui.services.segmentation import explain_client
from carteira_tui.services.today import client_why, local_now, local_today
from carteira_tui.tui.context import app_context
from carteira_tui.tui.screens.choice_modal import ChoiceModal
from carteira_tui.tui.screens.interaction_modal import Contact, InteractionModal
from carteira_tui.tui.screens.text_modal import TextModal
from carteira_tui.tui.screens.when_modal import WhenModal


def field_problem(field: str, text: str) -> str | None:
    """Why `text` is not a valid value of profile `field` (the service's own check), or None."""
    if field == "owner":
        return None  # an owner's name is checked against the owners when it is written
    try:
        service.normalize_value(field, text)
    except service.ClientError as error:
        return str(error)
    return None


SHORT_LABELS: dict[str, str] = {
    "credit_restriction": "Restr. crédito",
    "consent_whatsapp": "Aceita WhatsApp",
    "consent_telefone": "Aceita telefone",
    "channel_pref": "Canal pref.",
    "archived_at": "Arquivado em",
}
"""Labels shortened to fit the card's two profile columns."""

WIDE_FIELDS = ("name", "email", "tags", "notes")
"""Fields that get a whole line of their own."""

LABEL_WIDTH = 15
SHOWN_ORDERS = 5
SHOWN_INTERACTIONS = 15


def today() -> date:
    """The day actions are dated with: today in Brazil, the one function the CLI uses
    (`services.today.local_today`); Tarefas reads it too, and tests replace it for a fixed clock."""
    return local_today(Settings())


# -- messages -----------------------------------------------------------------------------------


class CardLoaded(Message, bubble=False):
    """The client's card data was read."""

    def __init__(self, card: ClientCard) -> None:
        super().__init__()
        self.card = card


class ExplanationLoaded(Message, bubble=False):
    """The segmentation explanation was computed (`lines`), or why not (`note`)."""

    def __init__(self, lines: list[str], headline: str, note: str | None = None) -> None:
        super().__init__()
        self.lines = lines
        self.headline = headline
        self.note = note


class ClientChanged(Message, bubble=False):
    """A write on this client finished; `summary` says what changed (pt-BR)."""

    def __init__(self, summary: str) -> None:
        super().__init__()
        self.summary = summary


# -- text of each section (pure, testable) -------------------------------------------------------


def history_text(card: service.ClientCard) -> str:
    """The client's audit trail, newest first: when, who, what."""
    if card.history.is_empty():
        return "Nenhuma alteração registrada."
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
        return "Nenhum pedido."
    ticket = round(card.monetary_cents / card.order_count)
    months = card.monthly_spend
    spend = months.get_column("amount_cents").to_list()
    first, last = months.item(0, "month"), months.item(months.height - 1, "month")
    lines = [
        f"{card.order_count} pedidos · total {cents_to_brl(card.monetary_cents)} · "
        f"ticket médio {cents_to_brl(ticket)}",
        f"Gasto mensal {service.month_label(first)}–{service.month_label(last)}: "
        f"{service.sparkline(spend)} "
        f"(máx. {cents_to_brl(max(spend, default=0))})",
    ]
    for order in card.orders.head(SHOWN_ORDERS).iter_rows(named=True):
        lines.append(
            f"  {format_date_br(order['date'])}  {cents_to_brl(order['amount_cents']):>14}  "
            f"{order['channel'] or '—':<13} {order['external_id'] or ''}".rstrip()
        )
    if card.order_count > SHOWN_ORDERS:
        lines.append(f"  … e mais {card.order_count - SHOWN_ORDERS} pedidos")
    return "\n".join(lines)


def tasks_text(card: ClientCard) -> str:
    """Open tasks by due date."""
    if card.open_tasks.is_empty():
        return "Nenhuma tarefa aberta."
    return "\n".join(
        f"{format_date_br(t['due'])} {t['priority']} {t['title']} · {t['channel'] or '—'}"
        f" · {t['owner'] or '—'}"
        for t in card.open_tasks.iter_rows(named=True)
    )


def timeline_text(card: ClientCard) -> str:
    """Interactions, newest first."""
    if card.interactions.is_empty():
        return "Nenhuma interação registrada."
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
        lines.append(f"… e mais {card.interactions.height - SHOWN_INTERACTIONS} anteriores")
    return "\n".join(lines)


def quality_text(card: ClientCard) -> str:
    """Completeness and flagged fields."""
    if card.quality is None:
        return "Sem verificação de qualidade."
    lines = [f"Completude {card.quality.completeness}%"]
    if not card.quality.issues:
        lines[0] += " · nenhum problema encontrado"
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
        parts.append(f"Segmento {row['segment']}")
    return " · ".join(parts)


# -- the screen ---------------------------------------------------------------------------------


class ClientCardScreen(Screen[None]):
    """One client on a full screen; esc goes back to the list it was opened from."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Voltar", id="card.close"),
        Binding("i", "log_contact", "Registrar contato", id="card.log"),
        Binding("n", "add_note", "Nota", id="card.note"),
        Binding("e", "edit_field", "Editar", id="card.edit"),
        Binding("f", "follow_up", "Retorno", id="card.follow_up"),
        Binding("j,down", "scroll('down')", "Rolar abaixo", show=False, id="card.down"),
        Binding("k,up", "scroll('up')", "Rolar acima", show=False, id="card.up"),
        Binding("ctrl+d,pagedown", "scroll('page_down')", "Página", show=False, id="card.pgdn"),
        Binding("ctrl+u,pageup", "scroll('page_up')", "Página", show=False, id="card.pgup"),
        Binding("g,home", "scroll('home')", "Início", show=False, id="card.home"),
        Binding("G,end", "scroll('end')", "Fim", show=False, id="card.end"),
        Binding("r", "reload", "Recarregar", show=False, id="card.reload"),
    ]

    PANE_TITLE = "Cliente"

    def __init__(
        self,
        client_id: int,
        *,
        db_path: Path | None = None,
        settings: Settings | None = None,
        as_of: date | None = None,
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self._db_path = db_path
        self._settings = settings
        self._as_of = as_of
        self.card: ClientCard | None = None

    @property
    def db_path(self) -> Path:
        """The database the card reads (the app's unless given)."""
        return self._db_path or app_context(self).db_path

    @property
    def settings(self) -> Settings:
        """Settings in force (the app's unless given)."""
        return self._settings or app_context(self).settings

    @property
    def as_of(self) -> date:
        """The reference date: the last segmentation's, else today."""
        return self._as_of or app_context(self).as_of or today()

    def compose(self) -> ComposeResult:
        yield Static("Carregando cliente…", id="card-title", markup=False)
        yield Static("", id="card-headline", markup=False)
        with VerticalScroll(id="card-body"):
            for key, title in (
                ("profile", "Cadastro"),
                ("orders", "Pedidos"),
                ("tasks", "Tarefas abertas"),
                ("timeline", "Interações"),
                ("segmentation", "Segmentação"),
                ("quality", "Qualidade dos dados"),
                ("history", "Histórico de alterações"),
            ):
                yield Static(title, classes="card-section-title")
                yield Static("…", id=f"card-{key}", classes="card-section", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#card-body").focus()
        self._load()

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="card-load", exit_on_error=False)
    def _load(self) -> None:
        worker = get_current_worker()
        card = service.client_card(self.db_path, self.client_id, as_of=self.as_of)
        if worker.is_cancelled:
            return
        self.post_message(CardLoaded(card))
        try:
            explained = explain_client(
                self.db_path, card.external_id, as_of=self.as_of, settings=self.settings
            )
        except Exception as error:  # noqa: BLE001 - any failure is shown on the card, not raised
            self.post_message(ExplanationLoaded([], "", note=f"Sem explicação: {error}"))
            return
        headline = headline_of(explained.row)
        # Hoje: the card's first lines say why the client is in today's queue, as Hoje does
        why = client_why(
            self.db_path, client_id=card.client_id, as_of=today(), settings=self.settings
        )
        if why:
            headline = f"Hoje: {why}\n{headline}"
        if not worker.is_cancelled:
            self.post_message(ExplanationLoaded(explained.lines, headline))

    def on_card_loaded(self, message: CardLoaded) -> None:
        card = message.card
        self.card = card
        self.query_one("#card-title", Static).update(
            f"{card.name} · {card.external_id} · responsável {card.profile.get('owner') or '—'}"
        )
        self._render_card()
        self.refresh_bindings()

    def _render_card(self) -> None:
        card = self.card
        if card is None:
            return
        width = max(40, self.query_one("#card-body").size.width - 2)
        masked = app_context(self).masked
        self.query_one("#card-profile", Static).update(
            profile_text(card.profile, width, masked=masked)
        )
        self.query_one("#card-orders", Static).update(orders_text(card))
        self.query_one("#card-tasks", Static).update(tasks_text(card))
        self.query_one("#card-timeline", Static).update(timeline_text(card))
        self.query_one("#card-quality", Static).update(quality_text(card))
        self.query_one("#card-history", Static).update(history_text(card))

    def on_resize(self) -> None:
        self._render_card()

    def on_explanation_loaded(self, message: ExplanationLoaded) -> None:
        text = message.note or "\n".join(message.lines)
        self.query_one("#card-segmentation", Static).update(text)
        self.query_one("#card-headline", Static).update(message.headline)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read or write is shown as a message; the card stays open."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(str(event.worker.error), title="Cliente", severity="error", timeout=8)
            if self.card is None:
                self.query_one("#card-title", Static).update("Cliente não encontrado.")

    def action_reload(self) -> None:
        self._load()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#card-body", VerticalScroll)
        {
            "down": body.scroll_down,
            "up": body.scroll_up,
            "page_down": body.scroll_page_down,
            "page_up": body.scroll_page_up,
            "home": body.scroll_home,
            "end": body.scroll_end,
        }[where](animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The write keys wait until the client is loaded."""
        if action in {"log_contact", "add_note", "edit_field", "follow_up"}:
            return self.card is not None
        return True

    # -- actions: modal → worker → service → ClientChanged → reload ------------------------------

    def action_log_contact(self) -> None:
        channel = self.card.profile.get("channel_pref") if self.card else None
        self.app.push_screen(
            InteractionModal(f"Registrar contato com {self._client_name()}", channel),
            self._log_chosen,
        )

    def _log_chosen(self, contact: Contact | None) -> None:
        if contact is not None:
            self._write(
                lambda: service.log_interaction(
                    self.db_path,
                    self.client_id,
                    at=datetime.combine(today(), local_now(self.settings).time()),
                    channel=contact.channel,
                    kind=contact.kind,
                    outcome=contact.outcome,
                    note=contact.note,
                ),
                "Contato registrado.",
            )

    def action_add_note(self) -> None:
        self.app.push_screen(
            TextModal(f"Nota sobre {self._client_name()}", placeholder="texto"), self._note
        )

    def _note(self, text: str | None) -> None:
        if text and text.strip():
            self._write(
                lambda: service.add_note(self.db_path, self.client_id, text, on=today()),
                "Nota adicionada.",
            )

    def action_edit_field(self) -> None:
        profile = self.card.profile if self.card else {}
        options = [
            (
                field,
                f"{service.FIELD_LABELS[field]}: "
                f"{service.display_value(field, profile.get(field))}",
            )
            for field in service.EDITABLE_FIELDS
        ]
        self.app.push_screen(ChoiceModal("Editar qual campo?", options), self._field_chosen)

    def _field_chosen(self, field: str | None) -> None:
        if field is None:
            return
        value = (self.card.profile if self.card else {}).get(field)
        initial = "" if value is None else service.display_value(field, value)
        hint = "vazio apaga o valor" if field != "name" else ""
        if field in service.FLAG_FIELDS:
            hint = "sim ou não"
        elif field == "owner":
            hint = "nome do responsável"
        self.app.push_screen(
            TextModal(
                f"{service.FIELD_LABELS[field]} de {self._client_name()}",
                initial,
                hint=hint,
                validate=lambda text: field_problem(field, text),
            ),
            lambda text: self._field_value(field, text),
        )

    def _field_value(self, field: str, text: str | None) -> None:
        if text is not None:
            self._write(
                lambda: service.edit_field(self.db_path, self.client_id, field, text),
                f"{service.FIELD_LABELS[field]} alterado.",
            )

    def action_follow_up(self) -> None:
        self.app.push_screen(
            WhenModal(f"Retorno para {self._client_name()} em:", today()), self._follow_up_day
        )

    def _follow_up_day(self, day: date | None) -> None:
        if day is not None:
            self._write(
                lambda: service.set_follow_up(
                    self.db_path, self.client_id, due=day, as_of=today(), settings=self.settings
                ),
                f"Retorno agendado para {day.strftime('%d/%m/%Y')}.",
            )

    @work(thread=True, exclusive=True, group="card-write", exit_on_error=False)
    def _write(self, call: Callable[[], object], summary: str) -> None:
        call()
        self.post_message(ClientChanged(summary))

    @on(ClientChanged)
    def _changed(self, message: ClientChanged) -> None:
        self.notify(message.summary, title="Cliente", timeout=3)
        self._load()

    def _client_name(self) -> str:
        return self.card.name if self.card else "cliente"
