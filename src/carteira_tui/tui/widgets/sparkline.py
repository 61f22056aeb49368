"""`sparkline`: a row of Unicode block characters for a short series (a client's monthly spend).

Plain text, so it reads the same with NO_COLOR and in a terminal capture. Used by the Cliente card.
"""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"
EMPTY = "·"
"""A month with no value: a dot, so an empty month never looks like a small one."""


def sparkline(values: Sequence[int | float | None]) -> str:
    """One character per value: a dot for zero or null, else a block scaled to the maximum."""
    top = max((v for v in values if v), default=0)
    if not top or top <= 0:
        return EMPTY * len(values)
    chars = []
    for value in values:
        if not value or value <= 0:
            chars.append(EMPTY)
            continue
        level = min(len(BLOCKS) - 1, max(0, -(-int(value * len(BLOCKS)) // int(top)) - 1))
        chars.append(BLOCKS[level])
    return "".join(chars)
