"""No client text drives the terminal from a screen: every control character is dropped where
Textual and Rich turn text into what is drawn.

Textual's `Content` and Rich's `Text` already drop a few control codes (bell, backspace, form
feed) through one translation table each; `harden_text_rendering` adds the rest (ESC, which
starts title, clipboard and clear-screen sequences, the other C0 codes, DEL and C1), so a name
holding `ESC ] 0 ; … BEL` shows as plain text in every label, notification and card. Styles are
spans, never escape codes in the text, so nothing the app draws on purpose is lost. Tables
drawn through the Line API (`widgets.frame_table`) clean their cells with `model.terminal_safe`.
"""

from __future__ import annotations

import contextlib

_DROPPED = [code for code in (*range(0x20), *range(0x7F, 0xA0)) if code not in (0x09, 0x0A)]


def harden_text_rendering() -> None:
    """Add every control character but tab and newline to Textual's and Rich's strip tables."""
    import rich.control
    import textual.content

    for module in (textual.content, rich.control):
        table = getattr(module, "_CONTROL_STRIP_TRANSLATE", None)
        if isinstance(table, dict):
            with contextlib.suppress(TypeError):
                table.update(dict.fromkeys(_DROPPED))
