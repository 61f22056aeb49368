"""The client view: the rules that turn the segmentation result into the list people browse,
and saved views that name a filter, search and sort to open them again later.

The rules (one place, used by the Clientes pane and anything that lists clients the same way):
archived clients leave the list; the search key is the name, e-mail and code in lower case
without accents plus the document and phone as digits; a query that looks like a number
searches digits; a sort word may be a column, its pt-BR header or an alias (`valor`, `recência`);
`ClientViewBuilder` sorts, filters and searches the list, step by step with each step kept.

The Clientes pane calls the saved-view functions (`ctrl+s` saves, `ctrl+o` lists and opens).
Each opens its own connection; a save checks the filter text compiles before it is written, so
a stored view always opens.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from carteira_tui.engine.filters import FilterError, compile_filter, validate_filter
from carteira_tui.engine.schema import RESULT_SCHEMA
from carteira_tui.errors import CarteiraError
from carteira_tui.store import views as store
from carteira_tui.store.audit import current_user, write_audit
from carteira_tui.store.db import connect
from carteira_tui.vocab import filters as filter_words

NAME_MAX = 60

# -- the client view's rules ---------------------------------------------------------------------

SEARCH_KEY = "_search"
"""Precomputed lowercase, accent-free text of name, document, e-mail and phone."""

SEARCH_SOURCES = ("name", "email", "client_id")
DIGIT_SOURCES = ("document", "phone")
_DIGITS_ONLY = re.compile(r"[\d\s.\-/()+]+")


ACCENTED = "áàâãäåéèêëíìîïóòôõöúùûüçñýÿ"
PLAIN = "aaaaaaeeeeiiiiooooouuuucnyy"
_UNACCENT = str.maketrans(ACCENTED, PLAIN)
_PUNCTUATION = [".", "-", "/", "(", ")", " ", "+"]


def normalize_text(text: str) -> str:
    """Lowercase without accents, exactly as the search key is built."""
    return text.lower().translate(_UNACCENT)


def with_search_key(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` plus `_search`: normalized name, e-mail and code, and digit-only document/phone.

    Accents go through one `replace_many` over the lowercased text (four times faster on 1M
    rows than Unicode NFD plus a regex).
    """
    texts = [pl.col(c).cast(pl.String) for c in SEARCH_SOURCES if c in frame.columns]
    digits = [
        pl.col(c).cast(pl.String).str.replace_many(_PUNCTUATION, [""] * len(_PUNCTUATION))
        for c in DIGIT_SOURCES
        if c in frame.columns
    ]
    if not texts and not digits:
        return frame.with_columns(pl.lit("").alias(SEARCH_KEY))
    parts: list[pl.Expr] = []
    if texts:
        text = pl.concat_str(texts, separator=" ", ignore_nulls=True).str.to_lowercase()
        parts.append(text.str.replace_many(list(ACCENTED), list(PLAIN)))
    key = pl.concat_str([*parts, *digits], separator=" ", ignore_nulls=True)
    return frame.with_columns(key.alias(SEARCH_KEY))


def search_needle(query: str) -> str:
    """What to look for in the search key: digits only when the query looks like a number."""
    query = query.strip()
    if query and _DIGITS_ONLY.fullmatch(query) and any(ch.isdigit() for ch in query):
        return re.sub(r"\D", "", query)
    return normalize_text(query)


def search_clients(frame: pl.DataFrame, query: str) -> pl.DataFrame:
    """The rows whose search key contains the normalized query (all rows for an empty one)."""
    needle = search_needle(query)
    if not needle:
        return frame
    return frame.filter(pl.col(SEARCH_KEY).str.contains(needle, literal=True))


def client_list(results: pl.DataFrame) -> pl.DataFrame:
    """The clients people browse: the segmentation result without the archived (Limpeza
    archives; `carteira clean --restore` brings one back), with the search key."""
    if "archived" in results.columns:
        results = results.filter(~pl.col("archived").fill_null(False))
    return with_search_key(results)


SORT_ALIASES: dict[str, str] = {
    "monetary": "monetary_cents",
    "valor": "monetary_cents",
    "receita": "monetary_cents",
    "recencia": "recency_days",
    "recency": "recency_days",
    "pedidos": "frequency",
    "frequencia": "frequency",
    "codigo": "client_id",
    "nome": "name",
    "cidade": "city",
    "segmento": "segment",
    "responsavel": "owner",
}
"""Words `:ordenar` accepts besides the column names and the table's pt-BR headers."""


def sort_column_for(
    word: str, columns: Sequence[str], labels: Mapping[str, str] | None = None
) -> str | None:
    """The frame column a person means by `word`: a column name, one of the `labels` the
    screen shows (column → header), or an alias; None when it names none of `columns`."""
    key = normalize_text(word.strip()).replace(" ", "_")
    if key in columns:
        return key
    for column, label in (labels or {}).items():
        if normalize_text(label).replace(" ", "_") == key and column in columns:
            return column
    alias = SORT_ALIASES.get(key)
    return alias if alias in columns else None


