"""click's own words (usage, help headings, parse errors) in Brazilian Portuguese.

click marks its messages for gettext (`from gettext import gettext as _` in each module) but
ships no catalogue; `install()` points those module-level `_`/`ngettext` names at a small
pt-BR catalogue instead, so `carteira --help` says "Uso:" and "Opções:", and a mistyped option
says "Erro: opção desconhecida '--x'." Messages not listed stay as click wrote them.
"""

from __future__ import annotations

import importlib

import click

MESSAGES: dict[str, str] = {
    "Usage:": "Uso:",
    "Options": "Opções",
    "Commands": "Comandos",
    "Positional arguments": "Argumentos",
    "Show this message and exit.": "Mostra esta ajuda e sai.",
    "Show the version and exit.": "Mostra a versão e sai.",
    "%(prog)s, version %(version)s": "%(prog)s, versão %(version)s",
    "Error: {message}": "Erro: {message}",
    "Try '{command} {option}' for help.": "Tente '{command} {option}' para ver a ajuda.",
    "No such option {name!r}.": "Opção desconhecida {name!r}.",
    "No such command {name!r}.": "Comando desconhecido {name!r}.",
    "Missing argument": "Falta o argumento",
    "Missing option": "Falta a opção",
    "Missing parameter": "Falta o parâmetro",
    "Missing parameter: {param_name}": "Falta o parâmetro: {param_name}",
    "Missing command.": "Falta o comando.",
    "Invalid value for {param_hint}: {message}": "Valor inválido para {param_hint}: {message}",
    "Invalid value: {message}": "Valor inválido: {message}",
    "Option {name!r} does not take a value.": "A opção {name!r} não recebe valor.",
    "Aborted!": "Cancelado.",
    "Do you want to continue?": "Deseja continuar?",
    "Confirm the action without prompting.": "Confirma a ação sem perguntar.",
    "Repeat for confirmation": "Repita para confirmar",
    "Error: The two entered values do not match.": "Erro: os dois valores não são iguais.",
    "Error: invalid input": "Erro: entrada inválida",
    "Choose from:\n\t{choices}": "Escolha entre:\n\t{choices}",
    "default: {default}": "padrão: {default}",
    "env var: {var}": "variável de ambiente: {var}",
    "file": "arquivo",
    "directory": "pasta",
    "path": "caminho",
    "{name} {filename!r} does not exist.": "{name} {filename!r} não existe.",
    "{name} {filename!r} is a file.": "{name} {filename!r} é um arquivo.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} é uma pasta.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} não pode ser lido.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} não pode ser gravado.",
    "Could not open file {filename!r}: {message}": (
        "Não foi possível abrir o arquivo {filename!r}: {message}"
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} não é um {number_type} válido.",
    "{value} is not in the range {range}.": "{value} está fora do intervalo {range}.",
}

PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Argumento a mais inesperado ({args})",
        "Argumentos a mais inesperados ({args})",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Você quis dizer {possibility}?",
        "(Você quis dizer um destes: {possibilities}?)",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "A opção {name!r} precisa de um valor.",
        "A opção {name!r} precisa de {nargs} valores.",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} não é {choice}.",
        "{value!r} não é um de {choices}.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "{value!r} não segue o formato {format}.",
        "{value!r} não segue nenhum dos formatos {formats}.",
    ),
}

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
    command.options_metavar = "[OPÇÕES]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = (
            "[COMANDO] [ARGS]..." if command.invoke_without_command else "COMANDO [ARGS]..."
        )
        for child in command.commands.values():
            translate_metavars(child)
