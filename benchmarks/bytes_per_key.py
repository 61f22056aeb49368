"""Bytes the app writes to the terminal per key press, as a person over SSH pays for them.

Runs `carteira` on a database in a detached tmux session under `script` (which records every
byte written to the terminal), waits until the output stops growing, sends keys and prints the
bytes each key cost. The walk: first paint, cursor down in Clientes, cursor down in Tarefas,
page down in the client card. `make demo-check` builds the database it uses by default.

    python benchmarks/bytes_per_key.py --db .demo/carteira-demo.db --size 120x40 --size 80x24
    python benchmarks/bytes_per_key.py --json        # the figures as JSON (the test reads them)
    python benchmarks/bytes_per_key.py --dump /tmp/k # also keep each key's bytes in /tmp/k/*.bin

Needs tmux and util-linux `script`; the same method as ../shared/bench/bytes_per_key.sh.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUIET_SECONDS = 0.6
"""The terminal output is settled once it has not grown for this long."""

WALK: list[tuple[str, str, int]] = [
    # (figure name, tmux key, presses)
    ("_to_clientes_first", "1", 1),  # the app opens on Hoje
    ("clientes_down", "j", 5),
    ("_to_hoje", "3", 1),
    ("hoje_down", "j", 5),
    ("_to_tarefas", "t", 1),
    ("tarefas_down", "j", 5),
    ("_to_clientes", "1", 1),
    ("_open_card", "Enter", 1),
    ("card_page_down", "PageDown", 3),
]
"""The keys pressed, in order; names starting with `_` move between panes and are not figures."""


@dataclass
class Measured:
    """Bytes written for the first paint and per press of each key of the walk."""

    size: str
    first_paint: int = 0
    presses: dict[str, list[int]] = field(default_factory=dict)

    def worst(self, name: str) -> int:
        """The most bytes one press of `name` cost (a card page that reached the end costs 0)."""
        return max(self.presses[name])

    def as_dict(self) -> dict[str, object]:
        figures: dict[str, object] = {"size": self.size, "first_paint": self.first_paint}
        for name, values in self.presses.items():
            if not name.startswith("_"):
                figures[name] = self.worst(name)
                figures[f"{name}_all"] = values
        return figures


def _settled(typescript: Path, timeout: float = 20.0, quiet: float = QUIET_SECONDS) -> int:
    """The typescript's size once it has stopped growing for QUIET_SECONDS."""
    deadline = time.monotonic() + timeout
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        size = typescript.stat().st_size if typescript.exists() else 0
        if size != last:
            last, since = size, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return size
        time.sleep(0.05)
    return last


def measure(carteira: Path, db: Path, size: str, dump: Path | None = None) -> Measured:
    """Run the walk at `size` (COLSxROWS) and return the bytes it wrote."""
    cols, rows = size.split("x")
    result = Measured(size)
    session = f"bpk{os.getpid()}{cols}"
    tmux = ["tmux", "-L", session]  # a server of its own: no other tmux user can end it
    with tempfile.TemporaryDirectory() as tmp:
        typescript = Path(tmp) / "typescript"
        inner = (
            f"CARTEIRA_DB={shlex.quote(str(db))} TERM=xterm-256color {shlex.quote(str(carteira))}"
        )
        command = f"script -q -f {shlex.quote(str(typescript))} -c {shlex.quote(inner)}"
        subprocess.run(
            [*tmux, "new-session", "-d", "-s", session, "-x", cols, "-y", rows, command],
            check=True,
        )
        pane = subprocess.run(
            [*tmux, "display-message", "-p", "-t", session, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and (
                not typescript.exists() or typescript.stat().st_size < 1000
            ):
                time.sleep(0.05)
            result.first_paint = _settled(typescript, quiet=1.5)
            for name, key, presses in WALK:
                for press in range(presses):
                    before = _settled(typescript)
                    subprocess.run([*tmux, "send-keys", "-t", session, key], check=True)
                    after = _settled(typescript)
                    result.presses.setdefault(name, []).append(after - before)
                    if dump is not None:
                        dump.mkdir(parents=True, exist_ok=True)
                        data = typescript.read_bytes()[before:after]
                        (dump / f"{size}-{name}-{press}.bin").write_bytes(data)
        finally:
            subprocess.run([*tmux, "kill-server"], check=False)
            _end(int(pane) if pane.isdigit() else None)
    return result


def _end(pid: int | None) -> None:
    """End `script` and the app under it: the tmux server's hangup does not reach them (the
    app keeps running on script's own terminal), and each run would leave both behind."""
    if pid is None:
        return
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = children.read_text().split() if children.exists() else []
    for each in [*map(int, found), pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(each, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / ".demo" / "carteira-demo.db")
    parser.add_argument("--carteira", type=Path, default=Path(sys.executable).with_name("carteira"))
    parser.add_argument("--size", action="append", help="COLSxROWS (default 120x40 and 80x24)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--dump", type=Path, help="keep each key's bytes in this folder")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None or shutil.which("script") is None:
        print("bytes_per_key: needs tmux and script", file=sys.stderr)
        return 2
    if not args.db.exists():
        print(
            f"bytes_per_key: no database at {args.db} (make demo-check builds it)", file=sys.stderr
        )
        return 2
    results = [
        measure(args.carteira, args.db, size, args.dump)
        for size in args.size or ["120x40", "80x24"]
    ]
    if args.json:
        print(json.dumps([r.as_dict() for r in results]))
        return 0
    names = [name for name, _, _ in WALK if not name.startswith("_")]
    print(f"{'bytes (worst press)':<16}" + "".join(f"{r.size:>12}" for r in results))
    print(f"{'first_paint':<16}" + "".join(f"{r.first_paint:>12,}" for r in results))
    for name in names:
        print(f"{name:<16}" + "".join(f"{r.worst(name):>12,}" for r in results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
