"""Settings: the thresholds and defaults every layer reads, and where files live.

`Settings` carries DESIGN.md's method defaults. The thresholds that change what everybody sees
(SHARED_KEYS: status days, ABC cuts, cooling, exclusions, urgency weights…) live in the database
and change with `carteira config set`; `services.settings.effective_settings` puts them over the
defaults. A person's TOML file (``$CARTEIRA_CONFIG`` or ``config.toml`` in the user config
directory) holds only personal preferences (PERSONAL_KEYS, plus sections such as the theme or
who "me" is): a shared key found there is ignored, with a warning (`shared_keys_in_file`). The
CLI, the TUI and the services receive a `Settings` value; nothing below them reads the
environment.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from carteira_tui.errors import CarteiraError
from carteira_tui.vocab import config as words

APP_NAME = "carteira"


class SettingsError(CarteiraError, ValueError):
    """A settings file or a `key=value` override that cannot be used."""


@dataclass(frozen=True)
class Settings:
    """Thresholds and defaults; every field can be set in the TOML file by its name."""

    active_days: int = 90
    """`ativo` when recency_days <= this (DESIGN.md status)."""
    recent_days: int = 365
    """`inativo_recente` when recency_days <= this; `inativo_antigo` beyond."""
    abc_a: float = 0.80
    """Class A while the revenue strictly before the client is below this share of the total."""
    abc_b: float = 0.95
    """Class B below this share; C beyond."""
    cooling_window_days: int = 180
    """Length of each of the two windows compared to detect a cooling client."""
    cooling_ratio: float = 0.5
    """Cooling when orders in the last window are at most this share of the window before."""
    exclusions: tuple[str, ...] = ("inadimplente", "restricao_credito", "opt_out", "arquivado")
    """Exclusion filters applied to action plans (DESIGN.md "excluded")."""
    urgency_due: float = 14.0
    """Task urgency: weight of the due term, 1/(1+e^(−d/7)) for d days past due. The weights add
    up to 100, so urgency reads on a 0–100 scale (up to 110 with the forecast's term, once a
    fit is kept)."""
    urgency_priority_h: float = 8.0
    """Task urgency: weight of priority H (alta)."""
    urgency_priority_m: float = 5.0
    """Task urgency: weight of priority M (média)."""
    urgency_priority_l: float = 2.0
    """Task urgency: weight of priority L (baixa)."""
    urgency_abc_a: float = 3.0
    """Task urgency: weight for a class A client (A clients first)."""
    urgency_abc_b: float = 1.5
    """Task urgency: weight for a class B client."""
    urgency_repurchase: float = 30.0
    """Task urgency: weight of the lateness against the client's own repurchase cycle."""
    urgency_cooling: float = 1.5
    """Task urgency: weight for a cooling client."""
    urgency_age: float = 1.5
    """Task urgency: weight of the task's age, ramping from 0 to 1 over `urgency_age_days`."""
    urgency_age_days: int = 365
    """Task urgency: age at which the age term reaches its full weight."""
    urgency_value: float = 30.0
    """Task urgency (Hoje): weight of the client's value (net revenue on a log scale)."""
    urgency_cadence: float = 12.0
    """Task urgency (Hoje): weight of the lateness past the segment's maximum cadence."""
    urgency_forecast: float = 10.0
    """Task urgency: weight of the forecast's chance that a repeat buyer already stopped
    buying (1 − p_alive); counts only once `carteira forecast` kept a fit."""
    time_zone: str = "America/Sao_Paulo"
    """Where "today" is: due dates, birthdays and "amanhã" follow this zone's date."""
    extra_holidays: tuple[str, ...] = ()
    """Days (aaaa-mm-dd) closed besides Brazil's national holidays: Carnaval, local holidays."""
    me: str = ""
    """Personal: the owner this person is ("me"), when the login does not say it."""
    first_pane: str = "hoje"
    """Personal: the pane the app opens on (clientes, segmentos, hoje)."""
    birthday_window_days: int = 7
    """Birthday messages are created for birthdays within this many days of the as-of date."""
    tasks_within_capacity: bool = True
    """`tasks generate` gives each owner at most their capacity of open tasks, most urgent first."""
    stale_prospect_years: int = 2
    """Limpeza: a prospect with no interaction for this many years is proposed for archiving."""
    stale_client_years: int = 5
    """Limpeza: a former client with no purchase or interaction for this many years likewise."""
    rotation_idle_days: int = 60
    """Giro de carteira: `assign --rotate` moves clients untouched by their owner this long."""
    alert_task_overdue_days: int = 7
    """Alerts: an open task overdue by more than this many days raises an alert."""
    read_only: bool = False
    """Open every database read-only: look, never change (as `carteira --read-only`)."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    """Sections other layers own (e.g. task urgency weights), kept as read."""

    def with_overrides(self, pairs: dict[str, str]) -> Settings:
        """A copy with `key=value` strings applied, each parsed as the field's type."""
        known = {f.name: f for f in fields(self) if f.name != "extra"}
        changes: dict[str, Any] = {}
        for key, raw in pairs.items():
            if key not in known:
                raise SettingsError(words.unknown_setting(key, known))
            changes[key] = _coerce(key, raw, getattr(self, key))
        candidate = replace(self, **changes)
        candidate.validate()
        return candidate

    def validate(self) -> None:
        """Raise `SettingsError` when the thresholds contradict each other."""
        if not 0 < self.active_days < self.recent_days:
            raise SettingsError(words.NEEDS_ACTIVE_BELOW_RECENT)
        if not 0 < self.abc_a < self.abc_b <= 1:
            raise SettingsError(words.NEEDS_ABC_ORDER)
        if self.cooling_window_days <= 0 or not 0 < self.cooling_ratio < 1:
            raise SettingsError(words.NEEDS_COOLING)

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain values, for `carteira config` and JSON output."""
        values = dataclasses.asdict(self)
        values["exclusions"] = list(self.exclusions)
        return values


PERSONAL_KEYS = frozenset({"read_only", "me", "theme", "first_pane"})
"""Keys a person's own file may set: they change only what that person sees or may do."""
SHARED_KEYS: tuple[str, ...] = tuple(
    f.name for f in fields(Settings) if f.name != "extra" and f.name not in PERSONAL_KEYS
)
"""Fields that change what everybody sees: kept in the database (`carteira config set`)."""


