"""Saved views: name the Clientes pane's filter, search and sort, and open them again later.

The Clientes pane calls these (`ctrl+s` saves, `ctrl+o` lists and opens). Each function opens its
own connection; a save checks the filter text compiles before it is written, so a stored view
always opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from carteira_tui.engine.filters import validate_filter
from carteira_tui.engine.schema import RESULT_SCHEMA
from carteira_tui.errors import CarteiraError
from carteira_tui.store import views as store
from carteira_tui.store.audit import current_user, write_audit
from carteira_tui.store.db import connect

NAME_MAX = 60


class ViewError(CarteiraError, ValueError):
    """A view that cannot be saved, opened or deleted, with a pt-BR message."""


@dataclass(frozen=True)
class SavedView:
    """A named filter + search + sort of the Clientes pane."""

    name: str
    search: str = ""
    filter_text: str = ""
    sort_column: str | None = None
    sort_descending: bool = False
    who: str | None = None
    updated_at: str | None = None


def _view(row: store.ViewRow) -> SavedView:
    return SavedView(
        row.name,
        row.search,
        row.filter,
        row.sort_column,
        row.sort_descending,
        row.who,
        row.updated_at,
    )


def list_views(db_path: Path) -> list[SavedView]:
    """Every saved view, by name."""
    with connect(db_path) as db:
        return [_view(row) for row in store.read_views(db)]


def save_view(
    db_path: Path,
    *,
    name: str,
    search: str = "",
    filter_text: str = "",
    sort_column: str | None = None,
    sort_descending: bool = False,
) -> SavedView:
    """Store the view under `name`, replacing one of the same name (any case)."""
    name = " ".join(name.split())
    if not name:
        raise ViewError("dê um nome à visão")
    if len(name) > NAME_MAX:
        raise ViewError(f"nome longo demais (máximo {NAME_MAX} caracteres)")
    if filter_text.strip():
        problem = validate_filter(filter_text)
        if problem is not None:
            raise ViewError(f"filtro inválido: {problem.message}")
    if sort_column is not None and sort_column not in RESULT_SCHEMA:
        raise ViewError(f"coluna de ordenação desconhecida: {sort_column}")
    row = store.ViewRow(
        name,
        search.strip(),
        filter_text.strip(),
        sort_column,
        sort_descending and sort_column is not None,
        current_user(),
        "",
    )
    with connect(db_path) as db, db.atomic():
        stored = store.upsert_view(db, row)
        write_audit(
            db,
            action="salvar_visao",
            entity="saved_views",
            summary=f"visão {stored.name!r} salva",
            after={"search": stored.search, "filter": stored.filter, "sort": stored.sort_column},
        )
    return _view(stored)


def open_view(db_path: Path, *, name: str) -> SavedView:
    """The view called `name` (any case)."""
    with connect(db_path) as db:
        row = store.read_view(db, name.strip())
    if row is None:
        raise ViewError(f"visão não encontrada: {name}")
    return _view(row)


def delete_view(db_path: Path, *, name: str) -> None:
    """Delete the view called `name` (any case)."""
    with connect(db_path) as db, db.atomic():
        if not store.delete_view(db, name.strip()):
            raise ViewError(f"visão não encontrada: {name}")
        write_audit(
            db, action="apagar_visao", entity="saved_views", summary=f"visão {name!r} apagada"
        )
