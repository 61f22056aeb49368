"""Settings: method defaults, TOML overrides, and clear messages for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from carteira_tui.config import (
    Settings,
    SettingsError,
    load_settings,
    shared_key_warning,
    shared_keys_in_file,
)


def test_defaults_are_the_methods() -> None:
    settings = Settings()
    assert (settings.active_days, settings.recent_days) == (90, 365)
    assert (settings.abc_a, settings.abc_b) == (0.80, 0.95)


def test_a_shared_key_in_a_personal_file_is_ignored_and_named(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("active_days = 60\nread_only = true\n[tema]\nnome = 'escuro'\n", "utf-8")
    settings = load_settings(path)
    assert settings.active_days == 90 and settings.read_only is True
    assert settings.extra == {"tema": {"nome": "escuro"}}
    assert shared_keys_in_file(path) == ["active_days"]
    assert "carteira config set active_days" in shared_key_warning(path, "active_days")


def test_a_wrongly_typed_value_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('read_only = "sim"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="read_only"):
        load_settings(path)


def test_contradictory_thresholds_are_refused() -> None:
    with pytest.raises(SettingsError):
        Settings().with_overrides({"active_days": "400"})


def test_percent_overrides_read_as_shares() -> None:
    assert Settings().with_overrides({"abc_a": "75"}).abc_a == 0.75


def test_a_share_may_be_given_in_percent_and_an_urgency_weight_is_a_plain_number() -> None:
    settings = Settings().with_overrides(
        {"abc_a": "70", "urgency_forecast": "12", "urgency_value": "25,5"}
    )
    assert (settings.abc_a, settings.urgency_forecast, settings.urgency_value) == (0.7, 12.0, 25.5)
