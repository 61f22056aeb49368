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


@pytest.mark.parametrize("module", HEADLESS_MODULES)
def test_importing_a_headless_layer_leaves_textual_out(module: str) -> None:
    code = (
        f"import sys, pkgutil, importlib; import {module} as m\n"
        "for info in pkgutil.walk_packages(getattr(m, '__path__', []), m.__name__ + '.'):\n"
        "    if '.tui' not in info.name: importlib.import_module(info.name)\n"
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_engine_never_loads_sqlite() -> None:
    code = (
        "import sys, pkgutil, importlib, carteira_tui.engine as m\n"
        "for info in pkgutil.walk_packages(m.__path__, m.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "print('sqlite_utils' in sys.modules, 'carteira_tui.store' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False False"
