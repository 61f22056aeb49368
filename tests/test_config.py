"""Settings: method defaults, TOML overrides, and clear messages for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from carteira_tui.config import Settings, SettingsError, load_settings


def test_defaults_are_the_methods() -> None:
    settings = Settings()
    assert (settings.active_days, settings.recent_days) == (90, 365)
    assert (settings.abc_a, settings.abc_b) == (0.80, 0.95)


def test_a_toml_file_overrides_by_field_name(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("active_days = 60\nabc_a = 0.7\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.active_days == 60
    assert settings.abc_a == 0.7
    assert settings.recent_days == 365


def test_a_wrongly_typed_value_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('active_days = "noventa"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="active_days"):
        load_settings(path)


def test_contradictory_thresholds_are_refused() -> None:
    with pytest.raises(SettingsError):
        Settings().with_overrides({"active_days": "400"})


def test_percent_overrides_read_as_shares() -> None:
    assert Settings().with_overrides({"abc_a": "75"}).abc_a == 0.75
