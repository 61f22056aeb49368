"""Issue #18: the front ends' pt-BR sentences live beside the definitions they label — field
labels in `fields.py`, domain values in `model.py`, every other sentence in `carteira_tui.vocab`
— not spread over `tui/` and `cli/`. The check is `scripts/pt_literals.py` (the AST of every
front-end module: a pt-BR literal may stay only in a click `help=`, a `BINDINGS` list, a
`Binding(...)`, a column's or form field's label, a `*_LABELS` table, CSS or a docstring)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "carteira_tui"

EXCEPTIONS: dict[str, set[str]] = {
    # compared with the state `services.maintenance.check` returns, not shown by the CLI
    "cli/maintenance.py": {"em dia"},
}
"""Literals that read as pt-BR but are not sentences a front end shows, with the reason."""


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "pt_literals", ROOT / "scripts" / "pt_literals.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_front_ends_build_no_pt_br_sentence_inline() -> None:
    found = []
    for line in _checker().offenders(PACKAGE):
        path, _line, text = line.split(":", 2)
        if eval(text.strip()) not in EXCEPTIONS.get(path, set()):  # noqa: S307 - our own repr
            found.append(line)
    assert found == [], "pt-BR sentences outside carteira_tui.vocab:\n" + "\n".join(found)


def test_every_exception_still_exists() -> None:
    """An exception nobody needs any more is removed, so the list stays short and true."""
    texts = {
        (line.split(":", 2)[0], eval(line.split(":", 2)[2].strip()))  # noqa: S307
        for line in _checker().offenders(PACKAGE)
    }
    for path, allowed in EXCEPTIONS.items():
        for text in allowed:
            assert (path, text) in texts, f"{path}: {text!r} is no longer there"


@pytest.fixture
def front_end(tmp_path: Path) -> Path:
    (tmp_path / "tui").mkdir()
    (tmp_path / "cli").mkdir()
    return tmp_path


def test_the_check_finds_a_sentence_built_in_a_pane(front_end: Path) -> None:
    (front_end / "tui" / "pane.py").write_text(
        'def f(name):\n    return f"nenhum cliente com {name} — esc limpa a busca"\n'
    )
    (front_end / "cli" / "cmd.py").write_text('import click\nclick.echo("banco não encontrado")\n')
    found = _checker().offenders(front_end)
    assert sorted(line.split(":")[0] for line in found) == ["cli/cmd.py", "tui/pane.py"]


def test_the_check_leaves_labels_beside_their_definitions(front_end: Path) -> None:
    (front_end / "cli" / "cmd.py").write_text(
        '"""Lista os clientes de um segmento."""\n'
        "import click\n"
        '@click.option("--limit", help="Máximo de linhas da tabela.")\n'
        "def cmd(limit):\n"
        '    """Mostra o cartão de um cliente."""\n'
    )
    (front_end / "tui" / "pane.py").write_text(
        "from textual.binding import Binding\n"
        "class P:\n"
        '    BINDINGS = [Binding("t", "all", "Todas as tarefas")]\n'
        '    DEFAULT_CSS = "P { height: 1; }"\n'
        'STATUS_LABELS = {"ativo": "Cliente ativo"}\n'
    )
    assert _checker().offenders(front_end) == []
