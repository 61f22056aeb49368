"""`SectionTabs`: the Limpeza pane's line of sections ("Duplicados 3  Campos inválidos 12 …").

Which section is current and how many rows each holds are reactives; their watch methods mark
the current tab and write the counts, so the pane sets values instead of toggling classes.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

from carteira_tui.tui.widgets.cleaning.rows import SECTION_LABELS, SECTIONS, Section
from carteira_tui.tui.widgets.frame_table import format_int


class SectionTabs(Horizontal):
    """One tab per section; `section` is the current one, `counts` the rows of each."""

    section: reactive[Section] = reactive[Section]("clusters", init=False)
    counts: reactive[dict[Section, int] | None] = reactive(None, init=False)

    def compose(self) -> ComposeResult:
        for section in SECTIONS:
            yield Static(
                SECTION_LABELS[section],
                id=f"cleaning-tab-{section}",
                classes="cleaning-tab",
                markup=False,
            )

    def on_mount(self) -> None:
        self.watch_section(self.section)

    def watch_section(self, current: Section) -> None:
        for section in SECTIONS:
            tab = self.query_one(f"#cleaning-tab-{section}", Static)
            tab.set_class(section == current, "-current")

    def watch_counts(self, counts: dict[Section, int] | None) -> None:
        for section in SECTIONS:
            label = SECTION_LABELS[section]
            text = label if counts is None else f"{label} {format_int(counts[section])}"
            self.query_one(f"#cleaning-tab-{section}", Static).update(text)
