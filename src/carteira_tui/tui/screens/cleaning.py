"""The Limpeza screen (key `l`): duplicate groups, invalid fields and stale contacts to review.

A thread worker reads `services.cleaning.cleaning_report` (with a progress line); tab switches
between the three lists. enter on a group opens the merge screen (`MergeScreen`), on a client
its card. `a` merges every high-confidence group (`merge_duplicates`), `x` proposes the stale
contacts for archiving (`archive_stale` dry run, then applied after a confirmation), and `u`
undoes the last merge or archive made in this session (`undo_merge`, `undo_archive`). Every
write asks first, runs in a worker and reloads the lists. esc goes back to the pane below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal
from weakref import WeakKeyDictionary

import polars as pl
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from carteira_tui.services import cleaning as service
from carteira_tui.services.cleaning import ArchiveResult, CleaningReport
from carteira_tui.tui.messages import ClientOpenRequested
from carteira_tui.tui.screens import client_card
from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.screens.clients import ClientsScreen
from carteira_tui.tui.screens.confirm_modal import ConfirmModal
from carteira_tui.tui.screens.merge import (
    CONFIDENCE_LABELS,
    SHORT_REASONS,
    MergeDone,
    MergeScreen,
    score_text,
)
from carteira_tui.tui.widgets.cleaning_table import CleaningTable
from carteira_tui.tui.widgets.frame_table import Column, format_date, format_int
from carteira_tui.tui.widgets.status_line import StatusLine

Section = Literal["clusters", "issues", "stale"]
SECTIONS: tuple[Section, ...] = ("clusters", "issues", "stale")
SECTION_LABELS: dict[Section, str] = {
    "clusters": "Duplicados",
    "issues": "Campos inválidos",
    "stale": "Contatos parados",
}
EMPTY_TEXT: dict[Section, str] = {
    "clusters": "Nenhum grupo de duplicados.",
    "issues": "Nenhum campo inválido.",
    "stale": "Nenhum contato parado para arquivar.",
}

CONFIDENCE_ORDER: dict[str, int] = {"alta": 0, "media": 1, "baixa": 2}

CLUSTER_COLUMNS: list[Column] = [
    Column("confidence_label", "Confiança", 9, priority=0),
    Column("score_text", "Pontos", 6, align_right=True, priority=1),
    Column("names", "Clientes", 29, priority=0, flex=True),
    Column("reasons_text", "Motivos", 29, priority=2),
]
ISSUE_COLUMNS: list[Column] = [
    Column("external_id", "Cliente", 8, priority=0),
    Column("name", "Nome", 20, priority=1, flex=True),
    Column("field_label", "Campo", 10, priority=2),
    Column("raw_value", "Valor", 16, priority=3),
    Column("label", "Problema", 17, priority=4),
]
STALE_COLUMNS: list[Column] = [
    Column("external_id", "Cliente", 8, priority=0),
    Column("name", "Nome", 24, priority=1, flex=True),
    Column("kind_label", "Situação", 33, priority=3),
    Column("last_activity", "Última ativ.", 12, format_date, priority=2),
]


def cluster_rows(clusters: pl.DataFrame) -> pl.DataFrame:
    """One row per duplicate group (`id` = group), alta first, by score, as the table shows it."""
    survivor_first = pl.col("is_survivor").not_()
    per_group = clusters.group_by("cluster_id").agg(
        pl.col("confidence").first(),
        pl.col("score").first(),
        pl.col("reasons").sort_by(survivor_first).first(),
        pl.col("name").sort_by(survivor_first).first().alias("survivor_name"),
        pl.len().alias("size"),
    )
    return per_group.with_columns(
        pl.col("cluster_id").alias("id"),
        pl.col("confidence")
        .replace_strict(CONFIDENCE_LABELS, default=pl.col("confidence"), return_dtype=pl.String)
        .alias("confidence_label"),
        pl.col("confidence")
        .replace_strict(CONFIDENCE_ORDER, default=9, return_dtype=pl.Int64)
        .alias("confidence_rank"),
        pl.col("score")
        .round(2)
        .cast(pl.String)
        .str.pad_end(4, "0")
        .str.replace(".", ",", literal=True)
        .alias("score_text"),
        pl.format("{} +{}", pl.col("survivor_name").fill_null("—"), pl.col("size") - 1).alias(
            "names"
        ),
        pl.col("reasons")
        .list.eval(
            pl.element().replace_strict(SHORT_REASONS, default=pl.element(), return_dtype=pl.String)
        )
        .list.join(", ")
        .alias("reasons_text"),
    ).sort(["confidence_rank", "score", "cluster_id"], descending=[False, True, False])


def issue_rows(issues: pl.DataFrame) -> pl.DataFrame:
    """The invalid fields with the field's pt-BR label."""
    return issues.with_columns(
        pl.col("field")
        .replace_strict(service.FIELD_LABELS, default=pl.col("field"), return_dtype=pl.String)
        .alias("field_label")
    )


