"""Duplicate detection (Limpeza, DESIGN.md step 2): blocking, pair scoring, clusters, merge plan.

Called by the merge service, which shows clusters for review and applies a merge: the clusters
carry member ids, a suggested survivor, and `merge_plan` gives the chosen value of every field.

How it works, so that 1M clients stay within seconds:
- blocking: candidate pairs only share a key (same valid document, same e-mail, same phone,
  same folded name + city, same Portuguese phonetic name key + city). A block larger than
  `block_cap` is skipped and counted (`skipped_blocks`), so a common name cannot explode the
  pair count;
- scoring: the name similarity is rapidfuzz's `token_sort_ratio` on the candidate pairs only;
  the score is the weighted agreement over the fields both records have (`SCORE_WEIGHTS`), capped
  at `NAME_ONLY_CAP` when no document, e-mail or phone agrees;
- clusters: connected components of the pairs scoring at least `min_score`, by label
  propagation in Polars; a cluster's score is its weakest kept pair.
"""

from __future__ import annotations

from enum import StrEnum

import polars as pl
from rapidfuzz import fuzz

from carteira_tui.engine.clean import (
    CLEAN_FIELDS,
    COMPLETENESS_WEIGHTS,
    PARTICLES,
    fold_expr,
    phone_candidate_expr,
    with_clean_fields,
)
from carteira_tui.engine.documents import document_is_valid_expr, document_key_expr
from carteira_tui.fields import email_check
from carteira_tui.model import Col
from carteira_tui.vocab import cleaning_rules as words


class Confidence(StrEnum):
    """How sure a duplicate pair or cluster is (pt-BR values)."""

    ALTA = "alta"
    MEDIA = "media"
    BAIXA = "baixa"


class Reason(StrEnum):
    """Why two clients were compared: the blocking key they share (pt-BR values)."""

    MESMO_DOCUMENTO = "mesmo_documento"
    MESMO_EMAIL = "mesmo_email"
    MESMO_TELEFONE = "mesmo_telefone"
    MESMO_NOME_CIDADE = "mesmo_nome_cidade"
    NOME_FONETICO = "nome_fonetico"


REASON_LABELS: dict[str, str] = {
    Reason.MESMO_DOCUMENTO: words.DUPLICATE_SAME_DOCUMENT,
    Reason.MESMO_EMAIL: words.DUPLICATE_SAME_EMAIL,
    Reason.MESMO_TELEFONE: words.DUPLICATE_SAME_PHONE,
    Reason.MESMO_NOME_CIDADE: words.DUPLICATE_SAME_NAME_CITY,
    Reason.NOME_FONETICO: words.DUPLICATE_SOUNDS_ALIKE,
}

CONFIDENCE_LABELS: dict[str, str] = {
    Confidence.ALTA: "Alta",
    Confidence.MEDIA: "Média",
    Confidence.BAIXA: "Baixa",
}

# Weighted agreement; a field only counts when both records have it.
SCORE_WEIGHTS: dict[str, float] = {
    "name": 0.35,
    "document": 0.30,
    "email": 0.15,
    "phone": 0.15,
    "city": 0.05,
}
NAME_ONLY_CAP = 0.75
HIGH_SCORE = 0.85
MEDIUM_SCORE = 0.65
DEFAULT_BLOCK_CAP = 50

# The blocking keys: (column of `dedup_keys`, reason).
BLOCKING_KEYS: tuple[tuple[str, Reason], ...] = (
    ("document_key", Reason.MESMO_DOCUMENTO),
    ("email_key", Reason.MESMO_EMAIL),
    ("phone_key", Reason.MESMO_TELEFONE),
    ("name_city_key", Reason.MESMO_NOME_CIDADE),
    ("phonetic_city_key", Reason.NOME_FONETICO),
)

_CONSONANTS = "bcdfgjklmnpqrstvxz"
_COLLAPSED = _CONSONANTS + "aiu"

