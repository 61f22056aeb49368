"""`CardEdits`: what the Cliente card writes — log a contact (`i`), add a note (`n`), edit a
field (`e`, checked by the service's own rule as it is typed) and set a follow-up (`f`) — each
asked in a dialog and run in a worker by one service call (`services.clients`); the card
reloads after each write (`ClientChanged`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from textual import on, work

from carteira_tui.services import clients as service
from carteira_tui.services.today import local_now
from carteira_tui.tui.screens.choice_modal import ChoiceModal
from carteira_tui.tui.screens.interaction_modal import Contact, InteractionModal
from carteira_tui.tui.screens.text_modal import TextModal
from carteira_tui.tui.screens.when_modal import WhenModal
from carteira_tui.tui.widgets.card.messages import ClientChanged
from carteira_tui.tui.widgets.card.pane import CardPane, today
from carteira_tui.vocab import card as words


def field_problem(field: str, text: str) -> str | None:
    """Why `text` is not a valid value of profile `field` (the service's own check), or None."""
    if field == "owner":
        return None  # an owner's name is checked against the owners when it is written
    try:
        service.normalize_value(field, text)
    except service.ClientError as error:
        return str(error)
    return None


class CardEdits(CardPane):
    """Contact, note, field, follow-up (mixed into `ClientCardScreen`)."""

    # -- actions: modal → worker → service → ClientChanged → reload ------------------------------

    def action_log_contact(self) -> None:
        channel = self.card.profile.get("channel_pref") if self.card else None
        self.app.push_screen(
            InteractionModal(words.log_contact_title(self._client_name()), channel),
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
                words.CONTACT_LOGGED,
            )

    def action_add_note(self) -> None:
        self.app.push_screen(
            TextModal(words.note_title(self._client_name()), placeholder=words.NOTE_PLACEHOLDER),
            self._note,
        )

    def _note(self, text: str | None) -> None:
        if text and text.strip():
            self._write(
                lambda: service.add_note(self.db_path, self.client_id, text, on=today()),
                words.NOTE_ADDED,
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
        self.app.push_screen(ChoiceModal(words.EDIT_WHICH, options), self._field_chosen)

    def _field_chosen(self, field: str | None) -> None:
        if field is None:
            return
        value = (self.card.profile if self.card else {}).get(field)
        initial = "" if value is None else service.display_value(field, value)
        hint = words.HINT_EMPTY_CLEARS if field != "name" else ""
        if field in service.FLAG_FIELDS:
            hint = words.HINT_YES_NO
        elif field == "owner":
            hint = words.HINT_OWNER
        self.app.push_screen(
            TextModal(
                words.field_title(service.FIELD_LABELS[field], self._client_name()),
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
                words.field_changed(service.FIELD_LABELS[field]),
            )

    def action_follow_up(self) -> None:
        self.app.push_screen(
            WhenModal(words.follow_up_title(self._client_name()), today()), self._follow_up_day
        )

    def _follow_up_day(self, day: date | None) -> None:
        if day is not None:
            self._write(
                lambda: service.set_follow_up(
                    self.db_path, self.client_id, due=day, as_of=today(), settings=self.settings
                ),
                words.follow_up_set(day.strftime("%d/%m/%Y")),
            )

    @work(thread=True, exclusive=True, group="card-write", exit_on_error=False)
    def _write(self, call: Callable[[], object], summary: str) -> None:
        call()
        self.post_message(ClientChanged(summary))

    @on(ClientChanged)
    def _changed(self, message: ClientChanged) -> None:
        self.notify(message.summary, title=words.TITLE, timeout=3)
        self._load()
