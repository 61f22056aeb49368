"""The shipped sample portfolio (sample_data/) and its generator, scripts/generate_portfolio.py.

The segmentation figures are computed inline from the CSVs as DESIGN.md defines them, on purpose
independent of the engine: the sample must populate every status, ABC class and RFM segment.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SCRIPT = ROOT / "scripts" / "generate_portfolio.py"
AS_OF = date(2026, 11, 23)
FILES = ["clientes.csv", "pedidos.csv", "interacoes.csv", "responsaveis.csv"]

RFM_MAP = {
    5: ["Novos", "Potenciais leais", "Potenciais leais", "Campeões", "Campeões"],
    4: ["Promissores", "Potenciais leais", "Potenciais leais", "Leais", "Leais"],
    3: ["Quase dormindo", "Quase dormindo", "Precisam de atenção", "Leais", "Leais"],
    2: ["Hibernando", "Hibernando", "Em risco", "Em risco", "Não pode perder"],
    1: ["Hibernando", "Hibernando", "Em risco", "Em risco", "Não pode perder"],
}
SEGMENT_NAMES = {name for row in RFM_MAP.values() for name in row}


def read_ptbr_csv(path: Path, encoding: str = "utf-8") -> pl.DataFrame:
    """Read one of the sample CSVs as text columns, decoding it strictly."""
    text = path.read_bytes().decode(encoding)
    return pl.read_csv(io.StringIO(text), separator=";", infer_schema=False)


def clients_frame() -> pl.DataFrame:
    return read_ptbr_csv(SAMPLE / "clientes.csv", "cp1252")


def orders_frame() -> pl.DataFrame:
    """pedidos.csv with the decimal-comma money as centavos and dd/mm/aaaa dates as dates."""
    return read_ptbr_csv(SAMPLE / "pedidos.csv").select(
        client=pl.col("Código do cliente"),
        date=pl.col("Data").str.to_date("%d/%m/%Y"),
        amount_cents=pl.col("Valor").str.replace_all(r"\.", "").str.replace(",", "").cast(pl.Int64),
    )


def segmentation(clients: pl.DataFrame, orders: pl.DataFrame) -> pl.DataFrame:
    """DESIGN.md status, r/f scores, RFM segment and ABC class per client, written independently."""
    per_client = orders.group_by("client").agg(
        last=pl.col("date").max(), frequency=pl.len(), monetary=pl.col("amount_cents").sum()
    )
    frame = clients.select(client=pl.col("Código")).join(per_client, on="client", how="left")
    recency = (pl.lit(AS_OF) - pl.col("last")).dt.total_days()
    buyers = per_client.height

    def score(higher_is_better: pl.Expr) -> pl.Expr:
        rank = higher_is_better.rank(method="min")
        return ((rank - 1) * 5 // buyers + 1).cast(pl.Int64)

    frame = frame.with_columns(recency_days=recency).with_columns(
        status=pl.when(pl.col("last").is_null())
        .then(pl.lit("prospect"))
        .when(pl.col("recency_days") <= 90)
        .then(pl.lit("ativo"))
        .when(pl.col("recency_days") <= 365)
        .then(pl.lit("inativo_recente"))
        .otherwise(pl.lit("inativo_antigo")),
    )
    scored = (
        frame.filter(pl.col("last").is_not_null())
        .with_columns(r=score(-pl.col("recency_days")), f=score(pl.col("frequency")))
        .sort(["monetary", "client"], descending=[True, False])
        .with_columns(cum_before=pl.col("monetary").cum_sum() - pl.col("monetary"))
    )
    total: int = scored.select(pl.col("monetary").sum()).item()
    pairs = pl.DataFrame(
        [(r, f + 1, name) for r, row in RFM_MAP.items() for f, name in enumerate(row)],
        schema={"r": pl.Int64, "f": pl.Int64, "segment": pl.String},
        orient="row",
    )
    scored = scored.join(pairs, on=["r", "f"], how="left").with_columns(
        abc=pl.when(pl.col("cum_before") < 0.80 * total)
        .then(pl.lit("A"))
        .when(pl.col("cum_before") < 0.95 * total)
        .then(pl.lit("B"))
        .otherwise(pl.lit("C"))
    )
    return frame.join(scored.select("client", "segment", "abc"), on="client", how="left")


def cpf_is_valid(digits: str) -> bool:
    if len(digits) != 11 or len(set(digits)) == 1:
        return False
    numbers = [int(d) for d in digits]
    for size in (9, 10):
        total = sum(n * w for n, w in zip(numbers[:size], range(size + 1, 1, -1), strict=True))
        expected = 0 if total % 11 < 2 else 11 - total % 11
        if numbers[size] != expected:
            return False
    return True


def cnpj_is_valid(digits: str) -> bool:
    if len(digits) != 14:
        return False
    numbers = [int(d) for d in digits]
    for weights in ([5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]):
        size = len(weights)
        total = sum(n * w for n, w in zip(numbers[:size], weights, strict=True))
        expected = 0 if total % 11 < 2 else 11 - total % 11
        if numbers[size] != expected:
            return False
    return True


def test_cpf_and_cnpj_validators_agree_with_known_documents() -> None:
    assert cpf_is_valid("52998224725")
    assert not cpf_is_valid("52998224726")
    assert cnpj_is_valid("11444777000161")
    assert not cnpj_is_valid("11444777000162")


def test_sample_files_parse_with_semicolons_and_their_encodings() -> None:
    clients = clients_frame()
    with pytest.raises(UnicodeDecodeError):
        (SAMPLE / "clientes.csv").read_bytes().decode("utf-8")
    assert clients.columns[:3] == ["Código", "Nome", "CPF/CNPJ"]
    assert clients.width == 20 and clients.height == 2000
    assert clients["Código"].is_unique().all()
    assert read_ptbr_csv(SAMPLE / "pedidos.csv").columns == [
        "Pedido",
        "Código do cliente",
        "Data",
        "Valor",
        "Canal",
    ]
    interactions = read_ptbr_csv(SAMPLE / "interacoes.csv")
    assert interactions.columns[0] == "Código do cliente" and interactions.width == 7
    owners = read_ptbr_csv(SAMPLE / "responsaveis.csv")
    assert owners.columns == ["Nome", "E-mail", "Capacidade"]
    assert 5 <= owners.height <= 6


def test_sample_money_has_decimal_comma_and_dates_are_dd_mm_aaaa() -> None:
    raw = read_ptbr_csv(SAMPLE / "pedidos.csv")
    assert raw["Valor"].str.contains(r"^\d{1,3}(\.\d{3})*,\d{2}$").all()
    assert raw["Valor"].str.contains(r"\.").any()
    assert raw["Data"].str.contains(r"^\d{2}/\d{2}/\d{4}$").all()
    orders = orders_frame()
    dates = orders["date"].to_list()
    assert min(dates) >= date(2023, 11, 23) and max(dates) <= AS_OF
    assert 24_000 <= orders.height <= 26_000
    assert (orders["amount_cents"] == 0).sum() == 2


def test_sample_orders_and_interactions_refer_to_known_clients() -> None:
    codes = set(clients_frame()["Código"])
    assert set(orders_frame()["client"]) <= codes
    interactions = read_ptbr_csv(SAMPLE / "interacoes.csv")
    assert set(interactions["Código do cliente"]) <= codes
    owners = set(read_ptbr_csv(SAMPLE / "responsaveis.csv")["Nome"])
    assert set(interactions["Responsável"]) <= owners
    assert set(clients_frame()["Responsável"].drop_nulls()) <= owners


def test_sample_documents_have_valid_check_digits_except_the_deliberate_ones() -> None:
    documents = clients_frame()["CPF/CNPJ"].drop_nulls().str.replace_all(r"\D", "").to_list()
    cpfs = [d for d in documents if len(d) == 11]
    cnpjs = [d for d in documents if len(d) == 14]
    assert len(cpfs) + len(cnpjs) == len(documents)
    assert 0.80 <= len(cpfs) / len(documents) <= 0.90
    assert all(cnpj_is_valid(d) for d in cnpjs)
    invalid_cpfs = [d for d in cpfs if not cpf_is_valid(d)]
    assert 1 <= len(invalid_cpfs) <= 3


def test_sample_has_companies_with_legal_suffixes_and_people_with_particles() -> None:
    names = clients_frame()["Nome"]
    assert names.str.contains(r" (LTDA|ME|S\.A\.|EIRELI)$").sum() >= 200
    assert names.str.contains(r" (da|de|dos|do) ").sum() >= 200


def test_sample_contacts_look_brazilian_with_a_little_dirt() -> None:
    clients = clients_frame()
    phones = clients["Telefone"].drop_nulls().str.replace_all(r"\D", "").str.replace(r"^55", "")
    mobile = phones.str.contains(r"^\d{2}9[6-9]\d{7}$")
    landline = phones.str.contains(r"^\d{2}[2-5]\d{7}$")
    assert mobile.sum() > 0.8 * phones.len()
    assert landline.sum() > 50
    assert 5 <= (~mobile & ~landline).sum() <= 40
    emails = clients["E-mail"].drop_nulls()
    assert emails.str.contains("@").all()
    assert 5 <= emails.str.contains(r"^[^a-z]*@[^a-z]*$").sum() <= 60
    assert clients["CEP"].str.contains(r"^\d{5}-\d{3}$").all()
    assert clients["UF"].n_unique() >= 25


def test_sample_has_duplicates_that_differ_only_in_typing() -> None:
    clients = clients_frame()
    folded = (
        clients["Nome"]
        .str.to_lowercase()
        .str.replace_many(
            ["á", "â", "ã", "é", "ê", "í", "ó", "ô", "õ", "ú", "ç"], list("aaaeeiooouc")
        )
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    repeated = clients.with_columns(folded=folded).filter(pl.col("folded").is_duplicated())
    differently_typed = repeated.group_by("folded").agg(pl.col("Nome").n_unique() > 1)
    assert differently_typed["Nome"].sum() >= 15


def test_sample_flags_delinquents_credit_restriction_and_opt_outs() -> None:
    clients = clients_frame()
    assert 2 <= (clients["Inadimplente"] == "Sim").sum() <= 3
    assert (clients["Restrição de crédito"] == "Sim").sum() == 1
    assert 3 <= (clients["Aceita contato"] == "Não").sum() <= 15
    unassigned = clients["Responsável"].null_count() / clients.height
    assert 0.05 <= unassigned <= 0.15


def days_to_next_birthday(birth: date, as_of: date) -> int:
    """Days from `as_of` to the next anniversary of `birth` (29/02 counted on 28/02)."""
    for year in (as_of.year, as_of.year + 1):
        day = 28 if (birth.month, birth.day) == (2, 29) else birth.day
        anniversary = date(year, birth.month, day)
        if anniversary >= as_of:
            return (anniversary - as_of).days
    raise AssertionError("unreachable")


def test_sample_has_birthdays_in_the_next_seven_days() -> None:
    births = clients_frame()["Data de nascimento"].drop_nulls().str.to_date("%d/%m/%Y")
    upcoming = [b for b in births if days_to_next_birthday(b, AS_OF) <= 7]
    assert len(upcoming) >= 10


def test_sample_has_same_day_orders_of_one_client() -> None:
    orders = orders_frame()
    assert orders.select(pl.struct("client", "date").is_duplicated().sum()).item() >= 20


def test_sample_covers_every_status_abc_class_and_rfm_segment() -> None:
    result = segmentation(clients_frame(), orders_frame())
    statuses = result["status"].value_counts()
    assert set(statuses["status"]) == {"ativo", "inativo_recente", "inativo_antigo", "prospect"}
    assert min(statuses["count"].to_list()) >= 100
    assert set(result["abc"].drop_nulls()) == {"A", "B", "C"}
    a_share = (result["abc"] == "A").sum() / result["abc"].drop_nulls().len()
    assert 0.10 <= a_share <= 0.40
    segments = result["segment"].drop_nulls().value_counts()
    assert set(segments["segment"]) == SEGMENT_NAMES
    assert min(segments["count"].to_list()) >= 10


def test_interactions_are_about_three_per_active_client() -> None:
    result = segmentation(clients_frame(), orders_frame())
    active = set(result.filter(pl.col("status") == "ativo")["client"])
    interactions = read_ptbr_csv(SAMPLE / "interacoes.csv")
    per_active = interactions.filter(pl.col("Código do cliente").is_in(active)).height / len(active)
    assert 2.5 <= per_active <= 3.5
    assert set(interactions["Canal"]) == {"Telefone", "WhatsApp", "E-mail"}


def run_generator(out: Path, *extra: str) -> None:
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), *extra], check=True)


def test_same_seed_regenerates_identical_bytes(tmp_path: Path) -> None:
    args = ("--clients", "300", "--orders", "3000", "--as-of", "2026-11-23", "--seed", "11")
    run_generator(tmp_path / "first", *args)
    run_generator(tmp_path / "second", *args)
    for name in FILES:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()
    run_generator(tmp_path / "other", *args[:-1], "12")
    assert (tmp_path / "other" / "pedidos.csv").read_bytes() != (
        tmp_path / "first" / "pedidos.csv"
    ).read_bytes()


def test_shipped_sample_is_what_the_default_command_generates(tmp_path: Path) -> None:
    run_generator(tmp_path, "--clients", "2000")
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_bench_size_files_keep_the_engine_column_types(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import datagen
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    datagen.main(["--clients", "200", "--orders", "2000", "--out", str(tmp_path)])
    clients = pl.read_parquet(tmp_path / "clients.parquet")
    orders = pl.read_parquet(tmp_path / "orders.parquet")
    assert clients.schema == pl.Schema({"client_id": pl.Int64})
    assert orders.schema == pl.Schema(
        {"client_id": pl.Int64, "date": pl.Date, "amount": pl.Float64}
    )
    assert clients["client_id"].to_list() == list(range(1, 201))
    assert set(orders["client_id"]) <= set(clients["client_id"])
    csv_total = orders_total_cents(tmp_path / "pedidos.csv")
    assert round(orders["amount"].sum() * 100) == csv_total
    assert all(
        re.match(r"^C\d{7}$", c)
        for c in read_ptbr_csv(tmp_path / "pedidos.csv")["Código do cliente"]
    )


def orders_total_cents(path: Path) -> int:
    values = read_ptbr_csv(path)["Valor"].str.replace_all(r"\.", "").str.replace(",", "")
    return int(values.cast(pl.Int64).sum())
