"""Fixtures for the TUI tests: a small deterministic portfolio and an app that shows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from carteira_tui.config import Settings
from carteira_tui.tui.app import CarteiraApp
from carteira_tui.tui.messages import Portfolio
from carteira_tui.tui.screens.clients import with_search_key

AS_OF = date(2026, 11, 20)

NAMES = [
    "José da Silva",
    "Ana Paula Souza",
    "João Pereira",
    "Márcia Conceição",
    "Pedro Álvares",
    "Luíza Gonçalves",
    "Carlos Eduardo Lima",
    "Fernanda Araújo",
]
STATUSES = ["ativo", "inativo_recente", "inativo_antigo", "prospect"]


def portfolio_frame(rows: int = 40) -> pl.DataFrame:
    """`rows` clients with every column the Clientes table shows; client k has id k."""
    ids = list(range(1, rows + 1))
    return pl.DataFrame(
        {
            "id": ids,
            "client_id": [f"C{i:04d}" for i in ids],
            "name": [f"{NAMES[(i - 1) % len(NAMES)]} {i}" for i in ids],
            "document": [f"{i:03d}.456.789-{i % 100:02d}" for i in ids],
            "email": [f"cliente{i}@exemplo.com.br" for i in ids],
            "phone": [f"(11) 9{i:04d}-0000" for i in ids],
            "city": ["São Paulo" if i % 2 else "Recife" for i in ids],
            "uf": ["SP" if i % 2 else "PE" for i in ids],
            "status": [STATUSES[(i - 1) % 4] for i in ids],
            "rfm_segment": ["Campeões" if i % 3 else "Em risco" for i in ids],
            "abc": [["A", "B", "C", None][(i - 1) % 4] for i in ids],
            "recency_days": [(i * 7) % 400 for i in ids],
            "frequency": [i % 9 for i in ids],
            "monetary_cents": [i * 123_456 for i in ids],
            "owner": ["Maria" if i % 2 else "Paulo" for i in ids],
        }
    )


def make_app(db_path: Path, frame: pl.DataFrame) -> CarteiraApp:
    """An app on `db_path` whose Clientes pane shows `frame` as of AS_OF."""
    portfolio = Portfolio(with_search_key(frame), AS_OF)
    return CarteiraApp(db_path, settings=Settings(), loader=lambda: portfolio)


@pytest.fixture
def app(db_path: Path) -> CarteiraApp:
    """The app over a 40-client portfolio."""
    return make_app(db_path, portfolio_frame())


@pytest.fixture(name="portfolio_frame")
def _portfolio_frame() -> Callable[[int], pl.DataFrame]:
    """`portfolio_frame(rows)`: build a deterministic portfolio of `rows` clients."""
    return portfolio_frame


@pytest.fixture(name="make_app")
def _make_app() -> Callable[[Path, pl.DataFrame], CarteiraApp]:
    """`make_app(db_path, frame)`: an app whose Clientes pane shows `frame`."""
    return make_app
