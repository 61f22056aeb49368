"""Text that is safe to print: what a terminal would obey is removed (stdlib only, so the CLI's
output filter costs no heavy import). `model` re-exports `terminal_safe`."""

from __future__ import annotations

import re

_TERMINAL_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: cursor moves, clear screen, colours
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    # OSC (title, clipboard 52, hyperlinks), DCS, SOS, PM, APC: up to their terminator
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NO_NEWLINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def terminal_safe(text: str, *, newlines: bool = True) -> str:
    """`text` with nothing a terminal would obey: escape sequences (title, clipboard, clearing
    the screen) removed whole, other C0/C1 control characters and DEL dropped; tab and (unless
    `newlines=False`, for one-line cells) newline kept."""
    if text.isprintable() or _CONTROL.search(text) is None and (newlines or "\n" not in text):
        return text
    cleaned = _TERMINAL_SEQUENCE.sub("", text)
    return (_CONTROL if newlines else _CONTROL_NO_NEWLINE).sub("", cleaned)
