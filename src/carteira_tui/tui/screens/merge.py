"""The merge screen (Limpeza): one group of duplicates side by side; pick what stays; merge.

Opened with enter on a group of the Limpeza screen. A thread worker reads the group through
`services.cleaning.cluster_detail` (and each member's card, for its owner's name and orders);
the fields are rows and the members columns (`MergeGrid`), the suggested value of each field
marked. j/k move through the fields, ←/→ or a member's number pick the value that stays, `s`
chooses the client that stays, `m` merges after a confirmation (`services.cleaning.merge_clients`
in a worker) and the screen closes with a `MergeDone` for the Limpeza screen to report and undo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from carteira_tui.model import cents_to_brl
from carteira_tui.services import cleaning as service
from carteira_tui.services.cleaning import ClusterDetail, MergeResult
from carteira_tui.services.clients import ClientCard, client_card, display_value
from carteira_tui.tui.screens import client_card as card_screen
from carteira_tui.tui.screens.choice_modal import ChoiceModal
from carteira_tui.tui.screens.confirm_modal import ConfirmModal
from carteira_tui.tui.widgets.merge_grid import GridRow, MergeGrid

CONFIDENCE_LABELS: dict[str, str] = {"alta": "Alta", "media": "Média", "baixa": "Baixa"}

# Short forms, so a group's reasons fit an 80-column line.
SHORT_REASONS: dict[str, str] = {
    "mesmo_documento": "doc.",
    "mesmo_email": "e-mail",
    "mesmo_telefone": "tel.",
    "mesmo_nome_cidade": "nome",
    "nome_fonetico": "som",
}

SURVIVOR_MARK = "★"
NAME_WIDTH = 26
VALUE_GROUP = Binding.Group("Valor", compact=True)


def score_text(score: float) -> str:
    """A duplicate score with a decimal comma: `0,79`."""
    return f"{score:.2f}".replace(".", ",")


# -- what the person picks (pure, testable) ------------------------------------------------------


@dataclass(frozen=True)
class FieldPick:
    """One field of the group: the values it can keep and which one is suggested and chosen.

    `options` are the members' values in member order, then the service's suggestion when it is
    none of them (tags and notes combined from every member).
    """

    field: str
    label: str
    options: tuple[Any, ...]
    suggested: int
    chosen: int

    @property
    def value(self) -> Any:
        """The value the merged client keeps."""
        return self.options[self.chosen]


def field_picks(
    detail: ClusterDetail, order: list[int], overrides: dict[str, Any] | None = None
) -> list[FieldPick]:
    """Every mergeable field, members in `order`; `overrides` are the person's own picks."""
    overrides = overrides or {}
    picks: list[FieldPick] = []
    for choice in detail.fields:
        options = [choice.values.get(member) for member in order]
        if choice.source_client_id in order and options[order.index(choice.source_client_id)] == (
            choice.suggested
        ):
            suggested = order.index(choice.source_client_id)
        elif choice.suggested in options:
            suggested = options.index(choice.suggested)
        else:
            options.append(choice.suggested)
            suggested = len(options) - 1
        chosen = suggested
        if choice.field in overrides and overrides[choice.field] in options:
            chosen = options.index(overrides[choice.field])
        picks.append(FieldPick(choice.field, choice.label, tuple(options), suggested, chosen))
    return picks


def chosen_values(picks: list[FieldPick]) -> dict[str, Any]:
    """field -> value the merged client keeps, as `merge_clients` takes it."""
    return {pick.field: pick.value for pick in picks}


def value_text(field: str, value: Any, owners: dict[int, str]) -> str:
    """A stored value as people read it (owner by name, flags sim/não, dates dd/mm/aaaa, CEP
    89219-489: `display_value`'s rules, the card's)."""
    if field == "owner_id" and value is not None:
        return owners.get(int(value), f"nº {value}")
    return display_value(field, value).replace("\n", " ")


