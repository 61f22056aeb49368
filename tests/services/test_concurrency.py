"""Several people, one file: concurrent writers and an import in real processes lose nothing.

Two processes append notes to the same client and log contacts (read-modify-write transactions)
while a third imports clients and orders; afterwards every write is there and no process saw
"database is locked". Also: the retry with back-off, the busy message, and `changed_since`.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from carteira_tui.services import session
from carteira_tui.services.imports import import_file
from carteira_tui.store import db as store_db
from carteira_tui.store.db import BUSY_MESSAGE, StoreError, connect, open_db

WRITES = 30
NEW_CLIENTS = 2_000
NEW_ORDERS = 6_000

WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import date, datetime
    from pathlib import Path
    from carteira_tui.services import clients
    db_path, name, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.005)
    for i in range(int(sys.argv[4])):
        clients.add_note(db_path, "C1", f"{name}{i}", on=date(2026, 11, 23), who=name)
        clients.log_interaction(
            db_path, "C2", at=datetime(2026, 11, 23, 9, 0), outcome="atendeu", who=name
        )
    """
)

IMPORTER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from carteira_tui.services.imports import import_file
    db_path, folder, go = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.005)
    for kind, name in (("clients", "clientes.csv"), ("orders", "pedidos.csv")):
        report = import_file(db_path, kind, folder / name)
        assert report.written and not report.errors, report.errors
    """
)


@pytest.fixture
def shared(db_path: Path, tmp_path: Path) -> Path:
    """A database with C1 and C2, and files for a clients and an orders import."""
    (tmp_path / "base.csv").write_text("codigo;nome\nC1;Ana\nC2;Bia\n", encoding="utf-8")
    assert import_file(db_path, "clients", tmp_path / "base.csv").written
    clients = "\n".join(f"N{i:05d};Cliente {i}" for i in range(NEW_CLIENTS))
    (tmp_path / "clientes.csv").write_text(f"codigo;nome\n{clients}\n", encoding="utf-8")
    orders = "\n".join(
        f"P{i:06d};N{i % NEW_CLIENTS:05d};{1 + i % 28:02d}/0{1 + i % 9}/2026;{i % 500},50"
        for i in range(NEW_ORDERS)
    )
    (tmp_path / "pedidos.csv").write_text(
        f"pedido;cliente;data;valor\n{orders}\n", encoding="utf-8"
    )
    return db_path


def _start(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_writers_and_an_import_at_once_lose_no_write(shared: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    processes = [
        _start(WRITER, str(shared), "A", str(go), str(WRITES)),
        _start(WRITER, str(shared), "B", str(go), str(WRITES)),
        _start(IMPORTER, str(shared), str(tmp_path), str(go)),
    ]
    time.sleep(0.5)  # let every process import the package before the start signal
    go.touch()
    outcomes = [p.communicate(timeout=180) for p in processes]
    for process, (_out, err) in zip(processes, outcomes, strict=True):
        assert process.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    with connect(shared) as db:
        notes = db.execute("SELECT notes FROM clients WHERE external_id = 'C1'").fetchone()[0]
        contacts = db.execute("SELECT count(*) FROM interactions").fetchone()[0]
        clients = db.execute("SELECT count(*) FROM clients").fetchone()[0]
        orders = db.execute("SELECT count(*), sum(amount_cents) FROM orders").fetchone()
        audit = db.execute("SELECT count(*) FROM audit WHERE action != 'importar'").fetchone()[0]
        aggregates = db.execute("SELECT sum(frequency) FROM client_aggregates").fetchone()[0]
    written = {line.rsplit(" ", 1)[-1] for line in notes.splitlines()}
    expected = {f"{name}{i}" for name in "AB" for i in range(WRITES)}
    assert written == expected  # no lost update of the same row
    assert contacts == 2 * WRITES
    assert audit == 4 * WRITES
    assert clients == 2 + NEW_CLIENTS
    assert orders == (NEW_ORDERS, sum((i % 500) * 100 + 50 for i in range(NEW_ORDERS)))
    assert aggregates == NEW_ORDERS


@pytest.fixture
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Busy timeout of 50 ms and short back-off, so lock tests take a fraction of a second."""
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(store_db, "WRITE_RETRY_DELAYS", (0.05, 0.1, 0.2))


def test_a_write_waits_with_back_off_for_a_writer_that_finishes(
    shared: Path, short_waits: None
) -> None:
    locked = threading.Event()

    def hold_the_lock_for_a_while() -> None:
        with connect(shared) as holder, holder.atomic():
            holder.execute("UPDATE clients SET name = 'Ana Maria' WHERE external_id = 'C1'")
            locked.set()
            time.sleep(0.2)  # longer than the 50 ms busy timeout: only the back-off saves us

    thread = threading.Thread(target=hold_the_lock_for_a_while)
    thread.start()
    locked.wait(5)
    with connect(shared) as db, db.atomic():
        db.execute("UPDATE clients SET city = 'Recife' WHERE external_id = 'C1'")
    thread.join()
    with connect(shared) as db:
        row = db.execute("SELECT name, city FROM clients WHERE external_id = 'C1'").fetchone()
    assert row == ("Ana Maria", "Recife")


