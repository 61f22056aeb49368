"""The layer rules of DESIGN.md, checked at run time (import-linter checks them statically)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS_MODULES = [
    "carteira_tui.cli",
    "carteira_tui.services",
    "carteira_tui.engine",
    "carteira_tui.store",
    "carteira_tui.model",
    "carteira_tui.config",
]


def loaded_after_importing(package: str, probes: tuple[str, ...], *, skip: str = "") -> list[str]:
    """Which of `probes` are in `sys.modules` after a fresh Python imports `package` and every
    module below it (those whose name contains `skip`, when given, left out)."""
    code = (
        f"import sys, pkgutil, importlib; import {package} as m\n"
        "for info in pkgutil.walk_packages(getattr(m, '__path__', []), m.__name__ + '.'):\n"
        f"    if not {skip!r} or {skip!r} not in info.name: importlib.import_module(info.name)\n"
        f"print(' '.join(p for p in {probes!r} if p in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.split()


@pytest.mark.parametrize("module", HEADLESS_MODULES)
def test_importing_a_headless_layer_leaves_textual_out(module: str) -> None:
    assert loaded_after_importing(module, ("textual",), skip=".tui") == []


def test_the_engine_never_loads_sqlite() -> None:
    probes = ("sqlite_utils", "sqlite3", "carteira_tui.store")
    assert loaded_after_importing("carteira_tui.engine", probes) == []


def test_the_vocabulary_loads_no_library() -> None:
    """The CLI's error path uses it without loading Polars, Textual, click or SQLite."""
    probes = ("polars", "textual", "click", "sqlite_utils", "sqlite3")
    assert loaded_after_importing("carteira_tui.vocab", probes) == []
