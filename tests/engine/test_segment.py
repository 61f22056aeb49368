"""engine.segment: the RFM map, named segments and the whole per-client pipeline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from carteira_tui.config import Settings
from carteira_tui.engine import metrics
from carteira_tui.engine.aggregates import order_aggregates
from carteira_tui.engine.schema import BASE_SCHEMA, ID, RESULT_SCHEMA
from carteira_tui.engine.segment import RFM_MAP, empty_windows, rfm_segment_expr, segment_clients
from carteira_tui.engine.segments import CompiledSegment
from carteira_tui.model import RfmSegment, Status

AS_OF = date(2026, 6, 30)


def inputs(
    clients: list[int],
    orders: list[tuple[int, date, int]],
    settings: Settings,
    flags: dict[int, dict[str, Any]] | None = None,
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The base (BASE_SCHEMA) and the cooling-window counts of a hand-made portfolio."""
    order_frame = pl.LazyFrame(
        orders,
        schema={"client_id": pl.Int64, "date": pl.Date, "amount_cents": pl.Int64},
        orient="row",
    )
    base = (
        pl.LazyFrame({ID: clients}, schema={ID: pl.Int64})
        .with_columns(pl.col(ID).cast(pl.String).alias("external_id"))
        .join(order_aggregates(order_frame).rename({"client_id": ID}), on=ID, how="left")
    )
    flag_rows = flags or {}
    base = base.with_columns(
        [
            pl.col(ID)
            .replace_strict(
                {i: bool(f.get(name, False)) for i, f in flag_rows.items()},
                default=False,
                return_dtype=pl.Boolean,
            )
            .alias(name)
            for name in ("delinquent", "credit_restriction", "opt_out", "archived")
        ]
    )
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in BASE_SCHEMA.items()
        if name not in base.collect_schema()
    ]
    base = base.with_columns(missing).select(list(BASE_SCHEMA))
    windows = metrics.window_counts(
        order_frame, as_of=AS_OF, window_days=settings.cooling_window_days
    )
    return base, windows


def run(
    clients: list[int],
    orders: list[tuple[int, date, int]],
    segments: list[CompiledSegment] | None = None,
    settings: Settings | None = None,
    flags: dict[int, dict[str, Any]] | None = None,
) -> dict[int, dict[str, Any]]:
    settings = settings or Settings()
    base, windows = inputs(clients, orders, settings, flags)
    plan = segment_clients(base, windows, as_of=AS_OF, settings=settings, segments=segments or [])
    out = plan.collect()
    assert dict(out.schema) == RESULT_SCHEMA
    # The services collect in memory; both engines must agree (scalars broadcast differently).
    assert out.equals(plan.collect(engine="in-memory"), null_equal=True)
    return {row[ID]: row for row in out.iter_rows(named=True)}


def test_every_one_of_the_25_rfm_pairs_has_exactly_one_name() -> None:
    assert sorted(RFM_MAP) == [(r, f) for r in range(1, 6) for f in range(1, 6)]
    assert set(RFM_MAP.values()) == set(RfmSegment)


def test_rfm_segment_names_follow_the_design_table() -> None:
    pairs = pl.DataFrame({"r": [5, 5, 1, 3, 2, None], "f": [1, 5, 5, 3, 3, None]})
    out = pairs.select(rfm_segment_expr()).to_series().to_list()
    assert out == ["Novos", "Campeões", "Não pode perder", "Precisam de atenção", "Em risco", None]


def test_a_client_with_orders_on_one_day_only_has_no_cycle() -> None:
    rows = run([1], [(1, date(2026, 6, 1), 1000), (1, date(2026, 6, 1), 500)])
    row = rows[1]
    assert row["frequency"] == 2 and row["purchase_days"] == 1
    assert row["cycle_days"] is None and row["overdue_days"] is None
    assert row["avg_ticket"] == 7.5 and row["monetary"] == 15.0 and row["monetary_cents"] == 1500


def test_hand_worked_portfolio() -> None:
    rows = run(
        [1, 2, 3, 4],
        [
            (1, date(2026, 6, 20), 3000),  # recency 10
            (1, date(2026, 3, 22), 3000),  # cycle (90)/1 = 90
            (2, date(2025, 12, 2), 1000),  # recency 210
            (3, date(2024, 12, 31), 0),  # recency 546, zero-revenue order
        ],
    )
    one, two, three, four = rows[1], rows[2], rows[3], rows[4]
    assert [one["status"], two["status"], three["status"], four["status"]] == [
        "ativo",
        "inativo_recente",
        "inativo_antigo",
        "prospect",
    ]
    # n = 3 buyers. −recency: −10, −210, −546 → ranks 3, 2, 1 → r = 4, 2, 1.
    assert (one["r"], two["r"], three["r"]) == (4, 2, 1)
    # frequency 2, 1, 1 → ranks 3, 1, 1 → f = 4, 1, 1.
    assert (one["f"], two["f"], three["f"]) == (4, 1, 1)
    # monetary 6000, 1000, 0 → m = 4, 2, 1; ABC total 7000: cum 0 → A, 6000 (85.7 %) → B, 7000 → C.
    assert (one["m"], two["m"], three["m"]) == (4, 2, 1)
    assert (one["abc"], two["abc"], three["abc"], four["abc"]) == ("A", "B", "C", None)
    assert one["rfm_segment"] == "Leais" and two["rfm_segment"] == "Hibernando"
    assert one["recency_days"] == 10 and one["cycle_days"] == 90.0
    assert one["overdue_days"] == -80.0
    assert four["frequency"] is None and four["r"] is None and four["cooling"] is False


