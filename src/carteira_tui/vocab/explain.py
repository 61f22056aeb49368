"""pt-BR text that explains a result: a client's explanation lines (`engine/explain.py`), the
urgency terms (`engine/urgency.py`), cadence states and why a task is on Hoje
(`engine/today.py`).

Imports nothing. Dates, money, counts and percentages come in already formatted by the caller
(dd/mm/aaaa, R$ 1.234,56).
"""

from __future__ import annotations

from carteira_tui.vocab import counted

# -- urgency terms (keys beside `engine.urgency.URGENCY_TERMS`) -----------------------------------

TERM_DUE = "vencimento"
TERM_PRIORITY = "prioridade"
TERM_CYCLE = "atraso no ciclo de compra"
TERM_VALUE = "valor do cliente"
TERM_CADENCE = "contato atrasado"
TERM_ABC = "curva ABC"
TERM_COOLING = "esfriando"
TERM_AGE = "idade da tarefa"
TERM_FORECAST = "chance de já ter deixado de comprar (previsão)"

CADENCE_LABELS: dict[str, str] = {"em_dia": "em dia", "atencao": "atenção", "atrasado": "atrasado"}
"""Each DESIGN.md cadence state with the words people read."""

# -- a client's explanation ----------------------------------------------------------------------


def score_recency(days: int) -> str:
    return f"recência {days} dias"


def score_orders(count: str) -> str:
    return f"{count} pedidos"


def score_value(money: str) -> str:
    return f"valor {money}"


PROSPECT = "Status prospect: nenhuma compra até a data de referência."


def purchases(last: str, first: str, as_of: str, recency: int) -> str:
    return f"Última compra {last}, primeira {first}; recência = {as_of} − {last} = {recency} dias."


def status_active(recency: int, active_days: int) -> str:
    return f"recência {recency} ≤ {active_days} (active_days) → ativo"


def status_recent(recency: int, active_days: int, recent_days: int) -> str:
    return (
        f"recência {recency} > {active_days} (active_days) e ≤ "
        f"{recent_days} (recent_days) → inativo_recente"
    )


def status_old(recency: int, recent_days: int) -> str:
    return f"recência {recency} > {recent_days} (recent_days) → inativo_antigo"


def status(rule: str) -> str:
    return f"Status: {rule}."


def frequency(orders: object, days: object, value: str, ticket: str) -> str:
    return (
        f"Frequência {orders} pedidos em {days} dias de compra; "
        f"valor {value}; ticket médio {ticket}."
    )


NO_CYCLE = "Ciclo de recompra: indefinido (menos de 2 dias de compra)."


def cycle(last: str, first: str, days: object, cycle: str, recency: int, overdue: str) -> str:
    return (
        f"Ciclo de recompra = ({last} − {first}) / ({days} − 1) = "
        f"{cycle} dias; atraso = {recency} − {cycle} = {overdue} dias."
    )


def score(name: str, rank: int, n: int, score: object, value: str) -> str:
    return f"{name} = ⌊({rank} − 1) × 5 / {n}⌋ + 1 = {score} (posição {rank} de {n}, {value})."


def abc(curve: object, before: str, total: str, share: str, cut_a: str, cut_b: str) -> str:
    return (
        f"Curva ABC {curve}: receita antes dele {before} de "
        f"{total} ({share}); cortes A < {cut_a}, B < {cut_b}."
    )


def cooling(
    cooling: bool,
    last_start: str,
    as_of: str,
    last_window: object,
    previous_start: str,
    previous_window: object,
    ratio: str,
) -> str:
    return (
        f"Esfriando: {'sim' if cooling else 'não'} — pedidos em "
        f"({last_start}, {as_of}]: {last_window}; em "
        f"({previous_start}, {last_start}]: {previous_window} "
        f"(caiu se ≤ {ratio} e havia pedidos); ou atraso > "
        "ciclo."
    )


def excluded(reason: object) -> str:
    return f"Excluído das ações: {reason}."


NOT_EXCLUDED = "Não excluído das ações."


def segment(name: object, plan: object) -> str:
    return f"Segmento: {name} (primeira regra que casa, plano {plan})."


NO_SEGMENT = "Segmento: nenhuma regra casou."

# -- why a task is on Hoje -----------------------------------------------------------------------


def birthday(day_month: str) -> str:
    return f"aniversário em {day_month}"


OPEN_BILL = "cobrança em aberto"


def client_curve(curve: object) -> str:
    return f"cliente {curve}"


def past_cycle(cycle_days: int, recency: int) -> str:
    return (
        f"comprava a cada {counted(cycle_days, 'dia', 'dias')} e está há "
        f"{counted(recency, 'dia', 'dias')} sem comprar"
    )


def last_purchase(recency: int) -> str:
    return f"última compra há {counted(recency, 'dia', 'dias')}"


NEVER_BOUGHT = "ainda não comprou"
NO_CONTACT = "nenhum contato registrado"
CONTACT_TODAY = "último contato hoje"
CONTACT_YESTERDAY = "último contato ontem"


def last_contact(days: int) -> str:
    return f"último contato há {days} dias"


def off_cadence(max_days: object) -> str:
    return f"fora da cadência do segmento (a cada {max_days} dias no máximo)"


NO_CHANNEL = "nenhum canal autorizado: não contatar para marketing"
