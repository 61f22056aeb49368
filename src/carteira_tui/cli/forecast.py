"""`carteira forecast`: the BG/NBD + Gamma-Gamma parameters, how well they fit, and a holdout
check of predicted against actual repeat purchases."""

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
    parse_as_of,
)
from carteira_tui.engine import forecast as model
from carteira_tui.model import format_count, format_date_br, format_decimal, format_moment_br
from carteira_tui.services import forecast as svc
from carteira_tui.vocab import cli as words


def _fit_json(fit: model.Fit, names: tuple[str, ...]) -> dict[str, Any]:
    params = fit.params
    values = {name: None if params is None else getattr(params, name) for name in names}
    extra = {"p_at_limit": params.p_at_limit} if isinstance(params, model.GammaGamma) else {}
    return {
        **values,
        **extra,
        "log_likelihood": fit.log_likelihood,
        "clients": fit.clients,
        "converged": fit.converged,
        "problem": fit.problem,
    }


def _as_json(run: svc.ForecastRun) -> dict[str, Any]:
    forecast = run.forecast
    document: dict[str, Any] = {
        "as_of": forecast.as_of.isoformat(),
        "fitted_at": run.fitted_at,
        "reused": run.reused,
        "bgnbd": _fit_json(forecast.purchases, ("r", "alpha", "a", "b")),
        "gamma_gamma": _fit_json(forecast.value, ("p", "q", "gamma")),
    }
    if run.holdout_from is not None:
        document["holdout_from"] = run.holdout_from.isoformat()
        document["holdout"] = [
            {
                "repeat_days": row.repeat_days,
                "clients": row.clients,
                "actual": row.actual,
                "predicted": row.predicted,
            }
            for row in run.holdout
        ]
    return document


def _fit_lines(title: str, fit: model.Fit, names: tuple[str, ...], units: dict[str, str]) -> None:
    click.echo(title)
    if fit.params is not None:
        for name in names:
            value = getattr(fit.params, name)
            click.echo(f"  {name:<6} {format_decimal(value, 4)}{units.get(name, '')}")
    if isinstance(fit.params, model.GammaGamma) and fit.params.p_at_limit:
        for line in words.GAMMA_GAMMA_AT_LIMIT:
            click.echo(line)
    if fit.log_likelihood is not None:
        click.echo(f"  log-verossimilhança {format_decimal(fit.log_likelihood, 1)}")
    click.echo(words.fit_clients(format_count(fit.clients), fit.converged))
    if fit.problem:
        click.echo(words.fit_unusable(fit.problem))


def _as_table(run: svc.ForecastRun) -> None:
    forecast = run.forecast
    fitted_at = format_moment_br(run.fitted_at) if run.reused and run.fitted_at else None
    click.echo(words.forecast_heading(format_date_br(forecast.as_of.isoformat()), fitted_at))
    _fit_lines(
        "Compras (BG/NBD):",
        forecast.purchases,
        ("r", "alpha", "a", "b"),
        {"alpha": " dias"},
    )
    _fit_lines(words.VALUE_PER_PURCHASE, forecast.value, ("p", "q", "gamma"), {})
    if run.holdout_from is None:
        return
    click.echo(words.holdout_heading(format_date_br(run.holdout_from.isoformat())))
    if not run.holdout:
        click.echo(words.NO_FIT_NO_TEST)
        return
    rows = [
        (
            f"{row.repeat_days}+" if row.repeat_days == svc.HOLDOUT_GROUPS else row.repeat_days,
            format_count(row.clients),
            format_decimal(row.actual, 2),
            format_decimal(row.predicted, 2),
        )
        for row in run.holdout
    ]
    echo_table(("recompras", "clientes", "reais", "previstas"), rows, right=(0, 1, 2, 3))


@main.command("forecast")
@db_option
@as_of_option
@click.option("--refit", is_flag=True, help="Ajusta de novo, sem reaproveitar os parâmetros.")
@click.option(
    "--holdout-from",
    "holdout_from",
    metavar="DATA",
    help="Ajusta até esta data e compara as compras previstas com as reais depois dela.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Formato da saída.",
)
@click.pass_context
def forecast_command(
    ctx: click.Context,
    db: str | None,
    as_of: str | None,
    refit: bool,
    holdout_from: str | None,
    fmt: str,
) -> None:
    """Previsão por cliente (BG/NBD + Gamma-Gamma): parâmetros e qualidade do ajuste.

    Os parâmetros ficam guardados e a ressegmentação os usa para calcular a chance de ainda
    ser cliente, as compras esperadas em 90 dias, o ticket e o valor esperados em 12 meses.

    Exemplo:

        carteira forecast --holdout-from 30/06/2026 --format table
    """
    db_path = db_path_from(ctx)
    holdout = parse_as_of(holdout_from) if holdout_from else None
    run = svc.forecast(db_path, as_of=parse_as_of(as_of), refit=refit, holdout_from=holdout)
    if fmt == "json":
        echo_json(_as_json(run))
    else:
        _as_table(run)
