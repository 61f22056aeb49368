"""`carteira owners list|add|set`, `carteira assign` (giro included), `carteira pin|unpin`."""

from __future__ import annotations

import re

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import (
    as_of_option,
    db_option,
    db_path_from,
    echo_csv,
    echo_json,
    echo_table,
    format_option,
    parse_as_of,
    settings_or_fail,
)
from carteira_tui.engine.assign import REASON_LABELS
from carteira_tui.model import cents_to_brl, format_percent
from carteira_tui.services import owners as service
from carteira_tui.services.owners import AssignResult, OwnerSummary
from carteira_tui.vocab import cli as words

_IDLE = re.compile(r"^\s*(\d+)\s*(d|dias?|s|sem|w|semanas?|m|mes|meses)?\s*$", re.IGNORECASE)
_IDLE_UNIT_DAYS = {"d": 1, "s": 7, "w": 7, "m": 30}


def parse_idle(text: str) -> int:
    """`60d`, `60`, `8s`/`8w` (semanas) or `2m` (meses de 30 dias) as a number of days."""
    match = _IDLE.match(text)
    if not match:
        raise click.BadParameter(words.invalid_idle(text), param_hint="--idle")
    unit = (match.group(2) or "d")[0].lower()
    return int(match.group(1)) * _IDLE_UNIT_DAYS[unit]


def _percent(value: float) -> str:
    return format_percent(value)


def _owner_rows(owners: list[OwnerSummary]) -> list[list[object]]:
    return [
        [
            o.name,
            o.capacity,
            "sim" if o.active else "não",
            o.clients,
            cents_to_brl(o.revenue_cents),
            _percent(o.share_a),
            _percent(o.share_b),
            _percent(o.share_c),
            ", ".join(o.segments) or "(todos)",
        ]
        for o in owners
    ]


_OWNER_HEADERS = [
    "responsavel",
    "capacidade",
    "ativo",
    "clientes",
    "receita",
    "% A",
    "% B",
    "% C",
    "segmentos",
]


def _owner_json(o: OwnerSummary) -> dict[str, object]:
    return {
        "responsavel": o.name,
        "email": o.email,
        "capacidade": o.capacity,
        "ativo": o.active,
        "clientes": o.clients,
        "receita_centavos": o.revenue_cents,
        "participacao_a": round(o.share_a, 4),
        "participacao_b": round(o.share_b, 4),
        "participacao_c": round(o.share_c, 4),
        "segmentos": o.segments,
    }


@main.group("owners")
def owners_group() -> None:
    """Responsáveis: capacidade, ativo/inativo e os segmentos de cada um.

    Exemplo:

        carteira owners add "Ana Souza" --capacity 400 --pool Ativos
    """


@owners_group.command("list")
@format_option
@db_option
@click.pass_context
def list_command(ctx: click.Context, fmt: str, db: str | None) -> None:
    """Lista os responsáveis com clientes, receita e participação na receita A, B e C.

    Exemplo:

        carteira owners list --format json
    """
    owners = service.list_owners(db_path_from(ctx), settings=settings_or_fail())
    if fmt == "json":
        echo_json([_owner_json(o) for o in owners])
    elif fmt == "csv":
        echo_csv((_OWNER_HEADERS, _owner_rows(owners)))
    elif not owners:
        click.echo(words.NO_OWNERS)
    else:
        echo_table(_OWNER_HEADERS, _owner_rows(owners))


_pool_option = click.option(
    "--pool",
    "pools",
    multiple=True,
    metavar="SEGMENTO",
    help="Segmento cuja equipe inclui o responsável (repita para vários).",
)


@owners_group.command("add")
@click.argument("name")
@click.option("--email", metavar="EMAIL", help="E-mail do responsável.")
@click.option("--capacity", type=int, default=500, show_default=True, help="Capacidade (clientes).")
@click.option("--inactive", is_flag=True, help="Cadastrar já inativo.")
@_pool_option
@db_option
@click.pass_context
def add_command(
    ctx: click.Context,
    name: str,
    email: str | None,
    capacity: int,
    inactive: bool,
    pools: tuple[str, ...],
    db: str | None,
) -> None:
    """Cadastra um responsável.

    Sem --pool, ele atende os segmentos que não têm equipe própria.

    Exemplo:

        carteira owners add "Ana Souza" --email ana@empresa.com.br --capacity 400
    """
    owner = service.add_owner(
        db_path_from(ctx),
        name=name,
        email=email,
        capacity=capacity,
        active=not inactive,
        segments=list(pools),
    )
    click.echo(words.owner_added(owner.name, owner.capacity))


@owners_group.command("set")
@click.argument("name")
@click.option("--name", "new_name", metavar="NOME", help="Novo nome.")
@click.option("--email", metavar="EMAIL", help="Novo e-mail.")
@click.option("--capacity", type=int, help="Nova capacidade (clientes).")
@click.option("--active/--inactive", default=None, help="Ativar ou inativar.")
@_pool_option
@click.option("--no-pool", is_flag=True, help="Tirar o responsável de todas as equipes.")
@click.option("--login", metavar="LOGIN", help='Login do sistema deste responsável ("eu").')
@click.option(
    "--target",
    "daily_target",
    type=click.IntRange(min=0),
    help="Meta de contatos por dia (0 tira).",
)
@db_option
@click.pass_context
def set_command(
    ctx: click.Context,
    name: str,
    new_name: str | None,
    email: str | None,
    capacity: int | None,
    active: bool | None,
    pools: tuple[str, ...],
    no_pool: bool,
    login: str | None,
    daily_target: int | None,
    db: str | None,
) -> None:
    """Altera nome, e-mail, capacidade, ativo/inativo, login ou segmentos de um responsável.

    Os clientes de um responsável inativado ganham outro no próximo `carteira assign`.

    Exemplo:

        carteira owners set "Ana Souza" --capacity 300 --pool "Clientes A em risco"
    """
    if pools and no_pool:
        raise click.UsageError(words.not_both("--pool", "--no-pool"))
    segments = [] if no_pool else (list(pools) if pools else None)
    owner = service.set_owner(
        db_path_from(ctx),
        name=name,
        new_name=new_name,
        email=email,
        capacity=capacity,
        active=active,
        segments=segments,
        login=login,
        daily_target=daily_target,
    )
    click.echo(words.owner_set(owner.name, owner.capacity, owner.active))


