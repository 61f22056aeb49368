"""The `:` command line: `CommandLineModal` (one input at the bottom) and `parse_command`.

Commands are pt-BR verbs, vim style: `:filtro status = ativo`, `:busca silva`, `:ordenar
monetary desc`, `:exportar arquivo.csv`, `:importar clientes arquivo.csv`, `:resegmentar`,
`:visao NOME`, `:salvar NOME`, `:limpar`, `:q`. `parse_command` turns the text into a `Command`
(or raises `CommandError` with a pt-BR message); the Clientes screen runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from carteira_tui.tui.screens.import_modal import KIND_WORDS
from carteira_tui.vocab import clients as client_words

VERBS: dict[str, str] = {
    "filtro": "filter",
    "filtrar": "filter",
    "f": "filter",
    "busca": "search",
    "buscar": "search",
    "b": "search",
    "ordenar": "sort",
    "ordem": "sort",
    "o": "sort",
    "exportar": "export",
    "e": "export",
    "importar": "import",
    "i": "import",
    "resegmentar": "resegment",
    "segmentar": "resegment",
    "visao": "view",
    "visão": "view",
    "v": "view",
    "salvar": "save",
    "w": "save",
    "limpar": "clear",
    "ajuda": "help",
    "q": "quit",
    "sair": "quit",
}
"""Every word the command line understands, with the command it names."""

HELP = client_words.COMMAND_HELP

DESCENDING_WORDS = frozenset({"desc", "decrescente", "-"})


class CommandError(ValueError):
    """Text the command line cannot run, with a pt-BR message."""


@dataclass(frozen=True)
class Command:
    """A parsed command: `name` (filter, search, sort, export, import, resegment, view, save,
    clear, help, quit) and its arguments."""

    name: str
    text: str = ""
    kind: str | None = None
    path: Path | None = None
    descending: bool = False
    as_of: date | None = None


def _parse_date(text: str) -> date:
    try:
        day, month, year = (int(part) for part in text.split("/"))
        return date(year, month, day)
    except ValueError as error:
        raise CommandError(client_words.invalid_date(text)) from error


def parse_command(line: str) -> Command:
    """The command typed after `:` (the colon itself is optional)."""
    line = line.strip().removeprefix(":").strip()
    if not line:
        raise CommandError(client_words.type_a_command())
    word, _, rest = line.partition(" ")
    rest = rest.strip()
    name = VERBS.get(word.lower())
    if name is None:
        raise CommandError(f"comando desconhecido: {word!r}. Comandos: {HELP}")
    if name in {"filter", "search", "clear", "help", "quit"}:
        return Command(name, rest)
    if name == "sort":
        parts = rest.split()
        if not parts:
            raise CommandError(client_words.SORT_WHAT)
        descending = len(parts) > 1 and parts[-1].lower() in DESCENDING_WORDS
        column = " ".join(parts[:-1] if descending else parts)
        return Command(name, column, descending=descending)
    if name == "export":
        if not rest:
            raise CommandError(client_words.EXPORT_WHERE)
        return Command(name, path=Path(rest).expanduser())
    if name == "import":
        kind_word, _, file_text = rest.partition(" ")
        kind = KIND_WORDS.get(kind_word.lower())
        if kind is None or not file_text.strip():
            raise CommandError(client_words.IMPORT_USAGE)
        return Command(name, kind=kind, path=Path(file_text.strip()).expanduser())
    if name == "resegment":
        return Command(name, as_of=_parse_date(rest) if rest else None)
    if not rest:
        raise CommandError(client_words.VIEW_NAME_WHICH)
    return Command(name, rest)


class CommandLineModal(ModalScreen[str | None]):
    """One input line at the bottom of the screen, after a `:`; enter runs, esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancelar", id="command.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="command-line"):
            yield Static(":", id="command-prompt")
            yield Input(
                placeholder=client_words.COMMAND_PLACEHOLDER,
                id="command-input",
            )

    def on_mount(self) -> None:
        self.query_one("#command-input", Input).focus()

    @on(Input.Submitted, "#command-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