# Portuguese phonetic rules, applied in order to a folded (lower, unaccented) name.
_PHONETIC_RULES: tuple[tuple[str, str], ...] = (
    (r"ph", "f"),
    (r"th", "t"),
    (r"[cs]h", "x"),
    (r"lh", "l"),
    (r"nh", "n"),
    (r"g([ei])", "j$1"),
    (r"gu([ei])", "g$1"),
    (r"qu", "k"),
    (r"q", "k"),
    (r"sc([ei])", "s$1"),
    (r"c([ei])", "s$1"),
    (r"\Bc([aou])", "s$1"),
    (r"c", "k"),
    (r"z", "s"),
    (r"w", "v"),
    (r"y", "i"),
    (r"h", ""),
    (r"ao\b", "an"),
    (rf"m([{_CONSONANTS}])", "n$1"),
    (r"m\b", "n"),
    (r"e", "i"),
    (r"o", "u"),
    # collapse doubled letters; Rust regex has no back-references, so one group per letter
    (
        "|".join(f"({letter}){letter}+" for letter in _COLLAPSED),
        "".join(f"${{{group}}}" for group in range(1, len(_COLLAPSED) + 1)),
    ),
)


def phonetic_key_expr(name: pl.Expr) -> pl.Expr:
    """A Portuguese sound key of a name: Vagner/Wagner, Luiz/Luís, Thiago/Tiago agree.

    Folds case and accents (ç is s), drops the particles, maps ph/th/ch/qu/c/z/w/y/h and the
    -ão/-am endings to one spelling, merges e/i and o/u (unstressed vowels sound alike) and
    collapses doubled letters.
    """
    text = name.str.to_lowercase().str.replace_all("ç", "s", literal=True)
    text = fold_expr(text).str.replace_all(r"[^a-z ]", " ")
    particles = "|".join(PARTICLES)
    text = text.str.replace_all(rf"\b({particles})\b", " ")
    for pattern, replacement in _PHONETIC_RULES:
        text = text.str.replace_all(pattern, replacement)
    text = text.str.replace_all(r"\s+", " ").str.strip_chars()
    return text.replace("", None)


def dedup_keys(clients: pl.LazyFrame) -> pl.LazyFrame:
    """One row per client: the folded fields that are compared and the five blocking keys.

    Pure Polars (no per-value library call): the phone key is `phone_candidate_expr`'s form.
    """
    clients = with_clean_fields(clients).with_columns(
        document_key_expr(pl.col("document")).alias("document_raw_key"),
        phone_candidate_expr(pl.col("phone")).alias("phone_candidate"),
    )
    document = pl.col("document_raw_key")
    phone = pl.col("phone_candidate")
    email = fold_expr(pl.col("email"))
    name = fold_expr(pl.col("name"))
    place = pl.coalesce(fold_expr(pl.col("city")), fold_expr(pl.col("uf")))
    keys = clients.select(
        pl.col(Col.CLIENT_ID).cast(pl.Int64),
        name.alias("name_fold"),
        pl.when(document_is_valid_expr(document)).then(document).alias("document_key"),
        pl.when(email_check(email)).then(email).alias("email_key"),
        pl.when(phone.str.contains(r"^\+55[1-9]{2}[2-9][0-9]{7,8}$"))
        .then(phone)
        .alias("phone_key"),
        fold_expr(pl.col("city")).alias("city_fold"),
        place.alias("place"),
        phonetic_key_expr(pl.col("name")).alias("phonetic"),
    )
    return keys.with_columns(
        pl.concat_str("name_fold", pl.lit("|"), "place").alias("name_city_key"),
        pl.concat_str("phonetic", pl.lit("|"), "place").alias("phonetic_city_key"),
    )


def _sized_blocks(keys: pl.LazyFrame, key: str) -> pl.LazyFrame:
    return (
        keys.select(Col.CLIENT_ID, pl.col(key).alias("key"))
        .drop_nulls("key")
        .with_columns(pl.len().over("key").alias("block_size"))
        .filter(pl.col("block_size") >= 2)
    )


