"""pt-BR text of the forecast (`engine/forecast.py`, `services/forecast.py`): why a fit was not
kept, the card's explanation lines and the vigilância's "heading out" detail.

Imports nothing: the CLI's error path can use it without loading a library. Numbers and money
come in already formatted (dd/mm/aaaa, R$ 1.234,56) by the caller.
"""

from __future__ import annotations

# -- why a fit was not kept ----------------------------------------------------------------------

FIT_FAILED_NUMERICALLY = "o ajuste falhou numericamente"
FIT_NOT_CONVERGED = "o ajuste não convergiu"
FIT_AT_BOUND = "o ajuste não convergiu (parâmetro no limite)"
FIT_NO_REPEAT_BUYERS = "quase nenhum cliente comprou mais de um dia"
FIT_FEW_REPEAT_BUYERS = "poucos clientes com compras repetidas"
FIT_NO_FINITE_MEAN = "o valor médio não tem média finita"


def fit_few_buyers(clients: int) -> str:
    return f"poucos compradores ({clients}) para ajustar"


HOLDOUT_BEFORE_AS_OF = "--holdout-from precisa ser anterior à data de referência"


def audit_fitted(as_of_iso: str) -> str:
    return f"previsão ajustada em {as_of_iso}"


# -- the card's lines ----------------------------------------------------------------------------

NO_FIT = "Previsão: ainda sem ajuste guardado (carteira forecast) ou o ajuste falhou."


def one_purchase(since_first: int, orders: str) -> str:
    return (
        f"Previsão: 1 compra, há {since_first} dias; compras esperadas nos próximos 90 dias: "
        f"{orders} (a chance de ainda ser cliente só se mede depois da segunda "
        "compra)."
    )


def alive_chance(
    percent: int, days: int, since_first: int, since_last: int, pace: int, orders: str
) -> str:
    return (
        f"Chance de ainda ser cliente: {percent} % — {days} compras em "
        f"{since_first} dias, a última há {since_last}; quem compra nesse ritmo costuma "
        f"voltar em ~{pace} dias. Compras esperadas nos próximos 90 dias: "
        f"{orders}."
    )


def expected_value(ticket: str, value: str) -> str:
    return (
        f"Ticket esperado {ticket}; valor esperado em 12 meses {value} "
        "(compras esperadas em 365 dias × ticket esperado; BG/NBD + Gamma-Gamma)."
    )


HEADING_OUT_DETAIL = "chance de ainda ser cliente caiu de {} % para {} %"
"""A Polars `pl.format` template: the chance before and now, in whole percent."""
