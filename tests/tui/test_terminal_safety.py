"""No client text drives the terminal from a screen (issue "Trust", terminal safety)."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

import carteira_tui.tui.app  # noqa: F401  - importing the app hardens text rendering
from carteira_tui.tui.widgets.frame_table import _cell

HOSTILE = "Ana\x1b]0;pwned\x07 \x1b]52;c;cHduZWQ=\x07\x1b[2J\x9b2J Silva"


def test_labels_and_notifications_drop_every_control_character() -> None:
    for plain in (Content(HOSTILE).plain, Text(HOSTILE).plain):
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in plain), repr(plain)
        assert "Ana" in plain and "Silva" in plain


def test_table_cells_drop_whole_escape_sequences() -> None:
    assert _cell(HOSTILE, 20, False) == "Ana  Silva".ljust(20)
