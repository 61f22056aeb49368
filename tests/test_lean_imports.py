"""lean_imports: sqlite-utils and PyArrow load without NumPy, and NumPy, SciPy and the
forecast still work whenever they are needed, before or after them (real processes: the guard
acts at import)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from carteira_tui import lean_imports

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"

PROBE = """
import sys
{first}
from carteira_tui.cli import main

def run(*args):
    try:
        main(["--db", sys.argv[1], *args])
    except SystemExit as end:
        assert not end.code, end.code

heavy = ("numpy", "scipy", "pyarrow")
run("import", "clients", sys.argv[2], "--no-segment")
run("import", "orders", sys.argv[3], "--no-segment")
print("AFTER IMPORT", [name for name in heavy if name in sys.modules])
run("segment", "--as-of", "30/06/2026")
print("AFTER SEGMENT", [name for name in heavy if name in sys.modules])
run("forecast", "--as-of", "30/06/2026")
run("segment", "--as-of", "30/06/2026", "--where", "p_alive < 0.5")  # scored with the fit
import sqlite_utils.db
print("SQLITE-UTILS NUMPY", sqlite_utils.db.np is not None)
"""


def _probe(db_path: Path, first: str = "") -> tuple[str, str]:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.format(first=first),
            str(db_path),
            str(SAMPLES / "clientes.csv"),
            str(SAMPLES / "pedidos.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    flagged = ("AFTER", "SQLITE", "Segmentação")  # flags; the run's line names its seconds
    forecast = "\n".join(line for line in lines if not line.startswith(flagged))
    flags = "\n".join(line for line in lines if line.startswith(("AFTER", "SQLITE")))
    return forecast, flags


def test_an_import_loads_no_numpy_and_the_forecast_after_it_is_the_same(tmp_path: Path) -> None:
    lean, lean_flags = _probe(tmp_path / "lean.db")
    assert "AFTER IMPORT []" in lean_flags  # nor SciPy nor pyarrow
    assert "AFTER SEGMENT ['pyarrow']" in lean_flags  # the cache's files, without NumPy
    assert "SQLITE-UTILS NUMPY False" in lean_flags
    # NumPy loaded before everything: sqlite-utils takes it as it always did
    full, full_flags = _probe(tmp_path / "full.db", first="import numpy")
    assert "AFTER IMPORT ['numpy']" in full_flags
    assert "AFTER SEGMENT ['numpy', 'pyarrow']" in full_flags
    assert "SQLITE-UTILS NUMPY True" in full_flags
    assert "Compras (BG/NBD)" in lean
    assert lean == full  # the forecast fitted after the guard is the one fitted without it


def test_numpy_and_scipy_import_after_sqlite_utils() -> None:
    code = (
        "import sys\n"
        "import carteira_tui\n"
        "import sqlite_utils.db\n"
        "assert 'numpy' not in sys.modules and sqlite_utils.db.np is None\n"
        "import numpy\n"
        "from scipy import special\n"
        "print(float(special.gammaln(numpy.float64(5.0))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert abs(float(done.stdout) - 3.1780538303479458) < 1e-12  # ln(4!)


def test_the_guard_costs_the_package_root_no_library() -> None:
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import carteira_tui\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(done.stdout)  # a list of module names
    assert {"carteira_tui", "carteira_tui.lean_imports"} <= set(loaded)
    heavy = ("importlib.abc", "importlib.resources", "sqlite_utils", "numpy")
    assert not [name for name in loaded if name.startswith(heavy)]


def test_numpy_is_refused_only_to_the_thread_loading_sqlite_utils() -> None:
    guard = lean_imports._Guard()
    guard.hiding.add(threading.get_ident())  # this thread is "executing sqlite_utils.db"
    with pytest.raises(ModuleNotFoundError):
        guard.find_spec("numpy", None)
    found: list[object] = []
    other = threading.Thread(target=lambda: found.append(guard.find_spec("numpy", None)))
    other.start()
    other.join()
    assert found == [None]  # another thread goes on to the path finder: NumPy is there
    assert guard.find_spec("polars", None) is None
    package = importlib.util.find_spec("sqlite_utils")  # the package's folder, not imported
    assert package is not None
    spec = guard.find_spec("sqlite_utils.db", package.submodule_search_locations)
    assert spec is not None and isinstance(spec.loader, lean_imports._HiddenWhileExecuting)