def grid_rows(picks: list[FieldPick], members: int, owners: dict[int, str]) -> list[GridRow]:
    """The grid's rows: each member's value as text and the kept value."""
    rows = []
    for pick in picks:
        cells = [value_text(pick.field, value, owners) for value in pick.options[:members]]
        rows.append(
            GridRow(
                label=pick.label,
                cells=cells,
                chosen=pick.chosen if pick.chosen < members else None,
                suggested=pick.suggested if pick.suggested < members else None,
                result=value_text(pick.field, pick.value, owners),
                same=len(pick.options) == members and len(set(cells)) == 1,
                changed=pick.chosen != pick.suggested,
            )
        )
    return rows


# -- results and messages ------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeDone:
    """A merge made on this screen: the service's result and the code of the client that stayed."""

    result: MergeResult
    survivor_code: str

    @property
    def clients(self) -> int:
        """How many clients were folded into one (the survivor included)."""
        return len(self.result.removed_ids) + 1


class ClusterLoaded(Message, bubble=False):
    """The group's detail and its members' cards were read."""

    def __init__(self, detail: ClusterDetail, cards: dict[int, ClientCard]) -> None:
        super().__init__()
        self.detail = detail
        self.cards = cards


class ClientsMerged(Message, bubble=False):
    """The merge is committed."""

    def __init__(self, done: MergeDone) -> None:
        super().__init__()
        self.done = done


# -- the screen ---------------------------------------------------------------------------------