def candidate_pairs(keys: pl.LazyFrame, *, block_cap: int = DEFAULT_BLOCK_CAP) -> pl.LazyFrame:
    """Pairs (client_id_a < client_id_b) sharing a blocking key, with the reasons they share."""
    per_key = []
    for key, reason in BLOCKING_KEYS:
        members = _sized_blocks(keys, key).filter(pl.col("block_size") <= block_cap)
        pairs = (
            members.select("key", pl.col(Col.CLIENT_ID).alias("client_id_a"))
            .join(members.select("key", pl.col(Col.CLIENT_ID).alias("client_id_b")), on="key")
            .filter(pl.col("client_id_a") < pl.col("client_id_b"))
            .select("client_id_a", "client_id_b", pl.lit(reason.value).alias("reason"))
        )
        per_key.append(pairs)
    return (
        pl.concat(per_key)
        .group_by("client_id_a", "client_id_b")
        .agg(pl.col("reason").unique().sort().alias("reasons"))
    )


def skipped_blocks(keys: pl.LazyFrame, *, block_cap: int = DEFAULT_BLOCK_CAP) -> pl.LazyFrame:
    """Per blocking reason: how many blocks exceeded `block_cap` and how many clients they held."""
    per_key = [
        _sized_blocks(keys, key)
        .filter(pl.col("block_size") > block_cap)
        .select(
            pl.lit(reason.value).alias("reason"),
            pl.col("key").n_unique().cast(pl.Int64).alias("blocks"),
            pl.len().cast(pl.Int64).alias("clients"),
        )
        for key, reason in BLOCKING_KEYS
    ]
    return pl.concat(per_key)


def _name_similarity(pairs: pl.DataFrame) -> pl.DataFrame:
    """rapidfuzz token_sort_ratio / 100 of the two folded names, on the candidate pairs only."""
    similarity = [
        fuzz.token_sort_ratio(a, b) / 100.0 if a is not None and b is not None else 0.0
        for a, b in zip(pairs["name_fold_a"], pairs["name_fold_b"], strict=True)
    ]
    return pairs.with_columns(pl.Series("name_similarity", similarity, dtype=pl.Float64))


def _agreement(field: str) -> pl.Expr:
    """1.0 equal, 0.0 different, null when either side lacks the field."""
    a, b = pl.col(f"{field}_a"), pl.col(f"{field}_b")
    return pl.when(a.is_not_null() & b.is_not_null()).then((a == b).cast(pl.Float64))


def confidence_expr(score: pl.Expr) -> pl.Expr:
    """`alta` from `HIGH_SCORE`, `media` from `MEDIUM_SCORE`, else `baixa`."""
    return (
        pl.when(score >= HIGH_SCORE)
        .then(pl.lit(Confidence.ALTA.value))
        .when(score >= MEDIUM_SCORE)
        .then(pl.lit(Confidence.MEDIA.value))
        .otherwise(pl.lit(Confidence.BAIXA.value))
    )


PAIR_COLUMNS: tuple[str, ...] = (
    "client_id_a",
    "client_id_b",
    "name_similarity",
    "score",
    "confidence",
    "reasons",
)


def scored_pairs(keys: pl.LazyFrame, *, block_cap: int = DEFAULT_BLOCK_CAP) -> pl.LazyFrame:
    """Candidate pairs with name similarity, score (0-1, 3 decimals), confidence and reasons."""
    compared = ("name_fold", "document_key", "email_key", "phone_key", "city_fold")
    side_a = keys.select(
        pl.col(Col.CLIENT_ID).alias("client_id_a"), *[pl.col(c).alias(f"{c}_a") for c in compared]
    )
    side_b = keys.select(
        pl.col(Col.CLIENT_ID).alias("client_id_b"), *[pl.col(c).alias(f"{c}_b") for c in compared]
    )
    joined = (
        candidate_pairs(keys, block_cap=block_cap)
        .join(side_a, on="client_id_a")
        .join(side_b, on="client_id_b")
    )
    schema = joined.collect_schema()
    schema["name_similarity"] = pl.Float64()
    pairs = joined.map_batches(_name_similarity, schema=schema)
    agreements = {
        "name": pl.col("name_similarity"),
        "document": _agreement("document_key"),
        "email": _agreement("email_key"),
        "phone": _agreement("phone_key"),
        "city": _agreement("city_fold"),
    }
    earned = pl.sum_horizontal([agreements[f].fill_null(0.0) * w for f, w in SCORE_WEIGHTS.items()])
    possible = pl.sum_horizontal(
        [agreements[f].is_not_null().cast(pl.Float64) * w for f, w in SCORE_WEIGHTS.items()]
    )
    strong = pl.any_horizontal(
        [(agreements[f] == 1.0).fill_null(False) for f in ("document", "email", "phone")]
    )
    weighted = earned / possible
    score = pl.when(strong).then(weighted).otherwise(pl.min_horizontal(weighted, NAME_ONLY_CAP))
    # DECISIONS: the same CPF/CNPJ is a sure duplicate; the same e-mail alone (a shared
    # `compras@`) a probable one, never merged without review but shown for it whatever the
    # names say (the import names it "provável duplicado") — unless two valid documents differ:
    # then they are two people sharing an address, as the score already says.
    same_document = (agreements["document"] == 1.0).fill_null(False)
    same_phone = (agreements["phone"] == 1.0).fill_null(False)
    email_alone = (agreements["email"] == 1.0).fill_null(False) & ~same_document & ~same_phone
    capped = pl.min_horizontal(score, HIGH_SCORE - 0.001)
    score = (
        pl.when(same_document)
        .then(pl.max_horizontal(score, HIGH_SCORE))
        .when(email_alone & agreements["document"].is_null())
        .then(pl.max_horizontal(capped, MEDIUM_SCORE))
        .when(email_alone)
        .then(capped)
        .otherwise(score)
    )
    return (
        pairs.with_columns(score.round(3).alias("score"))
        .with_columns(confidence_expr(pl.col("score")).alias("confidence"))
        .select(PAIR_COLUMNS)
    )


