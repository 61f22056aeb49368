"""`carteira audit`: the audit trail (who changed what, when), filtered by client and date."""

from __future__ import annotations

import json
from datetime import date

import click
import polars as pl
from dateutil import parser as date_parser

from carteira_tui.cli import main
from carteira_tui.cli._common import (
    db_option,
    db_path_from,
    echo_csv,
    echo_json,
    echo_table,
    format_option,
)
from carteira_tui.services import privacy
from carteira_tui.services.client_codes import client_key, resolve_client
from carteira_tui.vocab import cli as words


def _since(value: str | None) -> date | None:
    if not value:
        return None
    try:
        iso_like = len(value) >= 8 and value[4] == "-"
        return date_parser.parse(value, dayfirst=not iso_like).date()
    except (ValueError, OverflowError) as error:
        raise click.BadParameter(words.invalid_date(repr(value)), param_hint="--since") from error


def _when(at: str | None) -> str:
    """`aaaa-mm-ddThh:mm:ss` as `dd/mm/aaaa hh:mm`."""
    if not at:
        return ""
    day, _, clock = at.partition("T")
    year, month, dd = day.split("-")
    return f"{dd}/{month}/{year} {clock[:5]}".strip()


@main.command("audit")
@click.option("--client", "client", metavar="CLIENTE", help="Só um cliente (código ou #id).")
@click.option("--since", "since", metavar="DATA", help="Desde a data (dd/mm/aaaa ou aaaa-mm-dd).")
@click.option(
    "--limit", type=click.IntRange(min=1), default=1000, show_default=True, help="Máximo de linhas."
)
@format_option
@db_option
@click.pass_context
def audit_command(
    ctx: click.Context,
    client: str | None,
    since: str | None,
    limit: int,
    fmt: str,
    db: str | None,
) -> None:
    """Mostra a trilha de auditoria: quem alterou o quê e quando, da mais recente à mais antiga.

    Exemplo:

        carteira audit --client C0000042 --since 01/11/2026 --format json
    """
    db_path = db_path_from(ctx)
    resolved = resolve_client(db_path, client_key(client)) if client and db_path.exists() else None
    if resolved is not None and resolved.merged_note:  # the survivor's trail: said on stderr
        click.echo(resolved.merged_note, err=True)
    trail = privacy.audit_trail(
        db_path,
        client=client_key(client) if client else None,
        since=_since(since),
        limit=limit,
    )
    if fmt == "json":
        rows = trail.to_dicts()
        for row in rows:
            for name in ("before", "after"):
                row[name] = json.loads(row[name]) if row[name] else None
        echo_json(rows)
        return
    if fmt == "csv":
        echo_csv(trail.with_columns(pl.col("at").str.to_datetime(strict=False)))
        return
    if trail.is_empty():
        click.echo(words.NO_AUDIT)
        return
    echo_table(
        ["quando", "quem", "ação", "cliente", "resumo"],
        [
            (_when(r["at"]), r["who"], r["action"], r["client_id"] or "", r["summary"] or "")
            for r in trail.iter_rows(named=True)
        ],
    )