class FilterFailed(CarteiraError, ValueError):
    """The filter text cannot be applied; `message` (pt-BR) and the 1-based text `column`."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column


def apply_filter(frame: pl.DataFrame, filter_text: str, *, as_of: date) -> pl.DataFrame:
    """The rows of `frame` the filter-language text keeps (all rows for empty text)."""
    if not filter_text.strip():
        return frame
    try:
        expression = compile_filter(filter_text, as_of=as_of, schema=dict(frame.schema))
        return frame.filter(expression)
    except FilterError as error:
        raise FilterFailed(error.message, error.column) from error
    except pl.exceptions.PolarsError as error:
        raise FilterFailed(str(error).splitlines()[0]) from error


def sort_clients(frame: pl.DataFrame, column: str | None, descending: bool) -> pl.DataFrame:
    """`frame` sorted by `column` (nulls last, ties in their order); as is for no column."""
    if column is None or column not in frame.columns:
        return frame
    return frame.sort(column, descending=descending, nulls_last=True, maintain_order=True)


@dataclass(frozen=True)
class ViewQuery:
    """What a person asked the list to show: a sort, a filter and a search."""

    sort_column: str | None = None
    sort_descending: bool = False
    filter_text: str = ""
    search: str = ""


class ClientViewBuilder:
    """Builds the client view: sorted base -> filter -> search, each step kept so that typing
    only redoes the last. Filtering keeps row order, so the base is sorted once per sort order;
    a search that extends the previous one searches the previous result only.

    One builder per list; `build` may run in a thread worker (one at a time per builder).
    """

    def __init__(self) -> None:
        self._sorted: tuple[object, pl.DataFrame] | None = None
        self._filtered: tuple[object, pl.DataFrame] | None = None
        self._searched: tuple[object, str, pl.DataFrame] | None = None

    def build(self, frame: pl.DataFrame, query: ViewQuery, *, as_of: date) -> pl.DataFrame:
        """The rows of `frame` `query` shows, in its order; `FilterFailed` for a bad filter."""
        sort_key = (id(frame), query.sort_column, query.sort_descending)
        if self._sorted is None or self._sorted[0] != sort_key:
            sorted_frame = sort_clients(frame, query.sort_column, query.sort_descending)
            self._sorted = (sort_key, sorted_frame)
        filter_key = (sort_key, query.filter_text.strip())
        if self._filtered is None or self._filtered[0] != filter_key:
            kept = apply_filter(self._sorted[1], query.filter_text, as_of=as_of)
            self._filtered = (filter_key, kept)
        needle = search_needle(query.search)
        previous, source = self._searched, self._filtered[1]
        if previous is not None and previous[0] == filter_key and previous[1] in needle:
            source = previous[2]
        result = search_clients(source, query.search)
        self._searched = (filter_key, needle, result)
        return result


# -- saved views -----------------------------------------------------------------------------------


class ViewError(CarteiraError, ValueError):
    """A view that cannot be saved, opened or deleted, with a pt-BR message."""


@dataclass(frozen=True)
class SavedView:
    """A named filter + search + sort of the Clientes pane."""

    name: str
    search: str = ""
    filter_text: str = ""
    sort_column: str | None = None
    sort_descending: bool = False
    who: str | None = None
    updated_at: str | None = None


def _view(row: store.ViewRow) -> SavedView:
    return SavedView(
        row.name,
        row.search,
        row.filter,
        row.sort_column,
        row.sort_descending,
        row.who,
        row.updated_at,
    )


def list_views(db_path: Path) -> list[SavedView]:
    """Every saved view, by name."""
    with connect(db_path) as db:
        return [_view(row) for row in store.read_views(db)]


def save_view(
    db_path: Path,
    *,
    name: str,
    search: str = "",
    filter_text: str = "",
    sort_column: str | None = None,
    sort_descending: bool = False,
) -> SavedView:
    """Store the view under `name`, replacing one of the same name (any case)."""
    name = " ".join(name.split())
    if not name:
        raise ViewError(filter_words.VIEW_NAME_REQUIRED)
    if len(name) > NAME_MAX:
        raise ViewError(filter_words.view_name_too_long(NAME_MAX))
    if filter_text.strip():
        problem = validate_filter(filter_text)
        if problem is not None:
            raise ViewError(filter_words.invalid_filter(problem.message))
    if sort_column is not None and sort_column not in RESULT_SCHEMA:
        raise ViewError(filter_words.unknown_sort_column(sort_column))
    row = store.ViewRow(
        name,
        search.strip(),
        filter_text.strip(),
        sort_column,
        sort_descending and sort_column is not None,
        current_user(),
        "",
    )
    with connect(db_path) as db, db.atomic():
        stored = store.upsert_view(db, row)
        write_audit(
            db,
            action="salvar_visao",
            entity="saved_views",
            summary=filter_words.audit_view_saved(stored.name),
            after={"search": stored.search, "filter": stored.filter, "sort": stored.sort_column},
        )
    return _view(stored)


def open_view(db_path: Path, *, name: str) -> SavedView:
    """The view called `name` (any case)."""
    with connect(db_path) as db:
        row = store.read_view(db, name.strip())
    if row is None:
        raise ViewError(filter_words.view_not_found(name))
    return _view(row)


def delete_view(db_path: Path, *, name: str) -> None:
    """Delete the view called `name` (any case)."""
    with connect(db_path) as db, db.atomic():
        if not store.delete_view(db, name.strip()):
            raise ViewError(filter_words.view_not_found(name))
        write_audit(
            db,
            action="apagar_visao",
            entity="saved_views",
            summary=filter_words.audit_view_deleted(name),
        )
