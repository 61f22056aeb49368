"""The Segmentos pane (key 2): a placeholder until the segment board is built."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from carteira_tui.tui.screens.base import PaneScreen
from carteira_tui.tui.widgets.status_line import StatusLine


class SegmentsScreen(PaneScreen):
    """Will show the board of segments: counts, revenue share, movement since the last run."""

    PANE_TITLE = "Segmentos"

    def compose(self) -> ComposeResult:
        yield StatusLine(self.PANE_TITLE, id="status-line")
        yield Static(
            "Segmentos\n\n"
            "Aqui ficará o quadro de segmentos: quantos clientes em cada segmento, a parte da "
            "receita de cada um, quem mudou de segmento desde a última execução e o detalhe de "
            "cada segmento.",
            id="segments-placeholder",
            classes="placeholder",
        )
        yield Footer()
