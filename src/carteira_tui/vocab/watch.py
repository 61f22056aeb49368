"""pt-BR text of the vigilância (`engine/watch.py`): alert titles and the alerts' details.

The details are Polars `pl.format` templates (`{}` for each value, in order). Imports nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

# -- alert titles (keys beside `engine.watch.AlertKind`) ------------------------------------------

ALERT_A_LEFT_ACTIVE = "Cliente A saiu de ativo"
ALERT_COOLING = "Cliente esfriando"
ALERT_HEADING_OUT = "A caminho da inativação"
ALERT_TASK_OVERDUE = "Tarefa atrasada"
ALERT_OWNER_OVER_CAPACITY = "Responsável acima da capacidade"

# -- details (pl.format templates) ---------------------------------------------------------------

DETAIL_REPURCHASE_LATE = "recompra atrasada em {} dias (ciclo de {} dias)"
"""Days overdue, cycle days."""
DETAIL_ORDERS_FELL = "pedidos caíram de {} para {} por janela"
"""Orders in the previous window, in the last one."""
DETAIL_TASK_LATE = "{}: {} dias de atraso"
"""The task's title, days overdue."""
UNTITLED_TASK = "tarefa"
DETAIL_OVER_CAPACITY = "{} clientes para capacidade {}"
"""The owner's clients, their capacity."""

# -- frames handed over without the columns they need (a programming error) ----------------------

FRAME_PREVIOUS_RUN = "execução anterior"
FRAME_CURRENT_RUN = "execução atual"
FRAME_HISTORY = "histórico"


def missing_columns(what: str, missing: Sequence[str]) -> str:
    return f"{what}: faltam as colunas {', '.join(missing)}"
