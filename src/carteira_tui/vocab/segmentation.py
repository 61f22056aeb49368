"""pt-BR text of the segmentation service (`services/segmentation.py`): the closing line of a
run, its progress steps, the kept result's state for `carteira check`, and refusals.

Imports nothing: the CLI's error path can use it without loading a library.
"""

from __future__ import annotations

# -- a run, in one line (the app's notice and the import's closing line) --------------------------


def run_query(day: str, clients: str) -> str:
    return f"Consulta da segmentação em {day} ({clients} clientes): nada registrado."


def run_unchanged(day: str, clients: str) -> str:
    return f"Segmentação de {day} já estava em dia: nada mudou ({clients} clientes)."


def run_done(day: str, took: str, clients: str) -> str:
    return f"Segmentação de {day} recalculada em {took} ({clients} clientes)."


# -- progress ------------------------------------------------------------------------------------

PROGRESS_FOREIGN_CACHE = "Cache de outra cópia do banco descartado."
PROGRESS_SEGMENTING = "Segmentando…"
PROGRESS_NOTHING_CHANGED = "Pronto (nada mudou desde a última segmentação)."
PROGRESS_LAST_RUN_AGAIN = "Pronto (a última segmentação registrada, recalculada)."

# -- the kept result's state (`carteira check`) ---------------------------------------------------

RESULTS_MISSING = "ausente"
RESULTS_FOREIGN = "de outra cópia do banco"
RESULTS_CURRENT = "em dia"


def results_behind(writes: str) -> str:
    return f"atrás {writes} gravações (será atualizado)"


# -- refusals ------------------------------------------------------------------------------------


def invalid_filter(error: object) -> str:
    return f"filtro inválido: {error}"


def client_not_found(external_id: str) -> str:
    return f"cliente não encontrado: {external_id!r}"
