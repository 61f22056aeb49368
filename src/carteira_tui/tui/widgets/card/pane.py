"""`CardPane`: what the Cliente card's features share — the client and where it is read from
(the app's database, settings and day unless given), reading the card and its segmentation
explanation in a worker, and showing each section (`sections.py`).

`ClientCardScreen` (screens/client_card.py) is this base plus `CardEdits` (edits.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import work
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from carteira_tui.config import Settings
from carteira_tui.services import clients as service
from carteira_tui.services.clients import ClientCard
from carteira_tui.services.segmentation import explain_client
from carteira_tui.services.today import client_why
from carteira_tui.tui.context import app_context
from carteira_tui.tui.widgets.card.messages import CardLoaded, ExplanationLoaded
from carteira_tui.tui.widgets.card.sections import (
    headline_of,
    history_text,
    orders_text,
    profile_text,
    quality_text,
    tasks_text,
    timeline_text,
)
from carteira_tui.vocab import card as words


def today() -> date:
    """The card's day: `screens.client_card.today`, the one clock Tarefas, Hoje and Limpeza read
    too (tests replace it there)."""
    from carteira_tui.tui.screens import client_card  # the screen module owns the clock

    return client_card.today()


class CardPane(Screen[None]):
    """The Cliente card's shared state, loading and sections."""

    PANE_TITLE = words.TITLE

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
            self.post_message(ExplanationLoaded([], "", note=words.no_explanation(error)))
            return
        headline = headline_of(explained.row)
        # Hoje: the card's first lines say why the client is in today's queue, as Hoje does
        why = client_why(
            self.db_path, client_id=card.client_id, as_of=today(), settings=self.settings
        )
        if why:
            headline = words.headline_today(why, headline)
        if not worker.is_cancelled:
            self.post_message(ExplanationLoaded(explained.lines, headline))

    def on_card_loaded(self, message: CardLoaded) -> None:
        card = message.card
        self.card = card
        self.query_one("#card-title", Static).update(
            words.title_line(card.name, card.external_id, card.profile.get("owner") or "—")
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
            self.notify(str(event.worker.error), title=words.TITLE, severity="error", timeout=8)
            if self.card is None:
                self.query_one("#card-title", Static).update(words.NOT_FOUND)

    def _client_name(self) -> str:
        return self.card.name if self.card else words.A_CLIENT
