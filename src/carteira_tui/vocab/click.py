"""click's own words (usage, help headings, parse errors) in Brazilian Portuguese: the catalogue
`cli._portuguese.install()` points click's gettext names at. Keyed by click's English message."""

from __future__ import annotations

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

OPTIONS_METAVAR = "[OPÇÕES]"
COMMAND_METAVAR = "COMANDO [ARGS]..."
OPTIONAL_COMMAND_METAVAR = "[COMANDO] [ARGS]..."
