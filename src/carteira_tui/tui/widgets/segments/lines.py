"""The Segmentos pane's text: the summary line, the detail's cadence line, vigilância and
alerts, the filter a drill sends to Clientes, and why a typed cadence is refused.
"""

from __future__ import annotations

from carteira_tui.engine.segments import parse_cadence
from carteira_tui.model import cents_to_brl
from carteira_tui.services.reports import NO_VALUE, SegmentCadence, SegmentsOverview
from carteira_tui.services.watch import Alerts
from carteira_tui.tui.widgets.frame_table import format_int

A_LEFT_ACTIVE = "cliente_a_saiu_de_ativo"
"""The alert kind (services.watch) that colours the alerts line: a class A client left ativo."""


def segment_filter(name: str) -> str:
    """The filter-language text that keeps the clients of segment `name`."""
    if name == NO_VALUE:
        return "segmento is null"
    quote = "'" if '"' in name else '"'
    return f"segmento = {quote}{name}{quote}"


def cadence_label(cadence: SegmentCadence | None) -> str:
    """A card's bottom border: `cadência 30/60`, or nothing without a cadence."""
    return "" if cadence is None else f"cadência {cadence.ideal}/{cadence.maximum}"


def cadence_states(cadence: SegmentCadence) -> str:
    """`12 em dia · 3 atenção · 5 atrasados`."""
    late = cadence.states.get("atrasado", 0)
    return (
        f"{format_int(cadence.states.get('em_dia', 0))} em dia · "
        f"{format_int(cadence.states.get('atencao', 0))} atenção · "
        f"{format_int(late)} {'atrasado' if late == 1 else 'atrasados'}"
    )


def cadence_line(cadence: SegmentCadence | None) -> str:
    """The detail's second line for a segment: its cadence and its clients by state."""
    if cadence is None:
        return "Sem cadência de contato · c define"
    return f"Cadência {cadence.ideal}/{cadence.maximum} dias: {cadence_states(cadence)} · c edita"


def cadence_problem(text: str) -> str | None:
    """Why the cadence dialog refuses `text` (`parse_cadence`'s reason, as the CLI), or None;
    an empty field is refused too, so a stray enter never clears a cadence (`-` does)."""
    if not text.strip():
        return "informe IDEAL/MÁX em dias (ex.: 30/60), ou - para tirar a cadência"
    try:
        parse_cadence(text)
    except ValueError as error:
        return str(error)
    return None


def clients_text(count: int) -> str:
    """`1 cliente`, `2.345 clientes`."""
    return f"{format_int(count)} {'cliente' if count == 1 else 'clientes'}"


def summary_text(overview: SegmentsOverview) -> str:
    """The pane's first line: when the result is from, how many clients, whether it is stale."""
    if overview.as_of is None:
        return "Nenhuma segmentação calculada ainda: tecle r para calcular agora."
    text = (
        f"Segmentação de {overview.as_of.strftime('%d/%m/%Y')} · "
        f"{clients_text(overview.clients)} · receita {cents_to_brl(overview.revenue_cents)}"
    )
    if overview.stale:
        text += " · desatualizado (r recalcula)"
    return text


def watch_text(overview: SegmentsOverview) -> str:
    """Vigilância: how many moved since the previous run, and the biggest moves."""
    if not overview.board.has_previous:
        return "Vigilância: sem execução anterior para comparar (r recalcula)."
    moved = sum(movement.clients for movement in overview.movements)
    lines = [
        f"Vigilância: {format_int(moved)} {'mudou' if moved == 1 else 'mudaram'} de segmento "
        "desde a execução anterior"
    ]
    top = [f"{m.source} → {m.target}: {format_int(m.clients)}" for m in overview.movements[:3]]
    if top:
        lines.append("  " + " · ".join(top))
    return "\n".join(lines)


def alerts_text(alerts: Alerts) -> str:
    """Alerts: how many of each kind (services.watch), in the vigilância's order."""
    labels = dict(alerts.frame.select("kind", "label").unique().iter_rows())
    parts = [
        f"{labels.get(kind, kind)}: {format_int(count)}"
        for kind, count in alerts.counts.items()
        if count
    ]
    return "Alertas: " + " · ".join(parts) if parts else "Alertas: nenhum"