def canonical(key: str, value: Any) -> str:
    """A setting's value as the text `with_overrides` reads back to the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return ",".join(str(item) for item in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


_SHARES = frozenset({"abc_a", "abc_b", "cooling_ratio"})
"""The settings that are shares of 1 (ABC cuts, cooling ratio), the only ones read in percent."""


def _coerce(key: str, raw: str, current: Any) -> Any:
    try:
        if isinstance(current, bool):
            return raw.strip().lower() in {"1", "true", "sim", "yes"}
        if isinstance(current, int):
            return int(raw)
        if isinstance(current, float):
            value = float(raw.replace(",", "."))
            # a share may be given in percent ("80" for 0,80); a weight is a plain number
            return value / 100 if value > 1 and key in _SHARES else value
        if isinstance(current, tuple):
            return tuple(part.strip() for part in raw.split(",") if part.strip())
    except ValueError as error:
        raise SettingsError(words.invalid_value(key, raw)) from error
    return raw


def _read_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: {error}") from error


def shared_keys_in_file(path: Path | None = None) -> list[str]:
    """The shared keys a personal file sets (ignored: they live in the database)."""
    try:
        data = _read_file(path or config_path())
    except SettingsError:
        return []
    return [key for key in SHARED_KEYS if key in data]


def shared_key_warning(path: Path, key: str) -> str:
    """The pt-BR warning for a shared key found in a personal file."""
    return words.shared_key_warning(path, key)


def load_settings(path: Path | None = None) -> Settings:
    """The personal settings from `path`, `$CARTEIRA_CONFIG` or the user config file, over the
    method defaults; shared keys found there are ignored (`shared_keys_in_file`)."""
    path = path or config_path()
    data = _read_file(path)
    if not data:
        return Settings()
    known = {f.name for f in fields(Settings)} & PERSONAL_KEYS
    defaults = Settings()
    values: dict[str, Any] = {}
    for key in known & data.keys():
        value = tuple(data[key]) if isinstance(data[key], list) else data[key]
        expected = type(getattr(defaults, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            raise SettingsError(words.wrong_type(path, key, expected.__name__, value))
        values[key] = value
    extra = {k: v for k, v in data.items() if k not in known and k not in SHARED_KEYS}
    settings = Settings(**values, extra=extra)
    settings.validate()
    return settings


def config_path() -> Path:
    """Where the settings file is read from."""
    env = os.environ.get("CARTEIRA_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_db_path() -> Path:
    """`$CARTEIRA_DB`, else `carteira.db` in the user data directory."""
    env = os.environ.get("CARTEIRA_DB")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_NAME)) / "carteira.db"


def save_settings(overrides: Mapping[str, str], path: Path | None = None) -> Settings:
    """Apply personal `key=value` overrides to the settings file (`path` or `config_path()`)
    and return the personal settings now in force; a shared key is refused (it belongs in the
    database: `services.settings.set_shared`).

    The file keeps every other key and section it had; comments are not kept (the file is
    rewritten from its parsed values). It is written to a temporary name and replaced.
    """
    path = path or config_path()
    shared = [key for key in overrides if key in SHARED_KEYS]
    if shared:
        raise SettingsError(words.shared_key_override(shared[0]))
    settings = load_settings(path).with_overrides(dict(overrides))
    data: dict[str, Any] = {}
    if path.exists():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    for key in overrides:
        value = getattr(settings, key)
        data[key] = list(value) if isinstance(value, tuple) else value
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(_toml_document(data), encoding="utf-8")
    os.chmod(temporary, 0o600)  # Trust: a personal file, whatever the umask
    os.replace(temporary, path)
    return settings


def _toml_document(data: Mapping[str, Any], prefix: str = "") -> str:
    """`data` as TOML: plain keys first, then one `[table]` per nested mapping."""
    lines = [
        f"{_toml_key(k)} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)
    ]
    text = "\n".join(lines) + ("\n" if lines else "")
    for key, value in data.items():
        if isinstance(value, dict):
            name = f"{prefix}.{_toml_key(key)}" if prefix else _toml_key(key)
            text += f"\n[{name}]\n" + _toml_document(value, name)
    return text


def _toml_key(key: str) -> str:
    if key and all(ch.isalnum() or ch in "_-" for ch in key) and key.isascii():
        return key
    return _toml_string(key)


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }"
    return _toml_string(str(value))
