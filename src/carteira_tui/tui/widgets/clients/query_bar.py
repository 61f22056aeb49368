"""`QueryBar`: the Clientes pane's search and filter lines, and the filter's message under them.

Which lines show is state (`search_open`, `filter_open` reactives) with watch methods; the pane
reads the typed text from the inputs' `Input.Changed` messages, which bubble up to it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Input, Static


class QueryBar(Vertical):
    """`/` opens the search line, `f` the filter line (with its message); esc closes both."""

    DEFAULT_CSS = """
    QueryBar { height: auto; }
    """

    search_open: reactive[bool] = reactive(False)
    filter_open: reactive[bool] = reactive(False)

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar", classes="bar hidden"):
            yield Static("Buscar:", classes="bar-label")
            yield Input(placeholder="nome, documento, e-mail ou telefone", id="search-input")
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

    def show_message(self, text: str, is_error: bool) -> None:
        """The line under the filter: a count, or the error with a caret under its column."""
        message = self.query_one("#filter-message", Static)
        message.update(text)
        message.set_class(is_error, "error")
