"""Find pt-BR sentences written inline in the front ends (`tui/`, `cli/`).

A person reads the product's sentences in pt-BR; they are gathered beside the definitions they
label: `fields.py` (field labels), `model.py` (domain values) and `carteira_tui.vocab` (every
other sentence). In the front ends a pt-BR literal may stay only where it labels the definition
it sits beside: a click `help=`, a Textual `BINDINGS` list or `Binding(...)` description, the
CLI's `COMMANDS` lines (what `carteira --help` shows), CSS, and docstrings.

Usage: `python scripts/pt_literals.py [ROOT]` lists every other literal (file:line: text) and
exits 1 if there is one; `tests/test_vocabulary.py` runs the same check.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

# A pt-BR sentence: it has a space and a Portuguese accent or one of these common words.
PT_WORD = re.compile(
    r"[áàâãéêíóôõúçÁÀÂÃÉÊÍÓÔÕÚÇ]|\b(não|nenhum|nenhuma|cliente|clientes|pedido|pedidos|de|do|da|"
    r"dos|das|para|com|em|sem|já|foi|está|arquivo|banco|segmento|tarefa|tarefas|dono|linha|"
    r"coluna|valor|data|um|uma|os|as|ao|no|na|nos|nas|ou|que|se|mais|por|é|plano|planos|"
    r"contato|contatos|cadastro|cadastros|criado|alterado|hoje|use|informe|preencha|ordenar|"
    r"substituir|salva|problemas|erro)\b",
    re.IGNORECASE,
)

# Names whose value labels the definition it sits beside.
ALLOWED_ASSIGNMENTS = frozenset({"BINDINGS", "COMMANDS", "CSS", "DEFAULT_CSS"})
ALLOWED_KEYWORDS = frozenset({"help", "short_help", "epilog", "metavar"})
ALLOWED_CALLS = frozenset({"Binding", "Column", "FormField", "SystemCommand"})

LAYERS = ("tui", "cli")


def _labels_a_definition(name: str) -> bool:
    """`BINDINGS`, `COMMANDS`, CSS, and a `*_LABELS` table beside the keys it labels (a
    pane's columns, as `fields.py` does for fields and `model.py` for domain values)."""
    return name in ALLOWED_ASSIGNMENTS or name.endswith("_LABELS")


def is_sentence(text: str) -> bool:
    """Whether a literal's text reads as a pt-BR sentence (more than one word, Portuguese)."""
    return " " in text.strip() and PT_WORD.search(text) is not None


def _docstrings(tree: ast.AST) -> set[int]:
    """A string standing alone as a statement is read by no one but the code's reader: a
    module's, class's or function's docstring, or an attribute's (the string under it)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def _allowed_subtrees(tree: ast.AST) -> set[int]:
    """Ids of every node under an allowed place (help=, BINDINGS, Binding(...), CSS...)."""
    roots: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and _labels_a_definition(t.id) for t in targets):
                if node.value is not None:
                    roots.append(node.value)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in ALLOWED_CALLS:
                roots.append(node)
            roots.extend(kw.value for kw in node.keywords if kw.arg in ALLOWED_KEYWORDS)
    return {id(sub) for root in roots for sub in ast.walk(root)}


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "{}".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    return None


def sentences(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every pt-BR sentence literal of one file outside the allowed places."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree) | _allowed_subtrees(tree)
    inside_fstring = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in ast.walk(node)
        if part is not node
    }
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in inside_fstring:
            continue
        text = _text(node)
        if text is not None and is_sentence(text):
            yield getattr(node, "lineno", 0), text


def offenders(package: Path) -> list[str]:
    """Every inline sentence in the front ends, as `layer/file.py:line: text`."""
    found: list[str] = []
    for layer in LAYERS:
        for path in sorted((package / layer).rglob("*.py")):
            rel = path.relative_to(package).as_posix()
            for line, text in sentences(path):
                found.append(f"{rel}:{line}: {text!r}")
    return found


def main(argv: list[str]) -> int:
    package = Path(argv[1]) if len(argv) > 1 else Path("src/carteira_tui")
    found = offenders(package)
    for line in found:
        print(line)
    per_layer: dict[str, int] = {}
    for line in found:
        layer = line.split("/", 1)[0]
        per_layer[layer] = per_layer.get(layer, 0) + 1
    print(f"total {len(found)} {per_layer}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
