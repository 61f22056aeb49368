"""The newest kept forecast fit, read with the standard library alone (`store.forecast` re-exports
it and owns the writes): the settings digest of a board asks it, and `carteira board` on a
current run loads neither Polars nor NumPy nor sqlite-utils.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carteira_tui.store.reader import Readable

__all__ = ["FIT_COLUMNS", "latest_fit"]

FIT_COLUMNS = (
    "as_of",
    "generation",
    "r",
    "alpha",
    "a",
    "b",
    "bg_log_likelihood",
    "bg_clients",
    "bg_converged",
    "bg_problem",
    "p",
    "q",
    "gamma",
    "gg_log_likelihood",
    "gg_clients",
    "gg_converged",
    "gg_problem",
)


def latest_fit(db: Readable) -> dict[str, Any] | None:
    """The newest kept fit (FIT_COLUMNS plus `id` and `fitted_at`, UTC ISO), or None."""
    names = ("id", "fitted_at", *FIT_COLUMNS)
    row = db.execute(
        f"SELECT {', '.join(names)} FROM forecast_fits ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else dict(zip(names, row, strict=True))
