"""What every command shares: the database option, output formats, errors as messages."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from carteira_tui.config import (
    Settings,
    SettingsError,
    config_path,
    default_db_path,
    load_settings,
    shared_key_warning,
    shared_keys_in_file,
)
from carteira_tui.terminal import terminal_safe
from carteira_tui.vocab import cli as words

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class AppContext:
    """State the group passes to its commands."""

    db: str | None = None
    plain: bool = False
    """`--plain`: CSV for machines (see `services.outputs`)."""

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
    """Run the Textual app on `db_path` (Textual is imported here, only when the app opens);
    refused, with a message, without a terminal."""
    if not (sys.stdin.isatty() and sys.__stderr__ is not None and sys.__stderr__.isatty()):
        raise click.ClickException(words.NEEDS_A_TERMINAL)
    from carteira_tui.tui.app import CarteiraApp

    app = CarteiraApp(db_path=db_path, watch_interval=2.0)
    app.first_pane = app.settings.first_pane  # Hoje unless the person's config says otherwise
    app.run()


def db_path_from(ctx: click.Context) -> Path:
    """The database path chosen with --db (on the group or the command)."""
    return ctx.ensure_object(AppContext).db_path()


_warned: set[tuple[str, str]] = set()


def warn_shared_keys_in_file() -> Path:
    """Warn (once per process and key) about shared keys in the personal file; its path."""
    path = config_path()
    for key in shared_keys_in_file(path):
        if (str(path), key) not in _warned:
            _warned.add((str(path), key))
            click.echo(shared_key_warning(path, key), err=True)
    return path


def settings_or_fail() -> Settings:
    """The settings in force for the command's database (`services.settings`: defaults ←
    shared settings in the database, personal preferences from the person's file), or a
    click error naming the bad file. A shared key in the personal file is warned about once."""
    path = warn_shared_keys_in_file()
    ctx = click.get_current_context(silent=True)
    db_path = db_path_from(ctx) if ctx is not None else None
    from carteira_tui.services.settings import effective_settings  # loads the store

    try:
        return effective_settings(db_path, load_settings(path))
    except SettingsError as error:
        raise click.ClickException(words.invalid_settings(error)) from error


def parse_as_of(value: str | None) -> date:
    """`--as-of` as a date: ISO or dd/mm/aaaa; today in Brazil (the settings' zone) when not
    given."""
    if not value:
        from carteira_tui.services.today import local_today

        return local_today(settings_or_fail())
    for shape in ("%d/%m/%Y", "%Y-%m-%d"):  # the usual shapes without loading dateutil
        try:
            return datetime.strptime(value, shape).date()
        except ValueError:
            pass
    from dateutil import parser as date_parser  # only the other shapes pay for it

    try:
        iso_like = len(value) >= 8 and value[4] == "-"
        return date_parser.parse(value, dayfirst=not iso_like).date()
    except (ValueError, OverflowError) as error:
        raise click.BadParameter(words.invalid_date(repr(value)), param_hint="--as-of") from error


as_of_option = click.option(
    "--as-of", "as_of", metavar="DATA", help="Data de referência (dd/mm/aaaa ou aaaa-mm-dd)."
)


def _remember_plain(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.ensure_object(AppContext).plain = True
    return value


_format_choice = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Formato da saída.",
)
_plain_flag = click.option(
    "--plain",
    is_flag=True,
    expose_value=False,
    callback=_remember_plain,
    help="Com --format csv: CSV para máquinas (`,`, ponto decimal, datas aaaa-mm-dd).",
)


def format_option(command: F) -> F:
    """`--format table|csv|json`, with `--plain` for machine CSV (read by `echo_csv`)."""
    return _format_choice(_plain_flag(command))


def plain_csv() -> bool:
    """Whether this command was asked for machine CSV (`--plain`)."""
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(AppContext) if ctx is not None else None
    return bool(found and found.plain)


force_option = click.option(
    "--force", is_flag=True, help="Substituir o arquivo de saída se já existir."
)

plain_option = click.option(
    "--plain",
    is_flag=True,
    help="CSV para máquinas: vírgula como separador, ponto decimal, datas aaaa-mm-dd.",
)


class TerminalSafeStream:
    """A text stream that passes on only what is safe for a terminal (`model.terminal_safe`):
    client names holding escape sequences cannot retitle the window, write the clipboard or
    clear the screen, whatever command prints them."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # a text stream: click probes with b"" to tell
            raise TypeError("write() argument must be str")
        self._stream.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":  # no raw side door around the cleaning
            raise AttributeError(name)
        return getattr(self._stream, name)


@contextmanager
def terminal_safe_output() -> Iterator[None]:
    """Clean everything written to stdout and stderr while a command runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout = TerminalSafeStream(saved[0])
    sys.stderr = TerminalSafeStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def echo_csv(frame: Any, *, plain: bool | None = None) -> None:
    """Print a table as CSV through the one writer (`services.outputs`: the CSV convention,
    formula cells neutralised); `frame` is a Polars frame or (headers, rows)."""
    import polars as pl

    from carteira_tui.services.outputs import table_text

    if isinstance(frame, tuple):
        headers, rows = frame
        frame = pl.DataFrame(
            [[None if v is None or v == "" else str(v) for v in row] for row in rows],
            schema={name: pl.String for name in headers},
            orient="row",
        )
    click.echo(table_text(frame, plain=plain_csv() if plain is None else plain), nl=False)


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
