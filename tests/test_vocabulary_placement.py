"""pt-BR text people read lives in the vocabulary (`carteira_tui.vocab.*`), beside the
definitions it labels (`fields.py`, `model.py`) or in the exceptions named below, never built
inline in services/, engine/, store/ or config.py (issue #18).

The check reads the source (AST): every string literal and f-string that is not a docstring,
not SQL, and reads as a pt-BR phrase (two words or more, with a pt-BR accent, function word or
ending) must sit in an allowed place.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "carteira_tui"
CHECKED = ("services", "engine", "store", "config.py")

FILE_EXCEPTIONS: dict[str, str] = {
    "store/migrations.py": "schema history: the seed rows (default segments and plans, "
    "DESIGN.md) a migration inserts once are data, and a migration never changes after it ran",
}
"""Whole files not checked yet, each with its reason."""

NAME_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("engine/filters.py", "FIELDS"): "the filter language's catalogue: each description labels "
    "the field it defines (like fields.py)",
    ("engine/filters.py", "FieldType"): "enum values: the type names the language's help "
    "shows, beside their definition (like model.py)",
    ("engine/clean.py", "MUNICIPALITIES"): "data: the names of Brazilian cities",
    ("engine/segments.py", "DEFAULT_SEGMENTS"): "data: the default segments' names and filters "
    "(DESIGN.md)",
    ("engine/tasks.py", "COMMEMORATIVE_DATES"): "labels beside the date keys they define",
    ("engine/tasks.py", "OUTCOMES_NOT_REACHED"): "input phrases recognised in what people "
    "type, not text shown",
    ("engine/tasks.py", "refused_channel"): "input phrases recognised in what people type, "
    "not text shown",
    ("engine/schema.py", "check_schema"): "a programming error (an engine input built with "
    "the wrong columns), not a message people are meant to read",
    ("engine/calendar.py", "_meant_day"): "input words recognised in what people type "
    "(`depois de amanhã`), not text shown",
}
"""(file, top-level name) whose strings are allowed, each with its reason."""

_PT_WORDS = (
    "não nao de do da dos das em na nas nos um uma com sem para por ao aos à ou que se já há é "
    "foi está nenhum nenhuma mais menos deve ser pode use informe antes depois"
)
_PT_WORD = re.compile(r"\b(?:" + "|".join(_PT_WORDS.split()) + r")\b", re.IGNORECASE)
_PT_ACCENT = re.compile(r"[áàâãéêíóôõúçÁÀÂÃÉÊÍÓÔÕÚÇ]")
_PT_ENDING = re.compile(r"\b\w{3,}(?:ção|ções|ando|endo|indo|ados|adas|idos|idas)\b", re.I)
_TWO_WORDS = re.compile(r"[^\W\d_]{2,}[^\s\w]*\s+[^\s\w]*[^\W\d_]{2,}")
_PATTERN = re.compile(r"\(\?[P:<=!]")
_SQL = re.compile(
    r"^\s*(?:SELECT|INSERT|UPDATE|DELETE|CREATE|WITH|PRAGMA|ALTER|DROP|REPLACE)\b|\bFROM\s+\w"
)


def reads_as_portuguese(text: str) -> bool:
    """A phrase in pt-BR: two words or more, with an accent, a function word or an ending."""
    if _SQL.search(text):  # SQL: only the text literals in it can be pt-BR
        return any(reads_as_portuguese(literal) for literal in re.findall(r"'([^']*)'", text))
    if not _TWO_WORDS.search(text) or _PATTERN.search(text):
        return False
    return bool(_PT_ACCENT.search(text) or _PT_WORD.search(text) or _PT_ENDING.search(text))


def _not_text(tree: ast.AST) -> set[int]:
    """Ids of the strings that are no text shown: the statements that document (module, class,
    function or attribute), and audit action codes (`action="alterar configuração"`: a value
    stored and searched for, like an enum's)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "action":
            found.update(id(n) for n in ast.walk(node.value) if isinstance(n, ast.Constant))
        for body in (getattr(node, "body", None), getattr(node, "orelse", None)):
            if not isinstance(body, list):
                continue
            for statement in body:
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                    found.add(id(statement.value))
    return found


def _top_level_name(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return statement.name
    if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    return None


def pt_phrases(
    source: str, allowed_names: frozenset[str] = frozenset()
) -> Iterator[tuple[int, str]]:
    """(line, text) of each pt-BR phrase built in `source` outside docstrings and the top-level
    definitions named in `allowed_names`; an f-string counts as one phrase ({} for its values)."""
    tree = ast.parse(source)
    skip = _not_text(tree)
    for statement in tree.body:
        if _top_level_name(statement) in allowed_names:
            continue
        inside_fstrings: set[int] = set()
        for node in ast.walk(statement):
            if isinstance(node, ast.JoinedStr):
                parts = []
                for value in node.values:
                    inside_fstrings.add(id(value))
                    is_text = isinstance(value, ast.Constant) and isinstance(value.value, str)
                    parts.append(value.value if is_text else "{}")  # type: ignore[union-attr]
                text = "".join(parts)
                if reads_as_portuguese(text):
                    yield node.lineno, text
        for node in ast.walk(statement):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and id(node) not in inside_fstrings
                and reads_as_portuguese(node.value)
            ):
                yield node.lineno, node.value


def _checked_files() -> list[str]:
    files: list[str] = []
    for part in CHECKED:
        path = PACKAGE / part
        found = [path] if path.is_file() else sorted(path.rglob("*.py"))
        files.extend(str(f.relative_to(PACKAGE)) for f in found)
    return files


@pytest.mark.parametrize("relative", _checked_files())
def test_no_pt_br_phrase_is_built_outside_the_vocabulary(relative: str) -> None:
    if relative in FILE_EXCEPTIONS:
        pytest.skip(FILE_EXCEPTIONS[relative])
    allowed = frozenset(name for (file, name) in NAME_EXCEPTIONS if file == relative)
    found = list(pt_phrases((PACKAGE / relative).read_text(encoding="utf-8"), allowed))
    assert not found, f"pt-BR text in {relative} belongs in carteira_tui.vocab: " + "; ".join(
        f"line {line}: {text!r}" for line, text in found
    )


def test_the_exceptions_name_existing_places() -> None:
    for relative in FILE_EXCEPTIONS:
        assert (PACKAGE / relative).is_file(), relative
    for relative, name in NAME_EXCEPTIONS:
        tree = ast.parse((PACKAGE / relative).read_text(encoding="utf-8"))
        assert name in {_top_level_name(s) for s in tree.body}, (relative, name)


def test_the_check_finds_phrases_and_spares_docstrings_sql_and_english() -> None:
    source = '''
"""Módulo: a docstring não conta."""
def f(client, error):
    """Nem esta, da função."""
    log("could not read the file %s", client)
    db.execute("SELECT name FROM owners WHERE id = ?")
    db.execute("UPDATE tasks SET note = 'fusão de clientes' WHERE id = ?")
    raise ValueError(f"cliente {client} não encontrado")
    notify("procurando duplicados", 0.1)
    write_audit(db, action="alterar configuração", summary="campos normalizados")
    return "gravando"
'''
    found = sorted(text for _line, text in pt_phrases(source))
    assert found == sorted(
        [
            "UPDATE tasks SET note = 'fusão de clientes' WHERE id = ?",
            "cliente {} não encontrado",
            "procurando duplicados",
            "campos normalizados",
        ]
    )
    assert not list(pt_phrases("X = 'não encontrado'\n", frozenset({"X"})))


def test_the_vocabulary_imports_no_library() -> None:
    """vocab is read on the CLI's error path and by `--help`: nothing heavy may load with it
    (its own package's shared helpers, held to the same rule here, aside)."""
    allowed = {"__future__", "collections.abc", "typing", "carteira_tui.vocab"}
    for path in sorted((PACKAGE / "vocab").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert {alias.name for alias in node.names} <= allowed, path.name
            elif isinstance(node, ast.ImportFrom):
                assert node.module in allowed, path.name
