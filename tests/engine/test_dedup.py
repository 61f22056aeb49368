"""engine.dedup: phonetic key, blocking with a cap, pair scores, clusters and the merge plan."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from carteira_tui.engine.dedup import (
    CLUSTER_SCHEMA,
    MERGE_PLAN_SCHEMA,
    connected_components,
    dedup_keys,
    duplicate_clusters,
    duplicate_pairs,
    merge_plan,
    phonetic_key_expr,
    skipped_blocks,
)

_FIELDS = ("name", "document", "email", "phone", "city", "uf", "cep")


def _clients(rows: list[tuple[object, ...]]) -> pl.LazyFrame:
    schema = {"client_id": pl.Int64, **{field: pl.String for field in _FIELDS}}
    return pl.LazyFrame(
        [row + (None,) * (8 - len(row)) for row in rows], schema=schema, orient="row"
    )


def _phonetic(names: list[str]) -> list[str | None]:
    return (
        pl.DataFrame({"name": names})
        .select(phonetic_key_expr(pl.col("name")))
        .to_series()
        .to_list()
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Vagner", "Wagner"),
        ("Luiz", "Luís"),
        ("Thiago", "Tiago"),
        ("Sousa", "Souza"),
        ("Felipe", "Filipe"),
        ("Raphael", "Rafael"),
        ("Yasmin", "Iasmin"),
        ("Conceição", "Conceissão"),
        ("Gonçalves", "Goncalves"),
        ("Assunção", "Assunsão"),
        ("João", "Joam"),
        ("Kelly", "Keli"),
        ("Helena", "Elena"),
        ("Xavier", "Chavier"),
        ("Campos", "Canpos"),
        ("Maria da Silva", "MARIA  SILVA"),
        ("Vagner Souza", "Wagner Sousa"),
    ],
)
def test_phonetic_key_agrees_on_portuguese_spelling_variants(one: str, other: str) -> None:
    first, second = _phonetic([one, other])
    assert first is not None
    assert first == second


@pytest.mark.parametrize(
    ("one", "other"), [("Maria", "Mario"), ("Silva", "Souza"), ("Ana", "Lima")]
)
def test_phonetic_key_keeps_different_names_apart(one: str, other: str) -> None:
    first, second = _phonetic([one, other])
    assert first != second


def test_phonetic_key_of_empty_name_is_null() -> None:
    assert _phonetic(["", "  ", "123"]) == [None, None, None]


def _portfolio() -> pl.LazyFrame:
    return _clients(
        [
            (1, "Vagner Souza", "111.444.777-35", None, "(11) 98765-4321", "São Paulo", "SP"),
            (2, "WAGNER SOUSA", "11144477735", None, None, "sao paulo", "SP"),
            (3, "Maria Silva", None, "m@x.com", None, "Recife"),
            (4, "maria  silva", None, None, None, "Recife", None, "50000-000"),
            (5, "Ana Lima", None, "ana@x.com", None, "Natal"),
            (6, "José Pereira", None, None, "11 3456-7890"),
            (7, "Outro Nome", None, "ana@x.com", "+55 11 3456-7890"),
            (8, "Thiago Alves", None, None, "41 98888-7777", "Curitiba"),
            (9, "Tiago Alves", None, None, "+55 41 8888-7777", "curitiba"),
        ]
    )


def test_duplicate_pairs_scores_by_weighted_agreement_on_shared_fields() -> None:
    got = duplicate_pairs(_portfolio()).with_columns(pl.col("name_similarity").round(4))
    want = pl.DataFrame(
        [
            # name 11/12 chars equal after token sort (1 - 1/23), phone, city: 0.5348/0.55
            (8, 9, 0.9565, 0.972, "alta", ["mesmo_telefone", "nome_fonetico"]),
            # name 1 - 4/24, document, city: (0.35 * 0.8333 + 0.30 + 0.05) / 0.70
            (1, 2, 0.8333, 0.917, "alta", ["mesmo_documento", "nome_fonetico"]),
            # identical name and city only: capped at 0.75
            (3, 4, 1.0, 0.75, "media", ["mesmo_nome_cidade", "nome_fonetico"]),
            # shared e-mail alone, different names: (0.35 * 0.2222 + 0.15) / 0.50 = 0.456,
            # raised to the floor of a probable duplicate (the import names it one)
            (5, 7, 0.2222, 0.65, "media", ["mesmo_email"]),
            # shared phone, different names: (0.35 * 0.3636 + 0.15) / 0.50
            (6, 7, 0.3636, 0.555, "baixa", ["mesmo_telefone"]),
        ],
        schema={
            "client_id_a": pl.Int64,
            "client_id_b": pl.Int64,
            "name_similarity": pl.Float64,
            "score": pl.Float64,
            "confidence": pl.String,
            "reasons": pl.List(pl.String),
        },
        orient="row",
    )
    assert_frame_equal(got, want)


def test_duplicate_clusters_on_a_hand_built_portfolio() -> None:
    got = duplicate_clusters(_portfolio())
    want = pl.DataFrame(
        [
            (1, 1, True, 75, 0.917, "alta", ["mesmo_documento", "nome_fonetico"]),
            (1, 2, False, 55, 0.917, "alta", ["mesmo_documento", "nome_fonetico"]),
            (3, 3, True, 40, 0.75, "media", ["mesmo_nome_cidade", "nome_fonetico"]),
            (3, 4, False, 35, 0.75, "media", ["mesmo_nome_cidade", "nome_fonetico"]),
            (5, 7, True, 50, 0.65, "media", ["mesmo_email"]),
            (5, 5, False, 40, 0.65, "media", ["mesmo_email"]),
            (8, 8, True, 45, 0.972, "alta", ["mesmo_telefone", "nome_fonetico"]),
            (8, 9, False, 45, 0.972, "alta", ["mesmo_telefone", "nome_fonetico"]),
        ],
        schema=CLUSTER_SCHEMA,
        orient="row",
    )
    assert_frame_equal(got, want)


def test_lower_min_score_lets_weak_pairs_join_clusters() -> None:
    got = duplicate_clusters(_portfolio(), min_score=0.4)
    members = got.group_by("cluster_id").agg(pl.col("client_id").sort()).sort("cluster_id")
    assert members.rows() == [(1, [1, 2]), (3, [3, 4]), (5, [5, 6, 7]), (8, [8, 9])]
    assert got.filter(pl.col("cluster_id") == 5)["confidence"].unique().to_list() == ["baixa"]


def test_different_valid_documents_keep_namesakes_apart() -> None:
    clients = _clients(
        [
            (1, "Carlos Lima", "111.444.777-35", None, None, "Natal"),
            (2, "Carlos Lima", "529.982.247-25", None, None, "Natal"),
        ]
    )
    # name 0.35 + document 0 + city 0.05 over 0.70
    assert duplicate_pairs(clients)["score"].to_list() == [0.571]
    assert duplicate_clusters(clients).is_empty()


def test_blocks_over_the_cap_are_skipped_and_counted() -> None:
    shared = "11 98765-4321"
    clients = _clients(
        [(i, f"Pessoa {name}", None, None, shared) for i, name in enumerate("ABCD", 1)]
    )
    assert duplicate_pairs(clients, block_cap=3).is_empty()
    assert duplicate_pairs(clients, block_cap=4).height == 6
    skipped = (
        skipped_blocks(dedup_keys(clients), block_cap=3).filter(pl.col("blocks") > 0).collect()
    )
    assert skipped.rows() == [("mesmo_telefone", 1, 4)]


def test_connected_components_are_transitive() -> None:
    pairs = pl.DataFrame({"client_id_a": [10, 20, 5], "client_id_b": [20, 30, 6]})
    assert connected_components(pairs).rows() == [(5, 5), (6, 5), (10, 10), (20, 10), (30, 10)]


def test_merge_plan_keeps_survivor_values_and_fills_gaps_from_other_members() -> None:
    clients = _portfolio()
    plan = merge_plan(duplicate_clusters(clients), clients).filter(pl.col("cluster_id") == 3)
    want = pl.DataFrame(
        [
            (3, 3, "cep", "50000-000", 4),
            (3, 3, "city", "Recife", 3),
            (3, 3, "email", "m@x.com", 3),
            (3, 3, "name", "Maria Silva", 3),
        ],
        schema=MERGE_PLAN_SCHEMA,
        orient="row",
    )
    assert_frame_equal(plan, want)


def test_no_duplicates_gives_an_empty_cluster_frame_with_the_schema() -> None:
    clients = _clients([(1, "Ana Lima"), (2, "Bia Souza")])
    got = duplicate_clusters(clients)
    assert got.is_empty()
    assert got.schema == CLUSTER_SCHEMA


def test_the_same_document_is_sure_and_the_same_email_alone_only_probable() -> None:
    from carteira_tui.engine.dedup import duplicate_pairs

    clients = pl.LazyFrame(
        {
            "client_id": [1, 2, 3, 4],
            "name": ["Ana Souza", "Ana Souza", "Loja Sol", "Loja Sol"],
            "document": ["529.982.247-25", "52998224725", None, None],
            "email": [None, None, "compras@sol.com.br", "compras@sol.com.br"],
            "phone": [None, None, None, None],
            "city": ["Recife", "Recife", "Natal", "Natal"],
            "uf": [None, None, None, None],
        }
    )
    pairs = duplicate_pairs(clients).sort("client_id_a")
    assert pairs.select("client_id_a", "confidence").rows() == [(1, "alta"), (3, "media")]
