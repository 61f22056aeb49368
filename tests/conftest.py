"""Fixtures every layer's tests share: a fresh database path and a pinned environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Timing belongs in benchmarks/: on a shared 2-core CI machine a per-example deadline only flakes.
settings.register_profile("carteira", deadline=None)
settings.load_profile("carteira")


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the developer's own config or database, nor write to their crash log."""
    monkeypatch.setenv("CARTEIRA_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("CARTEIRA_DB", raising=False)
    monkeypatch.delenv("CARTEIRA_USER", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's own SQLite file goes."""
    return tmp_path / "carteira.db"