def stale_rows(stale: pl.DataFrame) -> pl.DataFrame:
    """The stale contacts with their situation in pt-BR."""
    return stale.with_columns(
        pl.col("kind")
        .replace_strict(service.STALE_LABELS, default=pl.col("kind"), return_dtype=pl.String)
        .alias("kind_label")
    )


def counted(count: int, singular: str, plural: str) -> str:
    """`1 contato`, `2.000 contatos`."""
    return f"{format_int(count)} {singular if count == 1 else plural}"


def percent_text(value: float) -> str:
    """`98,2%`."""
    return f"{value:.1f}".replace(".", ",") + "%"


# -- what this session can undo ------------------------------------------------------------------


@dataclass(frozen=True)
class Undoable:
    """A write made on this screen in this session: merges (undone newest first) or one archive
    run. `label` completes "Desfazer …?" in pt-BR."""

    kind: Literal["merge", "archive"]
    ids: tuple[int, ...]
    label: str


_SESSION: WeakKeyDictionary[App[Any], list[Undoable]] = WeakKeyDictionary()


def session_undo(app: App[Any]) -> list[Undoable]:
    """The app session's undo list, newest last (it outlives the screen: esc and back keep it)."""
    return _SESSION.setdefault(app, [])


# -- messages -----------------------------------------------------------------------------------


class ReportLoaded(Message, bubble=False):
    """The Limpeza report was computed."""

    def __init__(self, report: CleaningReport) -> None:
        super().__init__()
        self.report = report


class CleaningProgressed(Message, bubble=False):
    """The report (or a batch write) reached `fraction` (0..1) at stage `text`."""

    def __init__(self, text: str, fraction: float) -> None:
        super().__init__()
        self.text = text
        self.fraction = fraction

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CleaningProgressed)


class StaleProposed(Message, bubble=False):
    """The archive dry run found these stale contacts (nothing written)."""

    def __init__(self, proposal: ArchiveResult) -> None:
        super().__init__()
        self.proposal = proposal


class CleaningActed(Message, bubble=False):
    """A Limpeza write finished: `summary` for the person, what it added to or took from the
    session's undo list."""

    def __init__(
        self, summary: str, *, done: Undoable | None = None, undone: Undoable | None = None
    ) -> None:
        super().__init__()
        self.summary = summary
        self.done = done
        self.undone = undone


# -- the screen ---------------------------------------------------------------------------------


