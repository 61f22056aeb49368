"""`carteira config`: the settings in force. It computes nothing, so it loads neither Polars
nor the store (the root group imports this module only when the command runs)."""

from __future__ import annotations

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import echo_json, echo_table, format_option, settings_or_fail
from carteira_tui.config import config_path


@main.command("config")
@format_option
def config_command(fmt: str) -> None:
    """Mostra as configurações em vigor (padrões do método ou o arquivo TOML).

    Exemplo:

        carteira config --format json
    """
    settings = settings_or_fail()
    values = {k: v for k, v in settings.as_dict().items() if k != "extra"}
    if fmt == "json":
        echo_json({"arquivo": str(config_path()), **values})
        return
    click.echo(f"arquivo: {config_path()}")
    echo_table(["chave", "valor"], [[k, v] for k, v in values.items()])
