"""Segmentation commands: `segment`, `board`, `explain`, `segments …` and `config`.

Each parses its options, calls one service of services.segmentation and renders the result as a
table, CSV or JSON (money in reais with two decimals, nulls as null).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click
import polars as pl

from carteira_tui.cli import main
from carteira_tui.cli._common import (
    as_of_option,
    db_option,
    db_path_from,
    echo_json,
    echo_table,
    force_option,
    format_option,
    parse_as_of,
    plain_csv,
    settings_or_fail,
)
from carteira_tui.config import Settings
from carteira_tui.engine.schema import OUTPUT_COLUMNS, RESULT_SCHEMA
from carteira_tui.model import Col, format_count
from carteira_tui.services import segmentation as svc
from carteira_tui.services.client_codes import resolve_client
from carteira_tui.services.outputs import table_text, write_output_text
from carteira_tui.vocab import cli as words


def _fresh_frame(db_path: Path, as_of: date, settings: Settings) -> pl.DataFrame:
    """The stored results when they are current for `as_of`, else a recomputation."""
    results = svc.current_results(db_path, settings=settings)
    if not results.stale and results.as_of == as_of:
        return results.frame
    return svc.resegment(db_path, as_of=as_of, settings=settings).frame


def _output_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(OUTPUT_COLUMNS).with_columns(
        pl.col(Col.MONETARY).round(2),
        pl.col(Col.AVG_TICKET).round(2),
        pl.col(Col.CYCLE_DAYS).round(2),
        pl.col(Col.OVERDUE_DAYS).round(2),
        pl.col("p_alive").round(4),
        pl.col("expected_orders_90d").round(4),
        pl.col("expected_ticket").round(2),
        pl.col("expected_value_12m").round(2),
    )


def _brl_expr(column: str) -> pl.Expr:
    """Reais (Float64) as `R$ 1.234,56` text, vectorised (model.cents_to_brl's format)."""
    return _decimal_expr(column, prefix="R$ ", grouped=True)


def _decimal_expr(column: str, *, prefix: str = "", grouped: bool = False) -> pl.Expr:
    """A Float64 as text with two decimals and a decimal comma (`-10,03`), vectorised; with
    `grouped`, `.` between thousands; `prefix` goes after the sign (`-R$ 1,00`)."""
    hundredths = (pl.col(column) * 100).round(0).cast(pl.Int64)
    whole = (hundredths.abs() // 100).cast(pl.String)
    if grouped:
        every_three = whole.str.reverse().str.replace_all(r"(\d{3})", "$1.")
        whole = every_three.str.strip_chars_end(".").str.reverse()
    fraction = (hundredths.abs() % 100).cast(pl.String).str.zfill(2)
    sign = pl.when(hundredths < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str(sign, pl.lit(prefix), whole, pl.lit(","), fraction).alias(column)


_RIGHT_ALIGNED = {name for name in OUTPUT_COLUMNS if RESULT_SCHEMA[name].is_numeric()}
"""The printed columns that hold numbers (money included): aligned right in the table."""


def _render_rows(frame: pl.DataFrame, fmt: str, *, plain: bool = False) -> str:
    out = _output_frame(frame)
    if fmt == "json":
        return json.dumps(out.to_dicts(), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return table_text(out, plain=plain)
    money = out.with_columns(
        _brl_expr(Col.MONETARY),
        _brl_expr(Col.AVG_TICKET),
        _decimal_expr(Col.CYCLE_DAYS),
        _decimal_expr(Col.OVERDUE_DAYS),
        pl.col(Col.COOLING).replace_strict({True: "sim", False: "não"}, return_dtype=pl.String),
        pl.col(Col.EXCLUDED).replace_strict({True: "sim", False: "não"}, return_dtype=pl.String),
    )
    lines: list[str] = []
    headers = list(money.columns)
    rows = [["" if v is None else str(v) for v in row] for row in money.iter_rows()]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    right = [h in _RIGHT_ALIGNED for h in headers]

    def line(cells: list[str]) -> str:
        padded = (
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        )
        return "  ".join(padded).rstrip()

    lines.append(line(headers))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(line(row) for row in rows)
    return "\n".join(lines) + "\n"


def _parse_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(words.expected_key_value(pair), param_hint="--preview")
        parsed[key.strip()] = value.strip()
    return parsed


@main.command("segment")
@db_option
@as_of_option
@click.option("--where", "where", metavar="FILTRO", help="Só os clientes que casam o filtro.")
@format_option
@click.option(
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Grava a saída neste arquivo.",
)
@force_option
@click.option(
    "--preview",
    "preview",
    multiple=True,
    metavar="CHAVE=VALOR",
    help="Prévia: contagens com outro limite, sem salvar.",
)
@click.pass_context
def segment_command(
    ctx: click.Context,
    db: str | None,
    as_of: str | None,
    where: str | None,
    fmt: str,
    output: Path | None,
    force: bool,
    preview: tuple[str, ...],
) -> None:
    """Segmenta a carteira: status, RFM, curva ABC, esfriando e segmento de cada cliente.

    Usa o último resultado guardado quando ainda vale para a data; senão recalcula.

    Exemplo:

        carteira segment --as-of 30/06/2026 --where "abc = A" --format json
    """
    db_path = db_path_from(ctx)
    settings = settings_or_fail()
    day = parse_as_of(as_of)
    if preview:
        result = svc.preview_settings(db_path, _parse_pairs(preview), settings=settings, as_of=day)
        rows = [[d, v, now, new, new - now] for d, v, now, new in result.rows]
        if fmt == "json":
            echo_json(
                [
                    dict(
                        zip(
                            ("dimensao", "valor", "atual", "proposto", "diferenca"),
                            r,
                            strict=True,
                        )
                    )
                    for r in rows
                ]
            )
        else:
            counts = [
                [
                    d,
                    v,
                    format_count(now),
                    format_count(new),
                    f"{new - now:+,}".replace(",", "."),
                ]
                for d, v, now, new in result.rows
            ]
            headers = ["dimensão", "valor", "atual", "proposto", "diferença"]
            echo_table(headers, counts, right=(2, 3, 4))
        return
    frame = _fresh_frame(db_path, day, settings)
    if where:
        frame = frame.filter(svc.compile_filter(where, as_of=day).fill_null(False))
    plain = plain_csv()
    text = _render_rows(frame, fmt, plain=plain)
    if output:
        bom = fmt == "csv" and not plain
        write_output_text(output, text, db_path=db_path, force=force, bom=bom)
        click.echo(words.clients_written(frame.height, output), err=True)
    else:
        click.echo(text, nl=False)


@main.command("explain")
@db_option
@as_of_option
@format_option
@click.argument("client")
@click.pass_context
def explain_command(
    ctx: click.Context, db: str | None, as_of: str | None, fmt: str, client: str
) -> None:
    """Explica os números de um cliente (pelo código externo): regras, limites e valores.

    Um código unificado a outro cliente (carteira clean) explica o cliente que ficou.

    Exemplo:

        carteira explain C000123 --as-of 30/06/2026
    """
    db_path = db_path_from(ctx)
    settings = settings_or_fail()
    resolved = resolve_client(db_path, client)
    code = resolved.external_id if resolved is not None else client
    result = svc.explain_client(db_path, code, as_of=parse_as_of(as_of), settings=settings)
    merged = resolved.merged_code if resolved is not None else None
    if fmt == "json":
        echo_json(
            {
                "client_id": result.external_id,
                "merged_code": merged,
                "name": result.name,
                "as_of": result.as_of.isoformat(),
                "lines": result.lines,
                "scores": [s.__dict__ for s in result.scores],
                "segments": [{"segment": n, "matched": m} for n, m in result.segment_trace],
            }
        )
        return
    click.echo(words.explained_heading(result.external_id, result.name, f"{result.as_of:%d/%m/%Y}"))
    if resolved is not None and resolved.merged_note:
        click.echo(resolved.merged_note)
    for line in result.lines:
        click.echo(f"  {line}")
    for name, matched in result.segment_trace:
        click.echo(f"    {'✓' if matched else '·'} {name}")


@main.group("segments")
def segments_group() -> None:
    """Segmentos nomeados: lista, cria, edita, reordena e apaga (primeira regra que casa vence).

    Exemplo:

        carteira segments add "VIP SP" --filter 'uf = "SP" and abc = A' --plan vip
    """


def _print_segments(rows: list[Any]) -> None:
    echo_table(
        ["#", "nome", "filtro", "plano", "cadência"],
        [
            [
                r.position,
                r.name,
                r.filter,
                r.plan,
                f"{r.cadence_ideal}/{r.cadence_max}" if r.cadence_ideal else "—",
            ]
            for r in rows
        ],
    )


@segments_group.command("list")
@db_option
@format_option
@click.pass_context
def segments_list(ctx: click.Context, db: str | None, fmt: str) -> None:
    """Lista os segmentos na ordem em que são avaliados.

    Exemplo:

        carteira segments list --format json
    """
    rows = svc.list_segments(db_path_from(ctx))
    if fmt == "json":
        echo_json([r.__dict__ for r in rows])
    else:
        _print_segments(rows)


@segments_group.command("add")
@db_option
@click.argument("name")
@click.option(
    "--filter", "filter_text", required=True, metavar="FILTRO", help="Filtro do segmento."
)
@click.option("--plan", required=True, metavar="PLANO", help="Plano de ação.")
@click.option("--position", type=int, default=None, help="Posição (1 = primeiro).")
@click.pass_context
def segments_add(
    ctx: click.Context, db: str | None, name: str, filter_text: str, plan: str, position: int | None
) -> None:
    """Cria um segmento.

    Exemplo:

        carteira segments add "Recompra" --filter "atraso > 0" --plan recompra --position 2
    """
    svc.add_segment(
        db_path_from(ctx), name=name, filter_text=filter_text, plan=plan, position=position
    )
    _print_segments(svc.list_segments(db_path_from(ctx)))


@segments_group.command("edit")
@db_option
@click.argument("name")
@click.option("--name", "new_name", default=None, help="Novo nome.")
@click.option("--filter", "filter_text", default=None, metavar="FILTRO", help="Novo filtro.")
@click.option("--plan", default=None, metavar="PLANO", help="Novo plano de ação.")
@click.option(
    "--cadence",
    default=None,
    metavar="IDEAL/MÁX",
    help="Dias entre contatos: ideal/máximo (ex.: 30/60; - tira a cadência).",
)
@click.pass_context
def segments_edit(
    ctx: click.Context,
    db: str | None,
    name: str,
    new_name: str | None,
    filter_text: str | None,
    plan: str | None,
    cadence: str | None,
) -> None:
    """Edita o nome, o filtro, o plano ou a cadência de contato de um segmento.

    Exemplo:

        carteira segments edit Ativos --plan fidelizacao --cadence 30/60
    """
    from carteira_tui.engine.segments import parse_cadence

    try:
        pair = parse_cadence(cadence) if cadence is not None else False
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--cadence") from error
    svc.edit_segment(
        db_path_from(ctx),
        name,
        new_name=new_name,
        filter_text=filter_text,
        plan=plan,
        cadence=pair,
    )
    _print_segments(svc.list_segments(db_path_from(ctx)))


@segments_group.command("move")
@db_option
@click.argument("name")
@click.argument("position", type=int)
@click.pass_context
def segments_move(ctx: click.Context, db: str | None, name: str, position: int) -> None:
    """Move um segmento para outra posição (1 = avaliado primeiro).

    Exemplo:

        carteira segments move Prospects 1
    """
    rows = svc.move_segment(db_path_from(ctx), name, position=position)
    _print_segments(rows)


@segments_group.command("delete")
@db_option
@click.argument("name")
@click.pass_context
def segments_delete(ctx: click.Context, db: str | None, name: str) -> None:
    """Apaga um segmento.

    Exemplo:

        carteira segments delete "Inativos antigos"
    """
    svc.delete_segment(db_path_from(ctx), name)
    _print_segments(svc.list_segments(db_path_from(ctx)))
