"""config.save_settings: personal preferences written to the TOML file, keeping everything
else; shared thresholds are refused there (they live in the database)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from carteira_tui.config import Settings, SettingsError, load_settings, save_settings


def test_save_settings_creates_the_file_with_a_personal_preference(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    settings = save_settings({"read_only": "sim"}, path)
    assert settings.read_only is True
    assert tomllib.loads(path.read_text("utf-8")) == {"read_only": True}
    assert load_settings(path) == Settings(read_only=True)


def test_save_settings_keeps_other_keys_and_sections(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[equipe]\nnome = "Sul"\nmeta = 3\n', encoding="utf-8")
    save_settings({"read_only": "true"}, path)
    assert tomllib.loads(path.read_text("utf-8")) == {
        "read_only": True,
        "equipe": {"nome": "Sul", "meta": 3},
    }


def test_save_settings_refuses_a_shared_threshold_and_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("read_only = false\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="carteira config set"):
        save_settings({"active_days": "60"}, path)
    assert path.read_text("utf-8") == "read_only = false\n"


def test_save_settings_writes_to_carteira_config_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.toml"
    monkeypatch.setenv("CARTEIRA_CONFIG", str(path))
    save_settings({"read_only": "1"})
    assert tomllib.loads(path.read_text("utf-8")) == {"read_only": True}
