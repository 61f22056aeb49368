"""`carteira config`: the settings in force and where each comes from; `config set|unset`
change the shared ones (in the database, for everybody)."""

from __future__ import annotations

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import (
    db_option,
    db_path_from,
    echo_json,
    echo_table,
    format_option,
    warn_shared_keys_in_file,
)
from carteira_tui.config import config_path, load_settings
from carteira_tui.services import settings as service
from carteira_tui.vocab import cli as words


def _show(ctx: click.Context, fmt: str) -> None:
    warn_shared_keys_in_file()
    described = service.describe_settings(db_path_from(ctx), load_settings())
    if fmt == "json":
        echo_json(
            {
                "arquivo": str(config_path()),
                "banco": str(db_path_from(ctx)),
                "configuracoes": [
                    {
                        "chave": d.key,
                        "valor": d.value,
                        "origem": d.source,
                        "compartilhada": d.shared,
                    }
                    for d in described
                ],
            }
        )
        return
    click.echo(words.personal_file(config_path()))
    click.echo(f"banco: {db_path_from(ctx)}")
    echo_table(
        ["chave", "valor", "origem", "tipo"],
        [[d.key, d.value, d.source, "compartilhada" if d.shared else "pessoal"] for d in described],
    )


@main.group("config", invoke_without_command=True)
@db_option
@format_option
@click.pass_context
def config_group(ctx: click.Context, db: str | None, fmt: str) -> None:
    """Configurações: os limites compartilhados (no banco) e as preferências pessoais.

    Os limites que mudam o que todos veem (dias de status, cortes ABC, esfriamento, exclusões,
    pesos de urgência…) ficam no banco e mudam com `config set`; o arquivo pessoal guarda só
    preferências (tema, quem sou eu, somente leitura).

    Exemplo:

        carteira config set active_days 60
    """
    if ctx.invoked_subcommand is None:
        _show(ctx, fmt)


@config_group.command("show")
@db_option
@format_option
@click.pass_context
def config_show(ctx: click.Context, db: str | None, fmt: str) -> None:
    """Lista as configurações em vigor e de onde vem cada uma.

    Exemplo:

        carteira config show --format json
    """
    _show(ctx, fmt)


@config_group.command("set")
@db_option
@click.argument("key", metavar="CHAVE")
@click.argument("value", metavar="VALOR")
@click.pass_context
def config_set(ctx: click.Context, db: str | None, key: str, value: str) -> None:
    """Muda uma configuração compartilhada, para todos que usam este banco (auditado).

    A próxima segmentação usa o novo valor; os movimentos dela aparecem como
    "movimentos por mudança de configuração", não como comportamento dos clientes.

    Exemplo:

        carteira config set abc_a 75
    """
    settings = service.set_shared(db_path_from(ctx), {key: value})
    shown = settings.as_dict()[key]
    click.echo(words.shared_set(key, shown))


@config_group.command("unset")
@db_option
@click.argument("key", metavar="CHAVE")
@click.pass_context
def config_unset(ctx: click.Context, db: str | None, key: str) -> None:
    """Volta uma configuração compartilhada ao padrão do método (auditado).

    Exemplo:

        carteira config unset abc_a
    """
    settings = service.unset_shared(db_path_from(ctx), [key])
    click.echo(words.shared_unset(key, settings.as_dict()[key]))