def test_cooling_buyer_whose_orders_fell() -> None:
    day = AS_OF - timedelta(days=200)
    rows = run([1], [(1, day, 100), (1, day, 100), (1, AS_OF - timedelta(days=10), 100)])
    assert rows[1]["orders_previous_window"] == 2 and rows[1]["orders_last_window"] == 1
    assert rows[1]["cooling"] is True


def test_excluded_clients_are_still_segmented() -> None:
    rows = run(
        [1, 2],
        [(1, AS_OF, 100)],
        segments=[CompiledSegment("Ativos", "p", pl.col("status") == Status.ATIVO.value)],
        flags={1: {"archived": True}},
    )
    assert rows[1]["excluded"] is True and rows[1]["exclusion_reason"] == "arquivado"
    assert rows[1]["segment"] == "Ativos" and rows[2]["excluded"] is False


def test_the_first_matching_segment_wins() -> None:
    segments = [
        CompiledSegment("Grandes", "vip", pl.col("monetary_cents") >= 1000),
        CompiledSegment("Ativos", "fid", pl.col("status") == "ativo"),
    ]
    rows = run([1, 2, 3], [(1, AS_OF, 5000), (2, AS_OF, 10)], segments=segments)
    assert (rows[1]["segment"], rows[1]["plan"]) == ("Grandes", "vip")
    assert (rows[2]["segment"], rows[2]["plan"]) == ("Ativos", "fid")
    # a null comparison (prospect's monetary) is no match, not an error
    assert rows[3]["segment"] is None


def test_status_cut_days_come_from_settings() -> None:
    rows = run([1], [(1, AS_OF - timedelta(days=40), 1)], settings=Settings(active_days=30))
    assert rows[1]["status"] == "inativo_recente"


@hsettings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 8), st.integers(0, 900), st.integers(0, 10_000)), max_size=30)
)
def test_status_partitions_all_clients(orders: list[tuple[int, int, int]]) -> None:
    rows = run(
        list(range(1, 9)),
        [(c, AS_OF - timedelta(days=d), cents) for c, d, cents in orders],
    )
    assert len(rows) == 8
    buyers = {c for c, _d, _m in orders}
    for client, row in rows.items():
        assert row["status"] in {s.value for s in Status}
        assert (row["status"] == "prospect") == (client not in buyers)
        assert (row["abc"] is None) == (client not in buyers)


def test_a_base_in_several_chunks_gives_the_same_result() -> None:
    # A patched base (clients appended) comes in more than one chunk; the wide client columns
    # and the computed ones are then laid out differently and must still line up row by row.
    n = 50
    base = pl.DataFrame(
        {
            ID: list(range(1, n + 1)),
            "external_id": [f"C{i}" for i in range(1, n + 1)],
            "last_purchase": [
                None if i % 5 == 0 else AS_OF - timedelta(days=i * 11) for i in range(n)
            ],
            "monetary_cents": [None if i % 5 == 0 else (i * 37) % 1000 for i in range(n)],
            "archived": [i % 7 == 0 for i in range(n)],
        }
    ).with_columns(
        pl.col("last_purchase").alias("first_purchase"),
        pl.when(pl.col("monetary_cents").is_not_null()).then(1).alias("frequency"),
        pl.when(pl.col("monetary_cents").is_not_null()).then(1).alias("purchase_days"),
    )
    base = base.with_columns(
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in BASE_SCHEMA.items()
        if name not in base.columns
    ).select(pl.col(name).cast(dtype) for name, dtype in BASE_SCHEMA.items())
    chunked = pl.concat([base.head(30), base.tail(n - 30)], rechunk=False)
    assert chunked.n_chunks() == 2
    segments = [
        CompiledSegment("Ativos", "fid", pl.col("status") == "ativo"),
        CompiledSegment("Com C", "c", pl.col("client_id").str.ends_with("3")),
    ]

    def result(frame: pl.DataFrame) -> pl.DataFrame:
        return segment_clients(
            frame.lazy(), empty_windows(), as_of=AS_OF, settings=Settings(), segments=segments
        ).collect(engine="in-memory")

    out = result(chunked)
    assert out.equals(result(base), null_equal=True)
    assert out.get_column("client_id").to_list() == [f"C{i}" for i in range(1, n + 1)]
    assert out.filter(pl.col("archived")).get_column("excluded").all()
    assert out.filter(pl.col("client_id") == "C13").get_column("segment").item() == "Com C"


