"""config.save_settings: what-if thresholds written to the TOML file, keeping everything else."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from carteira_tui.config import Settings, SettingsError, load_settings, save_settings


def test_save_settings_creates_the_file_with_the_overrides(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    settings = save_settings({"active_days": "60", "abc_a": "70"}, path)
    assert (settings.active_days, settings.abc_a) == (60, 0.7)
    assert tomllib.loads(path.read_text("utf-8")) == {"active_days": 60, "abc_a": 0.7}
    assert load_settings(path) == Settings(active_days=60, abc_a=0.7)


def test_save_settings_keeps_other_keys_and_sections(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'cooling_ratio = 0.4\nexclusions = ["opt_out"]\n\n[equipe]\nnome = "Sul"\nmeta = 3\n',
        encoding="utf-8",
    )
    save_settings({"recent_days": "400"}, path)
    assert tomllib.loads(path.read_text("utf-8")) == {
        "cooling_ratio": 0.4,
        "exclusions": ["opt_out"],
        "recent_days": 400,
        "equipe": {"nome": "Sul", "meta": 3},
    }


def test_save_settings_refuses_contradictory_values_and_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("active_days = 30\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="active_days < recent_days"):
        save_settings({"active_days": "500"}, path)
    assert path.read_text("utf-8") == "active_days = 30\n"


def test_save_settings_writes_to_carteira_config_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.toml"
    monkeypatch.setenv("CARTEIRA_CONFIG", str(path))
    save_settings({"abc_b": "0,9"})
    assert tomllib.loads(path.read_text("utf-8")) == {"abc_b": 0.9}
