"""The Segmentos pane's text: the summary line, the detail's cadence line, vigilância and
alerts, the filter a drill sends to Clientes, and why a typed cadence is refused.
"""

from __future__ import annotations

from carteira_tui.engine.segments import parse_cadence
from carteira_tui.model import cents_to_brl
from carteira_tui.services.reports import NO_VALUE, SegmentCadence, SegmentsOverview
from carteira_tui.services.watch import Alerts
from carteira_tui.tui.widgets.frame_table import format_int
from carteira_tui.vocab import segments as segment_words

A_LEFT_ACTIVE = "cliente_a_saiu_de_ativo"
"""The alert kind (services.watch) that colours the alerts line: a class A client left ativo."""


def segment_filter(name: str) -> str:
    """The filter-language text that keeps the clients of segment `name`."""
    if name == NO_VALUE:
        return segment_words.NULL_SEGMENT_FILTER
    quote = "'" if '"' in name else '"'
    return segment_words.segment_filter(f"{quote}{name}{quote}")


def cadence_label(cadence: SegmentCadence | None) -> str:
    """A card's bottom border: `cadência 30/60`, or nothing without a cadence."""
    return "" if cadence is None else segment_words.cadence_label(cadence.ideal, cadence.maximum)


def cadence_states(cadence: SegmentCadence) -> str:
    """`12 em dia · 3 atenção · 5 atrasados`."""
    late = cadence.states.get("atrasado", 0)
    return segment_words.cadence_states(
        format_int(cadence.states.get("em_dia", 0)),
        format_int(cadence.states.get("atencao", 0)),
        format_int(late),
        late,
    )


def cadence_line(cadence: SegmentCadence | None) -> str:
    """The detail's second line for a segment: its cadence and its clients by state."""
    if cadence is None:
        return segment_words.NO_CADENCE_LINE
    return segment_words.cadence_line(cadence.ideal, cadence.maximum, cadence_states(cadence))


def cadence_problem(text: str) -> str | None:
    """Why the cadence dialog refuses `text` (`parse_cadence`'s reason, as the CLI), or None;
    an empty field is refused too, so a stray enter never clears a cadence (`-` does)."""
    if not text.strip():
        return segment_words.CADENCE_REQUIRED
    try:
        parse_cadence(text)
    except ValueError as error:
        return str(error)
    return None


def clients_text(count: int) -> str:
    """`1 cliente`, `2.345 clientes`."""
    return segment_words.clients(format_int(count), count)


def summary_text(overview: SegmentsOverview) -> str:
    """The pane's first line: when the result is from, how many clients, whether it is stale."""
    if overview.as_of is None:
        return segment_words.NONE_YET
    text = segment_words.summary(
        overview.as_of.strftime("%d/%m/%Y"),
        clients_text(overview.clients),
        cents_to_brl(overview.revenue_cents),
    )
    if overview.stale:
        text += segment_words.STALE
    return text


def watch_text(overview: SegmentsOverview) -> str:
    """Vigilância: how many moved since the previous run, and the biggest moves."""
    if not overview.board.has_previous:
        return segment_words.NO_PREVIOUS_WATCH
    moved = sum(movement.clients for movement in overview.movements)
    lines = [segment_words.watch(format_int(moved), moved)]
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
    return segment_words.alerts(parts)