class CleaningScreen(PaneScreen):
    """Duplicates, invalid fields and stale contacts: review, merge, archive, undo."""

    PANE_TITLE = "Limpeza"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Revisar", id="cleaning.open"),
        Binding("tab", "section(1)", "Seção", id="cleaning.next_section"),
        Binding("shift+tab", "section(-1)", "Seção anterior", show=False, id="cleaning.previous"),
        Binding("a", "merge_high", "Mesclar altas", id="cleaning.merge_high"),
        Binding("x", "archive", "Arquivar", id="cleaning.archive"),
        Binding("u", "undo", "Desfazer", id="cleaning.undo"),
        Binding("r,ctrl+r", "reload", "Recarregar", show=False, id="cleaning.reload"),
        Binding("escape", "close", "Voltar", show=False, id="cleaning.close"),
    ]

    def __init__(self, *, as_of: date | None = None) -> None:
        super().__init__()
        self._as_of = as_of
        self.section: Section = "clusters"
        self.report: CleaningReport | None = None
        self.busy = False
        self.card_opened = False

    @property
    def as_of(self) -> date:
        """The reference date for stale contacts: the last segmentation's, else today."""
        return self._as_of or self.context.as_of or client_card.today()

    @property
    def undo_list(self) -> list[Undoable]:
        """What this session can undo, newest last."""
        return session_undo(self.app)

    def table(self, section: Section) -> CleaningTable:
        """The list of one section."""
        return self.query_one(f"#cleaning-{section}", CleaningTable)

    @property
    def current(self) -> CleaningTable:
        """The list on screen."""
        return self.table(self.section)

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield Static("Procurando duplicados…", id="cleaning-summary", markup=False)
        yield Static("", id="cleaning-progress", classes="hidden", markup=False)
        with Horizontal(id="cleaning-sections"):
            for section in SECTIONS:
                yield Static(
                    SECTION_LABELS[section],
                    id=f"cleaning-tab-{section}",
                    classes="cleaning-tab",
                    markup=False,
                )
        yield CleaningTable(CLUSTER_COLUMNS, id="cleaning-clusters")
        yield CleaningTable(ISSUE_COLUMNS, id_column="client_id", id="cleaning-issues")
        yield CleaningTable(STALE_COLUMNS, id_column="client_id", id="cleaning-stale")
        yield Static("", id="cleaning-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show_section()
        self._load()

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="cleaning-load", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(CleaningProgressed("validando os campos", 0.0))
        report = service.cleaning_report(
            self.db_path, as_of=self.as_of, settings=self.settings, on_progress=self._progress
        )
        self.post_message(ReportLoaded(report))

    def _progress(self, text: str, fraction: float) -> None:
        self.post_message(CleaningProgressed(text, fraction))

    def on_cleaning_progressed(self, message: CleaningProgressed) -> None:
        widget = self.query_one("#cleaning-progress", Static)
        widget.update(f"⟳ {message.text} {round(message.fraction * 100)}%")
        widget.remove_class("hidden")

    def _hide_progress(self) -> None:
        self.query_one("#cleaning-progress").add_class("hidden")

    def on_report_loaded(self, message: ReportLoaded) -> None:
        report = message.report
        self.report = report
        self._hide_progress()
        groups = sum(report.cluster_counts.values())
        by_level = " · ".join(
            f"{CONFIDENCE_LABELS.get(level, level).lower()} {n}"
            for level, n in report.cluster_counts.items()
        )
        self.query_one("#cleaning-summary", Static).update(
            f"{format_int(report.clients)} clientes · completude média "
            f"{percent_text(report.mean_completeness)} · grupos: {by_level}"
        )
        counts: dict[Section, int] = {
            "clusters": groups,
            "issues": report.issues.height,
            "stale": report.stale.height,
        }
        for section in SECTIONS:
            self.query_one(f"#cleaning-tab-{section}", Static).update(
                f"{SECTION_LABELS[section]} {format_int(counts[section])}"
            )
        frames = {
            "clusters": cluster_rows(report.clusters),
            "issues": issue_rows(report.issues),
            "stale": stale_rows(report.stale),
        }
        for section in SECTIONS:
            self._refill(self.table(section), frames[section])
        self._show_detail()
        self.refresh_bindings()

    @staticmethod
    def _refill(table: CleaningTable, frame: pl.DataFrame) -> None:
        """Show `frame`, the cursor on the same row id, else (a merged group) the same place."""
        keep_id = table.cursor_id
        ids = frame.get_column(table.id_column)
        if keep_id is not None and not ids.is_in([keep_id]).any() and frame.height:
            keep_id = int(ids[min(table.cursor_row, frame.height - 1)])
        table.show(frame, keep_id=keep_id)

    def on_screen_resume(self) -> None:
        """Coming back from a client's card (where it may have been edited) reloads the lists."""
        if self.card_opened and not self.busy:
            self.card_opened = False
            self._load()

    # -- sections and detail ------------------------------------------------------------------

    def action_section(self, step: int) -> None:
        index = (SECTIONS.index(self.section) + step) % len(SECTIONS)
        self.section = SECTIONS[index]
        self._show_section()

    def _show_section(self) -> None:
        for section in SECTIONS:
            self.table(section).set_class(section != self.section, "hidden")
            self.query_one(f"#cleaning-tab-{section}").set_class(
                section == self.section, "-current"
            )
        self.current.focus()
        self._show_detail()
        self.refresh_bindings()

    @on(CleaningTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _current_row(self) -> dict[str, Any] | None:
        table = self.current
        row = table.cursor_row
        if not 0 <= row < table.row_count:
            return None
        return table.frame.row(row, named=True)

    def _show_detail(self) -> None:
        detail = self.query_one("#cleaning-detail", Static)
        row = self._current_row()
        if self.report is None:
            detail.update("")
        elif row is None:
            detail.update(EMPTY_TEXT[self.section])
        elif self.section == "clusters":
            detail.update(self._cluster_text(int(row["id"])))
        elif self.section == "issues":
            detail.update(
                f"{row['external_id']} {row['name'] or '—'}\n"
                f"{row['field_label']}: {row['raw_value'] or '—'} — {row['label']}\n"
                "enter abre o cliente"
            )
        else:
            detail.update(
                f"{row['external_id']} {row['name'] or '—'}\n"
                f"{row['kind_label']} · última atividade {format_date(row['last_activity'])}\n"
                "x propõe arquivar todos os contatos parados · enter abre o cliente"
            )

    def _cluster_text(self, cluster_id: int) -> str:
        assert self.report is not None
        members = self.report.clusters.filter(pl.col("cluster_id") == cluster_id).sort(
            ["is_survivor", "client_id"], descending=[True, False]
        )
        first = members.row(0, named=True)
        level = CONFIDENCE_LABELS.get(first["confidence"], first["confidence"])
        lines = [
            f"Grupo {cluster_id} · confiança {level.lower()} {score_text(first['score'])} · "
            f"{members.height} clientes"
        ]
        for member in members.head(2).iter_rows(named=True):
            lines.append(
                f"{'★' if member['is_survivor'] else ' '} {member['external_id']} "
                f"{member['name'] or '—'} · completude {member['completeness']}%"
                + (" · fica (sugerido)" if member["is_survivor"] else "")
            )
        if members.height > 2:
            lines[-1] += f" · e mais {members.height - 2}"
        return "\n".join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that need a row, a stale contact or something to undo hide otherwise."""
        if not self.is_mounted:
            return True
        if action == "open":
            return self.report is not None and self.current.cursor_id is not None
        if action == "merge_high":
            return (
                self.report is not None
                and self.report.cluster_counts.get("alta", 0) > 0
                and not self.busy
            )
        if action == "archive":
            return self.report is not None and self.report.stale.height > 0 and not self.busy
        if action == "undo":
            return bool(self.undo_list) and not self.busy
        return True

    # -- opening ------------------------------------------------------------------------------

    def action_open(self) -> None:
        row_id = self.current.cursor_id
        if row_id is None:
            return
        if self.section == "clusters":
            self.app.push_screen(
                MergeScreen(row_id, db_path=self.db_path, as_of=self.as_of), self._merged
            )
        else:
            self.card_opened = True
            self.post_message(ClientOpenRequested(row_id, None))

    def _merged(self, done: MergeDone | None) -> None:
        if done is None:
            return
        self.undo_list.append(
            Undoable(
                "merge",
                (done.result.merge_id,),
                f"a mesclagem de {done.clients} clientes em {done.survivor_code}",
            )
        )
        self.notify(
            f"Mesclados: {done.clients} clientes em {done.survivor_code} (desfazer: u)",
            title="Limpeza",
            timeout=6,
        )
        self._changed()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self._load()

    # -- merge every high-confidence group ----------------------------------------------------

    def action_merge_high(self) -> None:
        if self.report is None:
            return
        groups = self.report.cluster_counts.get("alta", 0)
        self.app.push_screen(
            ConfirmModal(
                f"Mesclar {'o grupo' if groups == 1 else f'os {format_int(groups)} grupos'} "
                "de confiança alta?",
                "Cada grupo fica no cliente sugerido, com os valores sugeridos; pedidos, "
                "interações e tarefas passam para ele. Desfazer: u.",
            ),
            self._merge_high_confirmed,
        )

    def _merge_high_confirmed(self, yes: bool | None) -> None:
        if yes:
            self._start()
            self._merge_high()

    @work(thread=True, exclusive=True, group="cleaning-write", exit_on_error=False)
    def _merge_high(self) -> None:
        done = service.merge_duplicates(
            self.db_path, today=client_card.today(), on_progress=self._progress
        )
        clients = sum(len(m.removed_ids) + 1 for m in done)
        undo = Undoable(
            "merge",
            tuple(m.merge_id for m in done),
            f"a mesclagem de {counted(len(done), 'grupo', 'grupos')} de confiança alta",
        )
        self.post_message(
            CleaningActed(
                f"Mesclados: {counted(len(done), 'grupo', 'grupos')}, "
                f"{counted(clients, 'cliente', 'clientes')} (desfazer: u)",
                done=undo if done else None,
            )
        )

    # -- archive stale contacts ---------------------------------------------------------------

    def action_archive(self) -> None:
        self._start()
        self._propose_archive()

    @work(thread=True, exclusive=True, group="cleaning-write", exit_on_error=False)
    def _propose_archive(self) -> None:
        proposal = service.archive_stale(
            self.db_path, as_of=self.as_of, settings=self.settings, apply=False
        )
        self.post_message(StaleProposed(proposal))

    def on_stale_proposed(self, message: StaleProposed) -> None:
        self._stop()
        proposal = message.proposal
        if proposal.stale.is_empty():
            self.notify("Nenhum contato parado para arquivar.", title="Limpeza", timeout=4)
            return
        by_kind = " · ".join(
            f"{service.STALE_LABELS[kind].lower()}: {format_int(n)}"
            for kind, n in proposal.counts.items()
        )
        self.app.push_screen(
            ConfirmModal(
                f"Arquivar {counted(proposal.stale.height, 'contato parado', 'contatos parados')}?",
                f"{by_kind}.\nArquivar não apaga nada. Desfazer: u.",
            ),
            self._archive_confirmed,
        )

    def _archive_confirmed(self, yes: bool | None) -> None:
        if yes:
            self._start()
            self._archive()

    @work(thread=True, exclusive=True, group="cleaning-write", exit_on_error=False)
    def _archive(self) -> None:
        done = service.archive_stale(
            self.db_path, as_of=self.as_of, settings=self.settings, apply=True
        )
        count = done.stale.height
        undo = (
            Undoable(
                "archive",
                (done.run_id,),
                f"o arquivamento de {counted(count, 'contato', 'contatos')}",
            )
            if done.run_id is not None
            else None
        )
        self.post_message(
            CleaningActed(
                f"Arquivados: {counted(count, 'contato', 'contatos')} (desfazer: u)", done=undo
            )
        )

    # -- undo ---------------------------------------------------------------------------------

    def action_undo(self) -> None:
        if not self.undo_list:
            return
        last = self.undo_list[-1]
        self.app.push_screen(
            ConfirmModal(f"Desfazer {last.label}?", "Os clientes voltam como estavam antes."),
            lambda yes: self._undo_confirmed(last, yes),
        )

    def _undo_confirmed(self, last: Undoable, yes: bool | None) -> None:
        if yes:
            self._start()
            self._undo(last)

    @work(thread=True, exclusive=True, group="cleaning-write", exit_on_error=False)
    def _undo(self, last: Undoable) -> None:
        if last.kind == "merge":
            restored = 0
            for done, merge_id in enumerate(reversed(last.ids)):
                self._progress("desfazendo as mesclagens", done / len(last.ids))
                restored += len(service.undo_merge(self.db_path, merge_id).restored_ids)
            summary = f"Desfeita {last.label} ({counted(restored, 'cliente', 'clientes')} de volta)"
        else:
            back = service.undo_archive(self.db_path, last.ids[0])
            summary = (
                f"Desfeito {last.label} "
                f"({counted(len(back.restored_ids), 'cliente', 'clientes')} de volta)"
            )
        self.post_message(CleaningActed(summary, undone=last))

    # -- after a write ------------------------------------------------------------------------

    def _start(self) -> None:
        self.busy = True
        self.refresh_bindings()

    def _stop(self) -> None:
        self.busy = False
        self._hide_progress()
        self.refresh_bindings()

    def on_cleaning_acted(self, message: CleaningActed) -> None:
        self._stop()
        if message.done is not None:
            self.undo_list.append(message.done)
        if message.undone is not None and message.undone in self.undo_list:
            self.undo_list.remove(message.undone)
        self.notify(message.summary, title="Limpeza", timeout=6)
        self._changed()

    def _changed(self) -> None:
        """After a write: reload these lists, and the Clientes pane (clients came or went)."""
        self._load()
        for screen in self.app.get_screen_stack("clientes"):
            if isinstance(screen, ClientsScreen):
                screen.action_reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read or write frees the keys again, then its error is shown in pt-BR."""
        if event.state is WorkerState.ERROR:
            self._stop()
        super().on_worker_state_changed(event)
