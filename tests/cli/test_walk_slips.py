"""Rough edges a new user met walking the product, driven as a person does: files imported with
`carteira import` into a real SQLite file, then the commands that read them."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from carteira_tui.cli import main
from carteira_tui.config import Settings
from carteira_tui.services import tasks
from carteira_tui.services.segmentation import resegment
from carteira_tui.store.aggregates import rebuild_all
from carteira_tui.store.db import connect

VALID_CPF = "529.982.247-25"


def run(db_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(db_path), *args])
    return result.exit_code, result.output


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def one(db_path: Path, sql: str) -> tuple[object, ...]:
    with connect(db_path) as db:
        row = db.execute(sql).fetchone()
    return tuple(row)


def test_a_file_of_ambiguous_dates_is_read_day_first_and_the_summary_says_so(
    db_path: Path, tmp_path: Path
) -> None:
    write(tmp_path / "clientes.csv", "Código;Nome\nA1;Ana\nA2;Bia\n")
    assert run(db_path, "import", "clients", str(tmp_path / "clientes.csv"))[0] == 0
    orders = write(
        tmp_path / "pedidos.csv",
        "Pedido;Código do cliente;Data;Valor\n1;A1;03/04/2024;10,00\n2;A2;05/06/2024;20,00\n",
    )
    code, out = run(db_path, "import", "orders", str(orders))
    assert code == 0, out
    assert "Data: nenhuma data mostra a ordem de dia e mês" in out
    assert "lidas como dia/mês/ano (dd/mm/aaaa)" in out
    assert one(db_path, "SELECT date FROM orders WHERE external_id = '1'") == ("2024-04-03",)
    code, out = run(db_path, "client", "show", "A1", "--as-of", "01/05/2024")
    assert "03/04/2024" in out

    # a column whose values decide it is not annotated as undecided
    decided = write(
        tmp_path / "decididos.csv", "Pedido;Código do cliente;Data;Valor\n3;A1;13/04/2024;5,00\n"
    )
    code, out = run(db_path, "import", "orders", str(decided))
    assert code == 0 and "nenhuma data mostra" not in out
    # a month-first file (12/31) is read so, and said so
    american = write(
        tmp_path / "eua.csv",
        "Pedido;Código do cliente;Data;Valor\n4;A1;12/31/2024;5,00\n5;A2;03/04/2024;5,00\n",
    )
    code, out = run(db_path, "import", "orders", str(american))
    assert code == 0 and "Data: datas lidas como mês/dia/ano" in out
    assert one(db_path, "SELECT date FROM orders WHERE external_id = '5'") == ("2024-03-04",)


def merged_pair(db_path: Path, tmp_path: Path) -> None:
    """K1 and K2: the same person (same CPF) with their own tags and notes, merged into K1."""
    clients = write(
        tmp_path / "clientes.csv",
        "Código;Nome;CPF/CNPJ;Telefone;Tags;Observações\n"
        f"K1;Ana Souza;{VALID_CPF};+55 34 96400-9897;vip;cliente antiga\n"
        f"K2;Ana Souza;{VALID_CPF};34964009897;atacado;prefere tarde\n",
    )
    assert run(db_path, "import", "clients", str(clients))[0] == 0
    code, out = run(db_path, "clean", "--apply")
    assert code == 0, out
    assert re.search(r"^1\s+K1\s+K2\s", out, re.MULTILINE), out  # codes, not internal ids


def test_a_merged_away_code_shows_its_survivors_card_and_says_so(
    db_path: Path, tmp_path: Path
) -> None:
    merged_pair(db_path, tmp_path)
    code, out = run(db_path, "client", "show", "K2")
    assert code == 0, out
    assert out.splitlines()[:2] == ["Ana Souza (K1)", "K2 foi unificado em K1"]
    code, out = run(db_path, "client", "show", "K2", "--format", "json")
    card = json.loads(out)
    assert (card["client_id"], card["merged_code"]) == ("K1", "K2")
    # the survivor's own code says nothing about a merge
    assert "unificado" not in run(db_path, "client", "show", "K1")[1]
    # acting on the old code acts on the survivor
    assert run(db_path, "client", "note", "K2", "ligar de manhã")[0] == 0
    assert "ligar de manhã" in str(
        one(db_path, "SELECT notes FROM clients WHERE external_id = 'K1'")
    )
    code, out = run(db_path, "client", "show", "K9")
    assert code != 0 and "não encontrado" in out


def test_the_card_shows_the_phone_in_national_form(db_path: Path, tmp_path: Path) -> None:
    merged_pair(db_path, tmp_path)
    code, out = run(db_path, "client", "show", "K1")
    assert re.search(r"^  Telefone\s+\(34\) 96400-9897$", out, re.MULTILINE), out
    assert "+55 34" not in out


def test_a_re_import_after_a_merge_adds_to_the_survivors_tags_and_notes(
    db_path: Path, tmp_path: Path
) -> None:
    merged_pair(db_path, tmp_path)
    merged = one(db_path, "SELECT tags, notes FROM clients WHERE external_id = 'K1'")
    assert merged == ("vip, atacado", "cliente antiga | prefere tarde")
    # the same file again: every row already in the survivor, nothing changes
    code, out = run(db_path, "import", "clients", str(tmp_path / "clientes.csv"))
    assert code == 0 and "atualizadas 0" in out, out
    assert one(db_path, "SELECT tags, notes FROM clients WHERE external_id = 'K1'") == merged
    # a new tag and a new note from the file are added, nothing merged is lost
    newer = write(
        tmp_path / "novo.csv",
        "Código;Nome;Tags;Observações\nK1;Ana Souza;VIP, recompra;mudou de endereço\n",
    )
    code, out = run(db_path, "import", "clients", str(newer))
    assert code == 0 and "atualizadas 1" in out, out
    assert "etiquetas e observações do arquivo somadas às da ficha" in out
    assert one(db_path, "SELECT tags, notes FROM clients WHERE external_id = 'K1'") == (
        "vip, atacado, recompra",
        "cliente antiga | prefere tarde\nmudou de endereço",
    )
    code, out = run(db_path, "audit", "--format", "json")
    imports = [row for row in json.loads(out) if row["action"] == "importar"]
    detail = imports[0]["after"]["etiquetas_observacoes_somadas"]
    assert detail[0]["codigo"] == "K1"
    assert detail[0]["antes"]["tags"] == "vip, atacado"
    assert detail[0]["depois"]["tags"] == "vip, atacado, recompra"
    # an empty cell keeps what is there, as for every field
    blank = write(tmp_path / "vazio.csv", "Código;Nome;Tags;Observações\nK1;Ana Souza;;\n")
    assert run(db_path, "import", "clients", str(blank))[0] == 0
    assert one(db_path, "SELECT tags FROM clients WHERE external_id = 'K1'") == (
        "vip, atacado, recompra",
    )


def test_words_on_the_card_board_tasks_and_today(db_path: Path, tmp_path: Path) -> None:
    with connect(db_path) as db, db.atomic():
        db.execute("INSERT INTO owners(id, name) VALUES (1, 'Ana')")
        db.execute(
            "INSERT INTO clients(id, external_id, name, owner_id, consent_whatsapp, channel_pref)"
            " VALUES (1, 'c1', 'Cliente 1', 1, 1, 'WhatsApp'), (2, 'c2', 'Cliente 2', 1, 1, NULL)"
        )
        for day in ("2026-03-02", "2026-04-06", "2026-05-11"):
            db.execute(
                "INSERT INTO orders(client_id, date, amount_cents) VALUES (1, ?, 25000)", [day]
            )
        db.execute(
            "INSERT INTO orders(client_id, date, amount_cents) VALUES (2, '2026-05-11', 100)"
        )
    with connect(db_path) as db:
        rebuild_all(db)  # the aggregates an import keeps
    resegment(db_path, as_of=date(2026, 11, 16), settings=Settings())
    tasks.generate_tasks(db_path, as_of=date(2026, 11, 16), settings=Settings())

    code, out = run(db_path, "client", "show", "c2", "--as-of", "16/11/2026")
    assert "  1 pedido · total R$ 1,00" in out, out
    assert "3 pedidos · total" in run(db_path, "client", "show", "c1", "--as-of", "16/11/2026")[1]

    code, out = run(db_path, "board", "--as-of", "16/11/2026")
    assert code == 0, out
    statuses = [line.split()[1:3] for line in out.splitlines() if line.startswith("status ")]
    assert statuses and all(not re.search(r"_|^[a-z]", " ".join(s)) for s in statuses), out
    assert "inativo_recente" not in out and "ativo " not in out.replace("Inativo", "")

    code, out = run(db_path, "today", "--as-of", "24/11/2026", "--format", "json")
    why = {row["client_id"]: row["why"] for row in json.loads(out)}
    assert re.search(r"está há \d+ dias sem comprar", why["c1"]), why

    code, out = run(db_path, "tasks", "list", "--as-of", "24/11/2026")
    assert code == 0, out
    assert "WhatsApp" in out and "whatsapp" not in out, out