def _cadence_by_hand(
    segment: str | None,
    last_purchase: date | None,
    last_interaction: date | None,
    cadences: dict[str, tuple[int, int]],
) -> str | None:
    """DESIGN.md's cadence, one client at a time in plain Python."""
    if segment not in cadences:
        return None
    ideal, maximum = cadences[segment]
    contacts = [day for day in (last_purchase, last_interaction) if day is not None]
    if not contacts:
        return "atrasado"
    days = (AS_OF - max(contacts)).days
    return "em_dia" if days <= ideal else "atencao" if days <= maximum else "atrasado"


def test_the_cadence_computed_in_the_plan_follows_each_clients_segment() -> None:
    """With `contacts`, the plan's cadence (taken by the matching segment's position) is the
    rule worked out client by client from the result's segment: segments with and without a
    cadence, a client in none, with and without an interaction, never a buyer."""
    from carteira_tui.engine.cadence import Contacts

    clients = list(range(1, 9))
    orders = [
        (1, AS_OF - timedelta(days=20), 50_000),
        (2, AS_OF - timedelta(days=40), 900),
        (3, AS_OF - timedelta(days=200), 1_000),
        (4, AS_OF - timedelta(days=800), 300),
        (5, AS_OF - timedelta(days=70), 20_000),
        (6, AS_OF - timedelta(days=20), 100),
    ]
    segments = [
        CompiledSegment("Grandes", "vip", pl.col("monetary_cents") >= 20_000),
        CompiledSegment("Ativos", "fid", pl.col("status") == "ativo"),
        CompiledSegment("Inativos", "re", pl.col("status") == "inativo_recente"),
        CompiledSegment("Prospects", "nut", pl.col("status") == "prospect"),
    ]
    cadences = {"Grandes": (10, 30), "Ativos": (30, 60), "Prospects": (5, 10)}
    last = pl.DataFrame(
        {
            ID: [2, 3, 7],
            "last_interaction": [AS_OF - timedelta(days=3), AS_OF - timedelta(days=100), AS_OF],
        }
    )
    aggregates = order_aggregates(
        pl.LazyFrame(
            orders,
            schema={"client_id": pl.Int64, "date": pl.Date, "amount_cents": pl.Int64},
            orient="row",
        )
    ).rename({"client_id": ID})
    base = (
        pl.LazyFrame({ID: clients}, schema={ID: pl.Int64})
        .with_columns(pl.col(ID).cast(pl.String).alias("external_id"))
        .join(aggregates, on=ID, how="left")
    )
    base = base.with_columns(
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in BASE_SCHEMA.items()
        if name not in base.collect_schema()
    ).select(list(BASE_SCHEMA))
    out = segment_clients(
        base,
        empty_windows(),
        as_of=AS_OF,
        settings=Settings(),
        segments=segments,
        contacts=Contacts(last, cadences),
    ).collect(engine="in-memory")
    interactions = dict(zip(last.get_column(ID), last.get_column("last_interaction"), strict=True))
    expected = [
        _cadence_by_hand(segment, bought, interactions.get(client), cadences)
        for client, segment, bought in out.select(ID, "segment", "last_purchase").iter_rows()
    ]
    assert out.get_column("cadence").to_list() == expected
    assert set(expected) == {"em_dia", "atencao", "atrasado", None}


@hsettings(max_examples=40, deadline=None)
@given(
    amounts=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=12),
            st.integers(min_value=0, max_value=400),
            st.sampled_from([-500, 0, 100, 100, 250, 900, 5000]),
        ),
        max_size=40,
    ),
    chosen=st.sets(st.integers(min_value=1, max_value=12)),
)
def test_a_few_clients_classed_with_the_portfolios_figures_match_the_whole_run(
    amounts: list[tuple[int, int, int]], chosen: set[int]
) -> None:
    """What re-segmenting only the clients an import touched relies on: r, f, m, the class and
    everything after them, for any subset, equal the whole run's rows when the subset is
    compared with the figures of all clients (ties, prospects and refunds included)."""
    settings = Settings()
    orders = [(c, AS_OF - timedelta(days=d), cents) for c, d, cents in amounts]
    base, windows = inputs(list(range(1, 13)), orders, settings)
    whole = segment_clients(base, windows, as_of=AS_OF, settings=settings).collect()
    figures = metrics.portfolio_figures(
        metrics.figure_inputs(base.sort(ID), as_of=AS_OF).collect(), settings
    )
    some = segment_clients(
        base.filter(pl.col(ID).is_in(sorted(chosen))),
        windows,
        as_of=AS_OF,
        settings=settings,
        figures=figures,
    ).collect()
    assert some.equals(whole.filter(pl.col(ID).is_in(sorted(chosen))), null_equal=True)


def test_figures_survive_their_json_form() -> None:
    settings = Settings()
    orders = [(1, AS_OF, 500), (2, AS_OF - timedelta(days=3), 500), (3, AS_OF, 100)]
    base, _windows = inputs([1, 2, 3, 4], orders, settings)
    figures = metrics.portfolio_figures(
        metrics.figure_inputs(base, as_of=AS_OF).collect(), settings
    )
    assert metrics.Figures.from_json(figures.to_json()) == figures
