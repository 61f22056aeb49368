"""sqlite-utils and PyArrow without NumPy: an import-time guard (standard library only; no
layer).

`sqlite_utils.db` imports NumPy whenever it can (`try: import numpy`), only to map NumPy scalar
types to column types in its table API (`db[table].insert`, `.create`, `.add_column`), which
this product never calls: the store writes its SQL itself and hands SQLite Python values. NumPy
costs ~50 ms of every command that opens the database (a 1,000-order import takes ~0.5 s),
and most never use it.

`install()` (called by the package root) makes `sqlite_utils.db` and `pyarrow` (`GUARDED`) run
as they do where NumPy is absent, unless NumPy is loaded already: while one executes, its thread
finds no NumPy to import (other threads, and every later import, find it as usual). NumPy
itself stays importable: the forecast, SciPy and `store.forecast` import it when they run,
before or after them (`tests/test_lean_imports.py` checks both orders). PyArrow loaded so
cannot hand arrays to NumPy (`Array.to_numpy`); the product never asks it to (Polars converts
its own columns).
"""

from __future__ import annotations

import importlib.machinery
import sys
from _thread import get_ident
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # importlib.abc loads importlib.resources: only the type checker reads it
    from collections.abc import Sequence
    from importlib.abc import Loader
    from types import ModuleType

GUARDED = frozenset({"sqlite_utils.db", "pyarrow"})
"""The modules loaded without NumPy (a package with the modules it loads as it executes):
PyArrow, which the segmentation cache reads and writes Arrow IPC files with, takes NumPy as
optional since 16 and never needs it for that (~75 ms of every re-segmentation with it)."""
HIDDEN = "numpy"


class _Guard:
    """A meta path finder, first on `sys.meta_path`: finds each of `GUARDED` as the path finder does
    with its loader wrapped (`_HiddenWhileExecuting`), and refuses `HIDDEN` to a thread while
    that loader runs in it."""

    def __init__(self) -> None:
        self.hiding: set[int] = set()
        """The threads executing one of `GUARDED` now."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == HIDDEN and get_ident() in self.hiding:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        if fullname not in GUARDED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = cast("Loader", _HiddenWhileExecuting(spec.loader, self))
        return spec


class _HiddenWhileExecuting:
    """A `GUARDED` module's own loader, run with `HIDDEN` refused to its thread."""

    def __init__(self, loader: Loader, guard: _Guard) -> None:
        self._loader = loader
        self._guard = guard

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        thread = get_ident()
        self._guard.hiding.add(thread)
        try:
            self._loader.exec_module(module)
        finally:
            self._guard.hiding.discard(thread)


def install() -> None:
    """Put the guard first on the import path (once; it acts only if one of `GUARDED` is loaded
    after, and only while it is)."""
    if not any(isinstance(finder, _Guard) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Guard())
