"""Saved views on a real SQLite file: save, replace, list, open, delete; bad input refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from carteira_tui.services import views
from carteira_tui.services.views import SavedView, ViewError
from carteira_tui.store.db import connect


def test_a_saved_view_opens_with_its_filter_search_and_sort(db_path: Path) -> None:
    views.save_view(
        db_path,
        name="  A  em risco ",
        search="silva",
        filter_text="abc = A and status != ativo",
        sort_column="monetary_cents",
        sort_descending=True,
    )
    opened = views.open_view(db_path, name="a em risco")
    assert (opened.name, opened.search, opened.filter_text) == (
        "A em risco",
        "silva",
        "abc = A and status != ativo",
    )
    assert (opened.sort_column, opened.sort_descending) == ("monetary_cents", True)


def test_saving_under_an_existing_name_replaces_it(db_path: Path) -> None:
    views.save_view(db_path, name="Ativos", filter_text="status = ativo")
    views.save_view(db_path, name="ATIVOS", filter_text="status = ativo and abc = A")
    listed = views.list_views(db_path)
    assert [(v.name, v.filter_text) for v in listed] == [("Ativos", "status = ativo and abc = A")]


def test_views_are_listed_by_name_ignoring_case(db_path: Path) -> None:
    for name in ("zeta", "Beta", "alfa"):
        views.save_view(db_path, name=name)
    assert [v.name for v in views.list_views(db_path)] == ["alfa", "Beta", "zeta"]


def test_a_view_without_sort_is_never_descending(db_path: Path) -> None:
    saved = views.save_view(db_path, name="x", sort_descending=True)
    assert saved == SavedView("x", "", "", None, False, saved.who, saved.updated_at)


def test_a_bad_filter_is_refused_and_nothing_is_stored(db_path: Path) -> None:
    with pytest.raises(ViewError, match="filtro inválido"):
        views.save_view(db_path, name="ruim", filter_text="status = = ativo")
    assert views.list_views(db_path) == []


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_an_empty_or_long_name_is_refused(db_path: Path, name: str) -> None:
    with pytest.raises(ViewError):
        views.save_view(db_path, name=name)


def test_an_unknown_sort_column_is_refused(db_path: Path) -> None:
    with pytest.raises(ViewError, match="ordenação"):
        views.save_view(db_path, name="x", sort_column="nope")


def test_delete_removes_the_view_and_audits_it(db_path: Path) -> None:
    views.save_view(db_path, name="Ativos", filter_text="status = ativo")
    views.delete_view(db_path, name="ativos")
    assert views.list_views(db_path) == []
    with pytest.raises(ViewError, match="não encontrada"):
        views.open_view(db_path, name="Ativos")
    with pytest.raises(ViewError, match="não encontrada"):
        views.delete_view(db_path, name="Ativos")
    with connect(db_path) as db:
        actions = [r[0] for r in db.execute("SELECT action FROM audit ORDER BY id").fetchall()]
    assert actions == ["salvar_visao", "apagar_visao"]
