"""Fixtures every layer's tests share: a fresh database path and a pinned environment."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the developer's own config or database."""
    monkeypatch.setenv("CARTEIRA_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("CARTEIRA_DB", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's own SQLite file goes."""
    return tmp_path / "carteira.db"
