"""`WhatIf`: `w` opens the what-if form on the settings in force (status days and ABC cuts);
while the person types, `services.segmentation.preview_settings` counts clients under the typed
values in a worker and the cards and the matrix show them beside the current ones; `ctrl+s`
saves them as the shared settings (`services.settings.set_shared`) and re-segments; esc leaves
without saving.
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.widgets import Input, Static

from carteira_tui.config import Settings, SettingsError
from carteira_tui.services.reports import NO_VALUE
from carteira_tui.services.segmentation import preview_settings
from carteira_tui.services.settings import set_shared
from carteira_tui.tui.widgets.segments.board import BoardSelection
from carteira_tui.tui.widgets.segments.messages import PreviewComputed, PreviewRejected
from carteira_tui.tui.widgets.segments.resegmentation import Resegmentation
from carteira_tui.vocab import segments as segment_words

WHAT_IF_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("active_days", "ativo ≤", "d"),
    ("recent_days", "recente ≤", "d"),
    ("abc_a", "A <", "%"),
    ("abc_b", "B <", "%"),
)
"""The settings the what-if form edits: (field, label before the input, unit after it)."""


PREVIEW_DELAY = 0.4
"""Seconds of quiet typing before the preview is recomputed."""


def settings_message(error: SettingsError) -> str:
    """A settings error with the form's labels instead of the settings' field names."""
    text = str(error)
    for field, label, _unit in WHAT_IF_FIELDS:
        text = text.replace(field, label.split()[0])
    return text


def form_value(field: str, settings: Settings) -> str:
    """A setting as the what-if form shows it (ABC cuts in percent)."""
    value = getattr(settings, field)
    if isinstance(value, float):
        return f"{value * 100:g}".replace(".", ",")
    return str(value)


class WhatIf(BoardSelection, Resegmentation):
    """The what-if form and its preview (mixed into `SegmentsScreen`)."""

    def action_what_if(self) -> None:
        """Open the what-if form on the settings in force and preview them."""
        settings = self.portfolio_app.settings
        for field, _label, _unit in WHAT_IF_FIELDS:
            self.query_one(f"#whatif-{field}", Input).value = form_value(field, settings)
        self.what_if = True
        self.query_one("#whatif-form").remove_class("hidden")
        message = self.query_one("#whatif-message", Static)
        message.remove_class("hidden")
        message.update(segment_words.PREVIEWING)
        self.refresh_bindings()
        self.query_one(f"#whatif-{WHAT_IF_FIELDS[0][0]}", Input).focus()
        self._schedule_preview(0.0)

    def overrides(self) -> dict[str, str]:
        """The form's values as `key=value` overrides (percent signs dropped)."""
        return {
            field: self.query_one(f"#whatif-{field}", Input).value.replace("%", "").strip()
            for field, _label, _unit in WHAT_IF_FIELDS
        }

    @on(Input.Changed, "#whatif-form Input")
    def _what_if_changed(self) -> None:
        if self.what_if:
            self._schedule_preview(PREVIEW_DELAY)

    @on(Input.Submitted, "#whatif-form Input")
    def _what_if_submitted(self) -> None:
        self._schedule_preview(0.0)
        self.set_focus(None)

    def _schedule_preview(self, delay: float) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(delay, self._start_preview)

    def _start_preview(self) -> None:
        if not self.what_if:
            return
        overview = self.overview
        as_of = overview.as_of if overview and overview.as_of else self.today()
        self._preview(self.overrides(), self.portfolio_app.settings, as_of)

    @work(thread=True, exclusive=True, group="segments-preview", exit_on_error=False)
    def _preview(self, overrides: dict[str, str], settings: Settings, as_of: date) -> None:
        try:
            preview = preview_settings(
                self.portfolio_app.db_path, overrides, settings=settings, as_of=as_of
            )
        except SettingsError as error:
            self.post_message(PreviewRejected(overrides, settings_message(error)))
            return
        self.post_message(PreviewComputed(overrides, preview))

    async def on_preview_computed(self, message: PreviewComputed) -> None:
        if not self.what_if or message.overrides != self.overrides():
            return
        self.preview = message.preview
        rows = message.preview.rows
        self.matrix.show_preview(
            {v: n for d, v, _c, n in rows if d == "status"},
            {(None if v == NO_VALUE else v): n for d, v, _c, n in rows if d == "abc"},
        )
        await self._show_cards()
        message_line = self.query_one("#whatif-message", Static)
        message_line.set_class(False, "error")
        message_line.update(segment_words.PREVIEW_READY)
        self._select(self.selected)

    def on_preview_rejected(self, message: PreviewRejected) -> None:
        if not self.what_if or message.overrides != self.overrides():
            return
        message_line = self.query_one("#whatif-message", Static)
        message_line.set_class(True, "error")
        message_line.update(segment_words.invalid_values(message.message))

    async def action_leave_what_if(self) -> None:
        """Close the what-if form without saving."""
        if not self.what_if:
            return
        self.what_if = False
        self.preview = None
        self.query_one("#whatif-form").add_class("hidden")
        self.query_one("#whatif-message").add_class("hidden")
        self.matrix.show_preview(None, None)
        self.set_focus(None)
        self.refresh_bindings()
        await self._show_cards()
        self._select(self.selected)

    async def action_save_settings(self) -> None:
        """Save the what-if values as the shared settings and re-segment with them."""
        if not self.what_if:
            return
        try:
            # shared settings: saved in the database for everybody (`carteira config set`)
            settings = set_shared(self.portfolio_app.db_path, self.overrides())
        except SettingsError as error:
            message_line = self.query_one("#whatif-message", Static)
            message_line.set_class(True, "error")
            message_line.update(segment_words.invalid_values(settings_message(error)))
            return
        self.portfolio_app.settings = settings
        await self.action_leave_what_if()
        self.notify(segment_words.LIMITS_SAVED, title=segment_words.TITLE)
        overview = self.overview
        self.action_resegment(overview.as_of if overview and overview.as_of else None)
