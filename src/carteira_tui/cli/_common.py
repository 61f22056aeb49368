"""What every command shares: the database option, output formats, errors as messages."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from carteira_tui.config import Settings, SettingsError, default_db_path, load_settings

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class AppContext:
    """State the group passes to its commands."""

    db: str | None = None

    def db_path(self) -> Path:
        return Path(self.db) if self.db else default_db_path()


def _remember_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    obj = ctx.find_object(AppContext)
    if obj is None:
        obj = ctx.ensure_object(AppContext)
    if value:
        obj.db = value
    return value


db_option = click.option(
    "--db",
    metavar="PATH",
    envvar="CARTEIRA_DB",
    expose_value=True,
    callback=_remember_db,
    help="Arquivo do banco (padrão: $CARTEIRA_DB ou carteira.db na pasta de dados do usuário).",
)


def open_app(db_path: Path) -> None:
    """Run the Textual app on `db_path` (Textual is imported here, only when the app opens)."""
    from carteira_tui.tui.app import CarteiraApp

    CarteiraApp(db_path=db_path, watch_interval=2.0).run()


def db_path_from(ctx: click.Context) -> Path:
    """The database path chosen with --db (on the group or the command)."""
    return ctx.ensure_object(AppContext).db_path()


def settings_or_fail() -> Settings:
    """The settings in force, or a click error naming the bad file."""
    try:
        return load_settings()
    except SettingsError as error:
        raise click.ClickException(f"configuração inválida: {error}") from error


def parse_as_of(value: str | None) -> date:
    """`--as-of` as a date: ISO or dd/mm/aaaa; today when not given."""
    if not value:
        return date.today()
    from dateutil import parser as date_parser  # only the commands that take a date pay for it

    try:
        iso_like = len(value) >= 8 and value[4] == "-"
        return date_parser.parse(value, dayfirst=not iso_like).date()
    except (ValueError, OverflowError) as error:
        raise click.BadParameter(f"data inválida: {value!r}", param_hint="--as-of") from error


as_of_option = click.option(
    "--as-of", "as_of", metavar="DATA", help="Data de referência (dd/mm/aaaa ou aaaa-mm-dd)."
)

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Formato da saída.",
)


def echo_json(value: Any) -> None:
    """Print a JSON document (UTF-8, dates as ISO)."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def echo_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, right: Sequence[int] = ()
) -> None:
    """Print a plain aligned text table; the columns numbered in `right` align right."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=False)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ).rstrip()

    click.echo(line(list(headers)))
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo(line(row))


def fail(message: str, code: int = 1) -> None:
    """Print `message` to stderr and exit with `code`."""
    click.echo(message, err=True)
    sys.exit(code)
