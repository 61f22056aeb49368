"""`QueryBar`: the Clientes pane's search and filter lines, and the filter's message under them.

Which lines show, and the message under the filter, is state (`search_open`, `filter_open`,
`message` reactives) with watch methods; the pane reads the typed text from the inputs'
`Input.Changed` messages, which bubble up to it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Input, Static

from carteira_tui.vocab import clients as client_words


class QueryBar(Vertical):
    """`/` opens the search line, `f` the filter line (with its message); esc closes both."""

    DEFAULT_CSS = """
    QueryBar { height: auto; }
    """

    search_open: reactive[bool] = reactive(False)
    filter_open: reactive[bool] = reactive(False)
    message: reactive[tuple[str, bool]] = reactive(("", False), init=False)
    """The line under the filter (text, is it an error): a count, or the error with a caret
    under its column."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar", classes="bar hidden"):
            yield Static("Buscar:", classes="bar-label")
            yield Input(placeholder=client_words.SEARCH_PLACEHOLDER, id="search-input")
        with Horizontal(id="filter-bar", classes="bar hidden"):
            yield Static("Filtro:", classes="bar-label")
            yield Input(placeholder="ex.: status = ativo and abc = A", id="filter-input")
        yield Static("", id="filter-message", classes="hidden")

    def watch_search_open(self, is_open: bool) -> None:
        self.query_one("#search-bar").set_class(not is_open, "hidden")

    def watch_filter_open(self, is_open: bool) -> None:
        self.query_one("#filter-bar").set_class(not is_open, "hidden")
        self.query_one("#filter-message").set_class(not is_open, "hidden")

    def open_search(self) -> None:
        """Show the search line and type in it."""
        self.search_open = True
        self.query_one("#search-input", Input).focus()

    def open_filter(self) -> None:
        """Show the filter line (and its message) and type in it."""
        self.filter_open = True
        self.query_one("#filter-input", Input).focus()

    def show(self, search: str, filter_text: str) -> None:
        """Put `search` and `filter_text` in the lines; a line shows when it holds text."""
        self.query_one("#search-input", Input).value = search
        self.query_one("#filter-input", Input).value = filter_text
        self.search_open = bool(search)
        self.filter_open = bool(filter_text)

    def clear(self) -> None:
        """Empty both lines and close them."""
        self.show("", "")

    def watch_message(self, message: tuple[str, bool]) -> None:
        text, is_error = message
        line = self.query_one("#filter-message", Static)
        line.update(text)
        line.set_class(is_error, "error")
