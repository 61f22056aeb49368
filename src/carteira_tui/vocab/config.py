"""pt-BR text of the settings (`config.py`): unknown or invalid keys and values, contradicting
thresholds, and shared keys found where only personal ones belong.

Imports nothing: the CLI's error path can use it without loading a library.
"""

from __future__ import annotations

from collections.abc import Iterable


def unknown_setting(key: str, known: Iterable[str]) -> str:
    return f"configuração desconhecida: {key!r} (válidas: {', '.join(sorted(known))})"


NEEDS_ACTIVE_BELOW_RECENT = "exige 0 < active_days < recent_days"
NEEDS_ABC_ORDER = "exige 0 < abc_a < abc_b <= 1"
NEEDS_COOLING = "exige cooling_window_days > 0 e 0 < cooling_ratio < 1"


def invalid_value(key: str, raw: str) -> str:
    return f"{key}: valor inválido {raw!r}"


def shared_key_warning(path: object, key: str) -> str:
    """A shared key found in a personal file: ignored, and where it belongs."""
    return (
        f"aviso: {path}: {key!r} é uma configuração compartilhada e foi ignorada; ela fica no"
        f" banco: use `carteira config set {key} VALOR`"
    )


def wrong_type(path: object, key: str, expected: str, value: object) -> str:
    return f"{path}: {key} deve ser {expected}, não {value!r}"


def shared_key_override(key: str) -> str:
    return f"{key!r} é uma configuração compartilhada: use `carteira config set`"


# -- where a setting comes from (`services/settings.py`) ------------------------------------------


def source_database(when: str) -> str:
    return f"banco (alterado em {when})"


def source_personal_file(path: object) -> str:
    return f"arquivo pessoal {path}"


SOURCE_DEFAULT = "padrão"


def personal_not_shared(key: str, path: object) -> str:
    return f"{key!r} é uma preferência pessoal: fica no arquivo {path}, não no banco"