class MergeScreen(Screen[MergeDone | None]):
    """One duplicate group: pick the value of each field and the client that stays, then merge."""

    PANE_TITLE = "Mesclar"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left,h",
            "step(-1)",
            "Valor anterior",
            key_display="←",
            group=VALUE_GROUP,
            id="merge.previous",
        ),
        Binding(
            "right,l",
            "step(1)",
            "Valor seguinte",
            key_display="→",
            group=VALUE_GROUP,
            id="merge.next",
        ),
        Binding("1", "pick(1)", "Valor do membro (1–9)", show=False, id="merge.pick1"),
        *[Binding(str(n), f"pick({n})", "", show=False, id=f"merge.pick{n}") for n in range(2, 10)],
        Binding("tab", "next_difference(1)", "Diferença", id="merge.next_difference"),
        Binding(
            "shift+tab",
            "next_difference(-1)",
            "Diferença anterior",
            show=False,
            id="merge.previous_difference",
        ),
        Binding("s", "survivor", "Quem fica", id="merge.survivor"),
        Binding("m", "merge", "Mesclar", id="merge.merge"),
        Binding("bracketleft", "page(-1)", "Membros anteriores", show=False, id="merge.page_back"),
        Binding("bracketright", "page(1)", "Membros seguintes", show=False, id="merge.page_next"),
        Binding("escape", "close", "Voltar", show=False, id="merge.close"),
    ]

    def __init__(self, cluster_id: int, *, db_path: Path, as_of: date) -> None:
        super().__init__()
        self.cluster_id = cluster_id
        self.db_path = db_path
        self.as_of = as_of
        self.detail: ClusterDetail | None = None
        self.cards: dict[int, ClientCard] = {}
        self.order: list[int] = []
        self.overrides: dict[str, Any] = {}
        self.picks: list[FieldPick] = []
        self.merging = False

    @property
    def grid(self) -> MergeGrid:
        """The side-by-side grid."""
        return self.query_one("#merge-grid", MergeGrid)

    def compose(self) -> ComposeResult:
        yield Static(f"Grupo {self.cluster_id} · carregando…", id="merge-title", markup=False)
        yield Static("", id="merge-members", markup=False)
        yield MergeGrid(id="merge-grid")
        yield Static("", id="merge-field", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.grid.focus()
        self._load(None)

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="merge-load", exit_on_error=False)
    def _load(self, survivor_id: int | None) -> None:
        detail = service.cluster_detail(self.db_path, self.cluster_id, survivor_id=survivor_id)
        cards = {
            int(member["id"]): client_card(self.db_path, int(member["id"]), as_of=self.as_of)
            for member in detail.members
        }
        self.post_message(ClusterLoaded(detail, cards))

    def on_cluster_loaded(self, message: ClusterLoaded) -> None:
        detail = message.detail
        self.detail = detail
        self.cards = message.cards
        ids = [int(member["id"]) for member in detail.members]
        if sorted(self.order) != sorted(ids):
            self.order = ids
        self.picks = field_picks(detail, self.order, self.overrides)
        reasons = ", ".join(SHORT_REASONS.get(r, r) for r in detail.reasons)
        self.query_one("#merge-title", Static).update(
            f"Mesclar grupo {detail.cluster_id} · confiança "
            f"{CONFIDENCE_LABELS.get(detail.confidence, detail.confidence).lower()} "
            f"{score_text(detail.score)} · {reasons}"
        )
        self.query_one("#merge-members", Static).update(self._members_text())
        self._show_rows()
        self.refresh_bindings()

    def _member(self, client_id: int) -> dict[str, Any]:
        assert self.detail is not None
        return next(m for m in self.detail.members if int(m["id"]) == client_id)

    def _code(self, client_id: int) -> str:
        return str(self._member(client_id)["external_id"])

    @property
    def owners(self) -> dict[int, str]:
        """Owner id -> name, from the members' cards."""
        return {
            int(card.profile["owner_id"]): str(card.profile.get("owner") or "")
            for card in self.cards.values()
            if card.profile.get("owner_id") is not None
        }

    def _members_text(self) -> str:
        assert self.detail is not None
        lines = []
        for number, client_id in enumerate(self.order, start=1):
            member = self._member(client_id)
            card = self.cards.get(client_id)
            name = str(member["name"] or "—")
            name = name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"
            survivor = f" {SURVIVOR_MARK} fica" if client_id == self.detail.survivor_id else ""
            parts = [f"{number} {member['external_id']} {name}{survivor}"]
            if card is not None:
                if card.quality is not None:
                    parts.append(f"{card.quality.completeness}%")
                orders = "1 pedido" if card.order_count == 1 else f"{card.order_count} pedidos"
                parts.append(orders)
                if card.order_count:
                    parts.append(cents_to_brl(card.monetary_cents))
            lines.append(" · ".join(parts))
        return "\n".join(lines)

    def _headers(self) -> list[str]:
        assert self.detail is not None
        return [
            f"{n} {self._code(i)}" + (f" {SURVIVOR_MARK}" if i == self.detail.survivor_id else "")
            for n, i in enumerate(self.order, start=1)
        ]

    def _show_rows(self) -> None:
        self.grid.show(self._headers(), grid_rows(self.picks, len(self.order), self.owners))
        self._show_field()

    def _show_field(self) -> None:
        """Full values of the field under the cursor (cells may be cut) and where the kept one
        comes from."""
        if not self.picks:
            return
        pick = self.picks[self.grid.cursor_row]
        owners = self.owners
        kept = value_text(pick.field, pick.value, owners)
        if pick.chosen < len(self.order):
            source = f"do {pick.chosen + 1} {self._code(self.order[pick.chosen])}"
        else:
            source = "combinado de todos"
        why = "sugerido" if pick.chosen == pick.suggested else "escolha sua"
        values = " · ".join(
            f"{n}: {value_text(pick.field, value, owners)}"
            for n, value in enumerate(pick.options[: len(self.order)], start=1)
        )
        self.query_one("#merge-field", Static).update(
            f"{pick.label}: fica {kept} ({source}, {why})\n{values}"
        )

    @on(MergeGrid.CursorMoved)
    def _cursor_moved(self) -> None:
        self._show_field()

    # -- picking ------------------------------------------------------------------------------

    def _choose(self, index: int) -> None:
        pick = self.picks[self.grid.cursor_row]
        index = index % len(pick.options)
        self.picks[self.grid.cursor_row] = FieldPick(
            pick.field, pick.label, pick.options, pick.suggested, index
        )
        if index == pick.suggested:
            self.overrides.pop(pick.field, None)
        else:
            self.overrides[pick.field] = pick.options[index]
        if index < len(self.order):
            self.grid.reveal_member(index)
        self._show_rows()

    def action_step(self, step: int) -> None:
        if self.picks:
            self._choose(self.picks[self.grid.cursor_row].chosen + step)

    def action_pick(self, number: int) -> None:
        """The value of member `number` (a number with no member is taken here, so it never
        reaches the app's pane keys)."""
        if not self.picks:
            return
        if number > len(self.order):
            self.notify(f"O grupo tem {len(self.order)} clientes.", title="Mesclar", timeout=3)
            return
        self._choose(number - 1)

    def action_next_difference(self, step: int) -> None:
        """Move to the next (or previous) field where the members disagree."""
        rows = self.grid.rows
        for offset in range(1, len(rows)):
            row = (self.grid.cursor_row + step * offset) % len(rows)
            if not rows[row].same:
                self.grid.move_cursor(row)
                return

    def action_page(self, step: int) -> None:
        self.grid.page_members(step)

    def action_survivor(self) -> None:
        if self.detail is None:
            return
        options = [
            (str(i), f"{n} {self._code(i)} {self._member(i)['name'] or '—'}")
            for n, i in enumerate(self.order, start=1)
        ]
        self.app.push_screen(
            ChoiceModal("Qual cliente fica?", options, current=str(self.detail.survivor_id)),
            self._survivor_chosen,
        )

    def _survivor_chosen(self, key: str | None) -> None:
        if key is not None and self.detail is not None and int(key) != self.detail.survivor_id:
            self._load(int(key))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Picking and merging wait for the group; a number applies only to a member shown."""
        if action in {"step", "survivor", "merge"}:
            return self.detail is not None and not self.merging
        if action == "next_difference":
            return self.detail is not None
        if action == "page":
            return self.is_mounted and len(self.grid.shown_members) < len(self.order)
        return True

    # -- merging ------------------------------------------------------------------------------

    def action_merge(self) -> None:
        detail = self.detail
        if detail is None:
            return
        survivor = self._code(detail.survivor_id)
        leaving = [self._code(i) for i in self.order if i != detail.survivor_id]
        others = ", ".join(leaving) + (" sai" if len(leaving) == 1 else " saem")
        changed = [p.label for p in self.picks if p.chosen != p.suggested]
        text = (
            f"{others}; pedidos, interações e tarefas passam para {survivor}. "
            "Desfazer: u na Limpeza."
        )
        if changed:
            text += f"\nEscolhas suas: {', '.join(changed)}."
        self.app.push_screen(
            ConfirmModal(f"Mesclar {len(self.order)} clientes em {survivor}?", text),
            self._confirmed,
        )

    def _confirmed(self, yes: bool | None) -> None:
        if yes and self.detail is not None:
            self.merging = True
            self.refresh_bindings()
            self._merge(self.detail, chosen_values(self.picks))

    @work(thread=True, exclusive=True, group="merge-write", exit_on_error=False)
    def _merge(self, detail: ClusterDetail, values: dict[str, Any]) -> None:
        result = service.merge_clients(
            self.db_path,
            self.order,
            survivor_id=detail.survivor_id,
            field_values=values,
            today=card_screen.today(),
            confidence=detail.confidence,
        )
        self.post_message(ClientsMerged(MergeDone(result, self._code(detail.survivor_id))))

    def on_clients_merged(self, message: ClientsMerged) -> None:
        self.dismiss(message.done)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read or merge is shown as a message; nothing was changed."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.merging = False
            self.refresh_bindings()
            self.notify(str(event.worker.error), title="Mesclar", severity="error", timeout=8)
            if self.detail is None:
                self.query_one("#merge-title", Static).update(
                    f"Grupo {self.cluster_id} não encontrado: recarregue a Limpeza (r)."
                )

    def action_close(self) -> None:
        self.dismiss(None)