def duplicate_pairs(
    clients: pl.LazyFrame,
    *,
    block_cap: int = DEFAULT_BLOCK_CAP,
    min_score: float = 0.0,
) -> pl.DataFrame:
    """Scored candidate pairs with `score >= min_score`, sorted by score descending then ids.

    Input: `client_id` plus any of name, document, email, phone, city, uf (raw text).
    """
    return (
        scored_pairs(dedup_keys(clients), block_cap=block_cap)
        .filter(pl.col("score") >= min_score)
        .sort(["score", "client_id_a", "client_id_b"], descending=[True, False, False])
        .collect()
    )


def connected_components(pairs: pl.DataFrame) -> pl.DataFrame:
    """client_id -> cluster_id (the smallest id in its component), by min-label propagation."""
    edges = pl.concat(
        [
            pairs.select(pl.col("client_id_a").alias("src"), pl.col("client_id_b").alias("dst")),
            pairs.select(pl.col("client_id_b").alias("src"), pl.col("client_id_a").alias("dst")),
        ]
    )
    labels = edges.select(pl.col("src").alias(Col.CLIENT_ID)).unique()
    labels = labels.with_columns(pl.col(Col.CLIENT_ID).alias("cluster_id"))
    while True:
        neighbour_min = (
            edges.join(labels, left_on="dst", right_on=Col.CLIENT_ID)
            .group_by("src")
            .agg(pl.col("cluster_id").min().alias("neighbour_label"))
        )
        updated = labels.join(
            neighbour_min, left_on=Col.CLIENT_ID, right_on="src", how="left"
        ).select(
            Col.CLIENT_ID,
            pl.min_horizontal("cluster_id", "neighbour_label").alias("cluster_id"),
        )
        changed = (
            updated.join(labels, on=Col.CLIENT_ID, suffix="_before")
            .filter(pl.col("cluster_id") != pl.col("cluster_id_before"))
            .height
        )
        labels = updated
        if changed == 0:
            return labels.sort(Col.CLIENT_ID)


CLUSTER_SCHEMA = pl.Schema(
    {
        "cluster_id": pl.Int64(),
        Col.CLIENT_ID: pl.Int64(),
        "is_survivor": pl.Boolean(),
        "completeness": pl.Int64(),
        "score": pl.Float64(),
        "confidence": pl.String(),
        "reasons": pl.List(pl.String()),
    }
)


def record_completeness_expr() -> pl.Expr:
    """COMPLETENESS_WEIGHTS over the non-empty raw fields (used when no score is given)."""
    return pl.sum_horizontal(
        [
            (pl.col(field).str.strip_chars().str.len_chars() > 0).fill_null(False).cast(pl.Int64)
            * weight
            for field, weight in COMPLETENESS_WEIGHTS.items()
        ]
    ).cast(pl.Int64)