def _render_assign(done: AssignResult, fmt: str, limit: int) -> None:
    changes = done.changes
    if fmt == "json":
        echo_json(
            {
                "data": done.as_of.isoformat(),
                "giro": done.rotate,
                "ociosos_dias": done.idle_days,
                "simulacao": done.dry_run,
                "movidos": done.moved,
                "por_motivo": done.by_reason,
                "mudancas": [
                    {
                        "cliente": row["external_id"],
                        "nome": row["name"],
                        "de": row["from_owner"],
                        "para": row["to_owner"],
                        "motivo": row["reason"],
                        "classe": row["abc"],
                        "receita_centavos": row["monetary_cents"],
                    }
                    for row in changes.iter_rows(named=True)
                ],
                "responsaveis": [_owner_json(o) for o in done.owners],
            }
        )
        return
    if fmt == "csv":
        fields = ["external_id", "name", "from_owner", "to_owner", "reason"]
        rows = [[row[k] or "" for k in fields] for row in changes.iter_rows(named=True)]
        echo_csv((["cliente", "nome", "de", "para", "motivo"], rows))
        return
    if not done.has_values:
        click.echo(words.NO_VALUES_WARNING, err=True)
    click.echo(words.clients_moved(done.moved, done.dry_run, done.as_of.strftime("%d/%m/%Y")))
    for reason, n in sorted(done.by_reason.items()):
        click.echo(f"  {REASON_LABELS.get(reason, reason)}: {n}")
    if changes.height:
        shown = changes.head(limit) if limit else changes
        echo_table(
            ["cliente", "nome", "de", "para", "motivo"],
            [
                [
                    r["external_id"],
                    r["name"],
                    r["from_owner"] or "—",
                    r["to_owner"],
                    REASON_LABELS.get(r["reason"], r["reason"]),
                ]
                for r in shown.iter_rows(named=True)
            ],
        )
        if shown.height < changes.height:
            click.echo(words.and_more(changes.height - shown.height))
    click.echo("")
    echo_table(_OWNER_HEADERS, _owner_rows(done.owners))
    if done.dry_run:
        click.echo(words.DRY_RUN_NOTHING_WRITTEN)


@main.command("assign")
@click.option("--rotate", is_flag=True, help="Giro de carteira: mover clientes sem contato.")
@click.option("--idle", metavar="PRAZO", help="Sem contato há quanto tempo (ex.: 60d, 8s, 2m).")
@click.option("--dry-run", is_flag=True, help="Só mostrar o que mudaria.")
@click.option("--limit", type=int, default=30, show_default=True, help="Linhas (0 = todas).")
@format_option
@as_of_option
@db_option
@click.pass_context
def assign_command(
    ctx: click.Context,
    rotate: bool,
    idle: str | None,
    dry_run: bool,
    limit: int,
    fmt: str,
    as_of: str | None,
    db: str | None,
) -> None:
    """Dá um responsável a cada cliente sem responsável, equilibrando capacidade e receita.

    Com --rotate, move para outro responsável da equipe os clientes sem interação nem tarefa
    concluída há --idle (padrão: rotation_idle_days). Clientes fixados (`carteira pin`) nunca
    mudam. Cada mudança fica registrada (quem, de, para, por quê).

    Exemplo:

        carteira assign --rotate --idle 60d --dry-run
    """
    if idle is not None and not rotate:
        raise click.UsageError(words.IDLE_NEEDS_ROTATE)
    done = service.assign(
        db_path_from(ctx),
        as_of=parse_as_of(as_of),
        settings=settings_or_fail(),
        rotate=rotate,
        idle_days=parse_idle(idle) if idle else None,
        dry_run=dry_run,
    )
    _render_assign(done, fmt, limit)


def _pin(ctx: click.Context, client: str, pinned: bool) -> None:
    done = service.pin_client(db_path_from(ctx), client=client, pinned=pinned)
    if done.merged_note:
        click.echo(done.merged_note)
    if pinned:
        click.echo(words.client_pinned(done.external_id, done.owner))
    else:
        click.echo(words.client_unpinned(done.external_id))


@main.command("pin")
@click.argument("client")
@db_option
@click.pass_context
def pin_command(ctx: click.Context, client: str, db: str | None) -> None:
    """Fixa um cliente (conta-chave) no responsável atual: o giro nunca o move.

    Exemplo:

        carteira pin C000123
    """
    _pin(ctx, client, True)


@main.command("unpin")
@click.argument("client")
@db_option
@click.pass_context
def unpin_command(ctx: click.Context, client: str, db: str | None) -> None:
    """Libera um cliente fixado para o giro de carteira.

    Exemplo:

        carteira unpin C000123
    """
    _pin(ctx, client, False)
