"""What the product does with an error nobody foresaw (a crash): the traceback goes to a private
log file in the person's state folder, and the person reads one short pt-BR message saying what
failed and where the details are — never a raw Python traceback.

The log is `erros.log` in platformdirs' user log folder (`~/.local/state/carteira/log` on Linux,
`$XDG_STATE_HOME` honoured): a folder of the person's own, 0700, and the file 0600 whatever the
umask, since a traceback may quote client data. The CLI's root group (`cli/__init__`) and the
panes' base (`tui/screens/base.py`) call it; it imports only the standard library, platformdirs
and `vocab`, so the CLI's error path stays light.
"""

from __future__ import annotations

import os
import traceback
import types
from datetime import datetime
from pathlib import Path

import platformdirs

from carteira_tui import __version__, vocab

APP_NAME = "carteira"
LOG_NAME = "erros.log"
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def crash_log_path() -> Path:
    """Where crashes are written: the person's log folder for the app."""
    return Path(platformdirs.user_log_dir(APP_NAME)) / LOG_NAME


def command_path(error: BaseException) -> str:
    """The command that was running when `error` was raised (`tasks done`), read from the
    deepest click context on the traceback; empty when the error came before any command."""
    path = ""
    trace: types.TracebackType | None = error.__traceback__
    while trace is not None:
        found = getattr(trace.tb_frame.f_locals.get("ctx"), "command_path", None)
        if isinstance(found, str):  # click's Context, read without importing click
            path = found
        trace = trace.tb_next
    return " ".join(path.split()[1:])  # without the program's own name ("carteira", "main")


def write_crash(error: BaseException, where: str, log_path: Path) -> None:
    """Append the time, version, what failed and the traceback of `error` to `log_path`
    (private)."""
    log_path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    lines = [
        f"--- {datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z} · carteira {__version__}"
        f" · {where}\n",
        *traceback.format_exception(error),
        "\n",
    ]
    descriptor = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
    with os.fdopen(descriptor, "a", encoding="utf-8") as log:
        os.fchmod(log.fileno(), PRIVATE_FILE)  # also when the file came from a wider umask
        log.write("".join(lines))


def report_crash(error: BaseException) -> str:
    """Log a crash of a command and return the message for the person (the command that failed
    and where the log is)."""
    path = command_path(error)
    return report_crash_in(error, f"em `carteira {path}`" if path else "em `carteira`")


def report_crash_in(error: BaseException, where: str) -> str:
    """Log a crash `where` ("no aplicativo") and return the message for the person."""
    log_path = crash_log_path()
    try:
        write_crash(error, where, log_path)
    except OSError as reason:
        return vocab.crash_message_without_log(where, reason)
    return vocab.crash_message(where, log_path)


def report_pane_crash(error: BaseException, pane: str) -> str:
    """Log a crash inside the pane called `pane` and return the short message for the pane."""
    log_path = crash_log_path()
    try:
        write_crash(error, f"no painel {pane}", log_path)
    except OSError:
        return vocab.pane_crash(pane, error, None)
    return vocab.pane_crash(pane, error, log_path)
