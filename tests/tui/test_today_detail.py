"""`TodayDetail`: Hoje's detail lines, wrapped by hand and repainted only where they changed."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region

from carteira_tui.tui.widgets.today_detail import TodayDetail, changed_span, wrap_lines


def test_lines_wrap_at_words_and_a_long_word_is_cut() -> None:
    assert wrap_lines("Cliente A; comprava a cada 7 dias\nRecompra", 16) == [
        "Cliente A;",
        "comprava a cada",
        "7 dias",
        "Recompra",
    ]
    assert wrap_lines("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap_lines("", 10) == [""]


def test_the_changed_span_is_from_the_first_to_the_last_differing_cell() -> None:
    assert changed_span("há 64 sem comprar", "há 64 sem comprar") is None
    assert changed_span("há 64 sem comprar", "há 829 sem comprar") == (3, 18)
    assert changed_span("C0000258 Ana", "C0000933 Ana") == (5, 8)
    assert changed_span("longer line", "long") == (4, 11)  # the tail is blanked
    assert changed_span("日本", "日本語") == (0, 6)  # wide characters: the whole line


class DetailApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TodayDetail(id="detail")


async def test_showing_the_next_row_refreshes_only_the_lines_that_differ() -> None:
    app = DetailApp()
    async with app.run_test(size=(40, 6)) as pilot:
        detail = app.query_one(TodayDetail)
        detail.show("C1 Ana · WhatsApp\nCliente A; 64 dias\nRecompra")
        await pilot.pause()
        refreshed: list[Region] = []
        original = detail.refresh

        def spy(*regions: Region, **kwargs: bool) -> TodayDetail:
            refreshed.extend(regions)
            return original(*regions, **kwargs)

        detail.refresh = spy  # type: ignore[method-assign]
        detail.show("C2 Bia · WhatsApp\nCliente A; 64 dias\nRecompra; Aniversário")
        # "1 Ana" → "2 Bia" (cells 1–4) and the tasks line grows; the "why" line is the same
        assert refreshed == [Region(1, 0, 4, 1), Region(8, 2, 13, 1)]
        assert detail.text.endswith("Aniversário")
        assert detail.render_line(2).text.rstrip() == "Recompra; Aniversário"
