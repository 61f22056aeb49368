"""sqlite-utils without NumPy: an import-time guard (standard library only; no layer).

`sqlite_utils.db` imports NumPy whenever it can (`try: import numpy`), only to map NumPy scalar
types to column types in its table API (`db[table].insert`, `.create`, `.add_column`), which
this product never calls: the store writes its SQL itself and hands SQLite Python values. NumPy
costs ~50 ms of every command that opens the database (a 1,000-order import takes ~0.5 s),
and most never use it.

`install()` (called by the package root) makes `sqlite_utils.db` run as it does where NumPy is
absent, unless NumPy is loaded already: while that one module executes, `import numpy` raises
ImportError. NumPy itself stays importable: the forecast, SciPy and `store.forecast` import it
when they run, before or after sqlite-utils (`tests/test_lean_imports.py` checks both orders).
"""

from __future__ import annotations

import importlib.machinery
import sys
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # importlib.abc loads importlib.resources: only the type checker reads it
    from collections.abc import Sequence
    from importlib.abc import Loader
    from types import ModuleType

GUARDED = "sqlite_utils.db"
"""The one module loaded without NumPy."""
HIDDEN = "numpy"


class _HiddenWhileExecuting:
    """The module's own loader, run with `HIDDEN` unimportable (unless already loaded)."""

    def __init__(self, loader: Loader) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        if HIDDEN in sys.modules:  # loaded (or hidden) already: nothing to save
            self._loader.exec_module(module)
            return
        sys.modules[HIDDEN] = None  # type: ignore[assignment]  # import's "not available"
        try:
            self._loader.exec_module(module)
        finally:
            if sys.modules.get(HIDDEN, HIDDEN) is None:
                del sys.modules[HIDDEN]


class _Finder:
    """A meta path finder: finds `GUARDED` as the path finder does, and wraps its loader."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != GUARDED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = cast("Loader", _HiddenWhileExecuting(spec.loader))
        return spec


def install() -> None:
    """Put the guard first on the import path (once; a no-op once `GUARDED` is loaded)."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