def duplicate_clusters(
    clients: pl.LazyFrame,
    *,
    block_cap: int = DEFAULT_BLOCK_CAP,
    min_score: float = MEDIUM_SCORE,
) -> pl.DataFrame:
    """Clusters of likely duplicates: one row per member, `CLUSTER_SCHEMA`.

    Pairs scoring at least `min_score` link clients; a cluster's score is its weakest link and
    its reasons the union of its links'. The suggested survivor is the most complete member
    (`completeness` column if the input has one, else `record_completeness_expr`), ties to the
    lowest id. Sorted by cluster_id, survivor first, then client_id.
    """
    clients = with_clean_fields(clients)
    if "completeness" not in clients.collect_schema():
        clients = clients.with_columns(record_completeness_expr().alias("completeness"))
    pairs = duplicate_pairs(clients, block_cap=block_cap, min_score=min_score)
    if pairs.is_empty():
        return pl.DataFrame(schema=CLUSTER_SCHEMA)
    members = connected_components(pairs)
    links = (
        pairs.join(members.rename({Col.CLIENT_ID: "client_id_a"}), on="client_id_a")
        .group_by("cluster_id")
        .agg(
            pl.col("score").min().alias("score"),
            pl.col("reasons").explode().unique().sort().alias("reasons"),
        )
    )
    completeness = clients.select(
        pl.col(Col.CLIENT_ID).cast(pl.Int64), pl.col("completeness").cast(pl.Int64)
    ).collect()
    ranked = (
        members.join(completeness, on=Col.CLIENT_ID, how="left")
        .with_columns(pl.col("completeness").fill_null(0))
        .sort(["cluster_id", "completeness", Col.CLIENT_ID], descending=[False, True, False])
        .with_columns(
            (pl.int_range(pl.len()).over("cluster_id") == 0).alias("is_survivor"),
        )
    )
    return (
        ranked.join(links, on="cluster_id")
        .with_columns(confidence_expr(pl.col("score")).alias("confidence"))
        .sort(["cluster_id", "is_survivor", Col.CLIENT_ID], descending=[False, True, False])
        .select(list(CLUSTER_SCHEMA))
        .cast(CLUSTER_SCHEMA)
    )


MERGE_PLAN_SCHEMA = pl.Schema(
    {
        "cluster_id": pl.Int64,
        "survivor_id": pl.Int64,
        "field": pl.String,
        "value": pl.String,
        "source_client_id": pl.Int64,
    }
)


def merge_plan(clusters: pl.DataFrame, clients: pl.LazyFrame) -> pl.DataFrame:
    """Per cluster and field: the value the merged client keeps and which member it comes from.

    The survivor's own value wins; a field the survivor lacks is filled from the most complete
    member that has it (ties to the lowest id). Fields nobody has are absent.
    """
    raw = with_clean_fields(clients).select(pl.col(Col.CLIENT_ID).cast(pl.Int64), *CLEAN_FIELDS)
    ordered = (
        clusters.lazy()
        .select("cluster_id", Col.CLIENT_ID, "is_survivor", "completeness")
        .join(raw, on=Col.CLIENT_ID)
        .with_columns(
            pl.col(Col.CLIENT_ID)
            .filter(pl.col("is_survivor"))
            .first()
            .over("cluster_id")
            .alias("survivor_id")
        )
        .unpivot(
            index=["cluster_id", "survivor_id", Col.CLIENT_ID, "is_survivor", "completeness"],
            on=list(CLEAN_FIELDS),
            variable_name="field",
            value_name="value",
        )
        .filter(pl.col("value").str.strip_chars().str.len_chars() > 0)
        .sort(
            ["cluster_id", "field", "is_survivor", "completeness", Col.CLIENT_ID],
            descending=[False, False, True, True, False],
        )
    )
    return (
        ordered.group_by("cluster_id", "field", maintain_order=True)
        .agg(
            pl.col("survivor_id").first(),
            pl.col("value").first(),
            pl.col(Col.CLIENT_ID).first().alias("source_client_id"),
        )
        .select(list(MERGE_PLAN_SCHEMA))
        .collect()
        .cast(MERGE_PLAN_SCHEMA)
    )
