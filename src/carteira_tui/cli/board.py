"""`carteira board`: the board of segments and statuses of the last segmentation run.

Reads the figures kept with the run when it is current for the day (`services.board`), so a
board after an import costs a process start and a few SQLite reads; otherwise re-segments first.
"""

from __future__ import annotations

from typing import Any

import click

from carteira_tui.cli import main
from carteira_tui.cli._common import (
    as_of_option,
    db_option,
    db_path_from,
    echo_json,
    echo_table,
    format_option,
    parse_as_of,
    plain_csv,
    settings_or_fail,
)
from carteira_tui.model import STATUS_LABELS, cents_to_brl, format_count, format_percent
from carteira_tui.services import board as board_service
from carteira_tui.vocab import cli as words


@main.command("board")
@db_option
@as_of_option
@format_option
@click.pass_context
def board_command(ctx: click.Context, db: str | None, as_of: str | None, fmt: str) -> None:
    """Quadro dos segmentos e status: clientes, receita, participação, entradas e saídas.

    Entradas e saídas contam desde a execução anterior da segmentação.

    Exemplo:

        carteira board --format table
    """
    db_path = db_path_from(ctx)
    settings = settings_or_fail()
    day = parse_as_of(as_of)
    # a board kept with a run current for the day is read as it is; otherwise the
    # segmentation (and the engine) is imported to bring it up to date
    result = board_service.kept_board(db_path, as_of=day, settings=settings)
    if result is None:
        from carteira_tui.services import segmentation as svc

        if not board_service.is_current(db_path, as_of=day, settings=settings):
            svc.resegment(db_path, as_of=day, settings=settings)
        result = svc.board(db_path, settings=settings)
    if fmt == "json":
        echo_json(
            [
                {
                    "dimensao": r.dimension,
                    "valor": r.value,
                    "clientes": r.clients,
                    "receita": round(r.revenue_cents / 100, 2),
                    "participacao": round(r.share, 4),
                    "entraram": r.entered,
                    "sairam": r.left,
                    "receita_esperada_90d": None
                    if r.expected_revenue_90d is None
                    else round(r.expected_revenue_90d, 2),
                }
                for r in result.rows
            ]
        )
        return
    rows: list[list[Any]] = [
        [
            r.dimension,
            r.value,
            r.clients,
            cents_to_brl(r.revenue_cents),
            format_percent(r.share),
            r.entered,
            r.left,
            r.expected_revenue_90d,
        ]
        for r in result.rows
    ]
    if fmt == "csv":
        import polars as pl

        from carteira_tui.services.outputs import table_text

        frame = pl.DataFrame(
            rows,
            schema=[
                "dimensao",
                "valor",
                "clientes",
                "receita",
                "participacao",
                "entraram",
                "sairam",
                "receita_esperada_90d",
            ],
            orient="row",
        )
        click.echo(table_text(frame, plain=plain_csv()), nl=False)
        return
    if result.settings_changed:
        click.echo(words.BOARD_SETTINGS_MOVES)
    readable = [
        [
            d,
            STATUS_LABELS.get(v, v) if d == "status" else v,  # keys stay in CSV and JSON
            format_count(n),
            revenue,
            share,
            format_count(came),
            format_count(went),
            "—" if expected is None else cents_to_brl(round(expected * 100)),
        ]
        for d, v, n, revenue, share, came, went, expected in rows
    ]
    echo_table(
        [
            "dimensão",
            "valor",
            "clientes",
            "receita",
            "part.",
            "entraram",
            "saíram",
            "prev. 90 dias",
        ],
        readable,
        right=(2, 3, 4, 5, 6, 7),
    )