def test_a_write_blocked_too_long_is_a_clear_message_and_changes_nothing(
    shared: Path, short_waits: None
) -> None:
    holder = open_db(shared)
    holder.conn.execute("BEGIN")
    try:
        with connect(shared) as db:
            with pytest.raises(StoreError) as raised, db.atomic():
                db.execute("UPDATE clients SET city = 'Recife'")
            assert str(raised.value) == BUSY_MESSAGE
            assert db.execute("SELECT count(*) FROM clients WHERE city = 'Recife'").fetchone() == (
                0,
            )
    finally:
        holder.conn.rollback()
        holder.close()


def test_reads_are_never_blocked_by_a_writer(shared: Path, short_waits: None) -> None:
    holder = open_db(shared)
    holder.conn.execute("BEGIN")
    holder.execute("UPDATE clients SET name = 'X'")
    try:
        with connect(shared) as db:
            names = db.execute("SELECT name FROM clients ORDER BY id LIMIT 2").fetchall()
        assert names == [("Ana",), ("Bia",)]
    finally:
        holder.conn.rollback()
        holder.close()


@pytest.fixture
def watchers() -> Iterator[None]:
    yield
    session.close_watchers()


def test_changed_since_sees_a_write_by_another_process(shared: Path, watchers: None) -> None:
    first = session.changed_since(shared, None)
    assert not first.changed
    assert not session.changed_since(shared, first.token).changed
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from carteira_tui.store.db import connect\n"
            "with connect(sys.argv[1]) as db, db.atomic():\n"
            "    db.execute(\"UPDATE clients SET city = 'Natal'\")",
            str(shared),
        ],
        check=True,
        timeout=60,
    )
    after = session.changed_since(shared, first.token)
    assert after.changed
    assert not session.changed_since(shared, after.token).changed


def test_changed_since_sees_a_write_in_this_process(shared: Path, watchers: None) -> None:
    token = session.changed_since(shared, None).token
    with connect(shared) as db, db.atomic():
        db.execute("UPDATE clients SET city = 'Natal'")
    assert session.changed_since(shared, token).changed


def test_changed_since_works_from_another_thread(shared: Path, watchers: None) -> None:
    token = session.changed_since(shared, None).token
    with connect(shared) as db, db.atomic():
        db.execute("UPDATE clients SET city = 'Natal'")
    seen: list[bool] = []
    thread = threading.Thread(
        target=lambda: seen.append(session.changed_since(shared, token).changed)
    )
    thread.start()
    thread.join()
    assert seen == [True]


OPENER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from carteira_tui.store.db import connect, schema_version
    db_path, go = Path(sys.argv[1]), Path(sys.argv[2])
    while not go.exists():
        time.sleep(0.001)
    with connect(db_path) as db:
        print(schema_version(db))
    """
)


def test_people_opening_a_new_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    db_path = tmp_path / "novo.db"
    go = tmp_path / "go"
    processes = [_start(OPENER, str(db_path), str(go)) for _ in range(4)]
    time.sleep(0.5)
    go.touch()
    outcomes = [p.communicate(timeout=120) for p in processes]
    versions = set()
    for process, (out, err) in zip(processes, outcomes, strict=True):
        assert process.returncode == 0, err
        versions.add(out.strip())
    assert versions == {str(store_db.latest_schema_version())}
    with connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM meta WHERE key = 'generation'").fetchone() == (1,)


SEGMENTER = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from pathlib import Path
    from carteira_tui.config import Settings
    from carteira_tui.services import segmentation
    from carteira_tui.services.imports import import_file
    from carteira_tui.store import cache
    cache.RUN_FILE_GRACE_SECONDS = 0.5  # full files of older runs go almost at once
    db_path, folder, name, go = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    while not go.exists():
        time.sleep(0.005)
    for i in range(int(sys.argv[5])):
        path = folder / f"{name}{i}.csv"
        row = f"{name}{i};C{1 + i % 2};{1 + i:02d}/11/2026;{10 + i},00"
        path.write_text(f"pedido;cliente;data;valor\\n{row}\\n", encoding="utf-8")
        assert import_file(db_path, "orders", path).written
        segmentation.resegment(db_path, as_of=date(2026, 11, 23), settings=Settings())
    """
)


def test_runs_kept_by_two_processes_at_once_read_back_whole_at_every_moment(
    shared: Path, tmp_path: Path
) -> None:
    from datetime import date

    from carteira_tui.config import Settings
    from carteira_tui.services import segmentation

    segmentation.resegment(shared, as_of=date(2026, 11, 23), settings=Settings())
    go = tmp_path / "go"
    runs = 12
    processes = [
        _start(SEGMENTER, str(shared), str(tmp_path), name, str(go), str(runs)) for name in "XY"
    ]
    time.sleep(0.5)
    go.touch()
    reads = 0
    while any(p.poll() is None for p in processes):
        results = segmentation.current_results(shared, settings=Settings())
        assert results.as_of is not None and results.frame.height == 2  # never half a result
        assert results.frame.get_column("name").to_list() == ["Ana", "Bia"]
        reads += 1
    for process in processes:
        _out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    assert reads > 0
    kept = segmentation.current_results(shared, settings=Settings())
    assert not kept.stale
    with connect(shared) as db:
        orders = db.execute("SELECT count(*) FROM orders").fetchone()[0]
    assert orders == 2 * runs
    assert kept.frame.get_column("frequency").sum() == orders
