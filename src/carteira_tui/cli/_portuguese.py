"""click's own words (usage, help headings, parse errors) in Brazilian Portuguese.

click marks its messages for gettext (`from gettext import gettext as _` in each module) but
ships no catalogue; `install()` points those module-level `_`/`ngettext` names at a small
pt-BR catalogue instead, so `carteira --help` says "Uso:" and "Opções:", and a mistyped option
says "Erro: opção desconhecida '--x'." Messages not listed stay as click wrote them.
"""

from __future__ import annotations

import importlib

import click

from carteira_tui.vocab.click import (
    COMMAND_METAVAR,
    MESSAGES,
    OPTIONAL_COMMAND_METAVAR,
    OPTIONS_METAVAR,
    PLURALS,
)

__all__ = ["MESSAGES", "PLURALS", "gettext", "install", "ngettext", "translate_metavars"]

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def gettext(message: str) -> str:
    """The pt-BR text of a click message (the message itself when it has none)."""
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The pt-BR singular or plural of a click message."""
    one, many = PLURALS.get((singular, plural), (singular, plural))
    return one if n == 1 else many


def install() -> None:
    """Point click's modules at the catalogue (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def translate_metavars(command: click.Command) -> None:
    """`[OPTIONS]` and `COMMAND [ARGS]...` in the usage lines of a command and all below it."""
    command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.Group):
        command.subcommand_metavar = (
            OPTIONAL_COMMAND_METAVAR if command.invoke_without_command else COMMAND_METAVAR
        )
        for child in command.commands.values():
            translate_metavars(child)
