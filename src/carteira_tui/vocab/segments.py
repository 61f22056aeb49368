"""The Segmentos pane's pt-BR text: the summary, cadence, vigilância and alerts lines, the
cards' lines, the charts' captions, the what-if preview and the cadence dialog."""

from __future__ import annotations

TITLE = "Segmentos"
LOADING = "Carregando segmentação…"
WHAT_IF = "E se:"
NONE_YET = "Nenhuma segmentação calculada ainda: tecle r para calcular agora."
STALE = " · desatualizado (r recalcula)"
NO_CADENCE_LINE = "Sem cadência de contato · c define"
CADENCE_REQUIRED = "informe IDEAL/MÁX em dias (ex.: 30/60), ou - para tirar a cadência"
NO_PREVIOUS_WATCH = "Vigilância: sem execução anterior para comparar (r recalcula)."
NO_ALERTS = "Alertas: nenhum"
NO_PREVIOUS = "sem execução anterior"
PICK_A_CARD = "Escolha o cartão de um segmento para editar a cadência."
CADENCE_PLACEHOLDER = "ex.: 30/60"
CADENCE_HINT = (
    "Dias entre contatos: ideal/máximo (ex.: 30/60); - tira a cadência. Vale para toda a equipe."
)
NO_CADENCE = "sem cadência"
PREVIEWING = "Calculando prévia…"
PREVIEW_READY = "Prévia pronta · ctrl+s salva estes limites · esc sai sem salvar"
LIMITS_SAVED = "Limites salvos; recalculando a segmentação."
NO_MONTHLY_REVENUE = "Receita mensal: nenhum pedido"
MONTHLY_REVENUE_LOADING = "Receita mensal: carregando…"
NO_ABC_CURVE = "Curva ABC: sem clientes com pedidos"
ALL_STATUSES = "Todos os status"
NO_CLASS = "sem classe"
NULL_SEGMENT_FILTER = "segmento is null"
"""The filter-language text that keeps the clients with no segment."""


def segment_filter(quoted: str) -> str:
    """The filter-language text that keeps the clients of a segment (its name quoted)."""
    return f"segmento = {quoted}"


def cadence_label(ideal: int, maximum: int) -> str:
    """A card's bottom border: `cadência 30/60`."""
    return f"cadência {ideal}/{maximum}"


def cadence_states(on_time: str, attention: str, late: str, late_count: int) -> str:
    """`12 em dia · 3 atenção · 5 atrasados`."""
    word = "atrasado" if late_count == 1 else "atrasados"
    return f"{on_time} em dia · {attention} atenção · {late} {word}"


def cadence_line(ideal: int, maximum: int, states: str) -> str:
    """The detail's second line for a segment with a cadence."""
    return f"Cadência {ideal}/{maximum} dias: {states} · c edita"


def clients(count: str, number: int) -> str:
    """`1 cliente`, `2.345 clientes` (`count` already formatted)."""
    return f"{count} {'cliente' if number == 1 else 'clientes'}"


def summary(day: str, clients_text: str, revenue: str) -> str:
    """The pane's first line."""
    return f"Segmentação de {day} · {clients_text} · receita {revenue}"


def watch(moved: str, number: int) -> str:
    """Vigilância's first line: how many moved since the previous run."""
    verb = "mudou" if number == 1 else "mudaram"
    return f"Vigilância: {moved} {verb} de segmento desde a execução anterior"


def alerts(parts: list[str]) -> str:
    """The alerts line (`parts`: `label: count`)."""
    return "Alertas: " + " · ".join(parts) if parts else NO_ALERTS


def cadence_title(name: str) -> str:
    """The cadence dialog's title."""
    return f"Cadência de contato de {name}"


def cadence_saved(name: str, pair: tuple[int, int] | None) -> str:
    """The notification after a segment's cadence was saved."""
    what = NO_CADENCE if pair is None else f"cadência {pair[0]}/{pair[1]} dias"
    return f"{name}: {what}; recalculando."


def invalid_values(message: str) -> str:
    """The what-if line when its values are refused."""
    return f"Valores inválidos: {message}"


def monthly_revenue(months: int, total: str, best_month: str, best: str) -> str:
    """The monthly revenue chart's caption."""
    return f"Receita mensal · {months} meses · total {total} · maior {best_month} ({best})"


def abc_curve(share: str) -> str:
    """The ABC curve's caption."""
    return f"Curva ABC: {share} dos clientes fazem 80% da receita"


def card_clients(count: str, number: int) -> str:
    """A card's first line."""
    return f"{count} {'cliente' if number == 1 else 'clientes'}"


def card_preview(proposed: str, delta: str) -> str:
    """A card's third line during a what-if preview."""
    return f"prévia: {proposed} ({delta})"


def card_moves(entered: str, left: str) -> tuple[str, ...]:
    """A card's third line, longest wording first (the card shows the first that fits)."""
    return (
        f"+{entered} entraram · −{left} saíram",
        f"entraram {entered} · saíram {left}",
        f"+{entered} −{left} desde a anterior",
        f"+{entered} entraram −{left} saíram",
        f"+{entered} −{left}",
    )


def matrix_cell(status: str, abc: str | None) -> str:
    """A status × ABC cell as the detail names it."""
    return f"{status} · {NO_CLASS if abc is None else f'classe {abc}'}"
