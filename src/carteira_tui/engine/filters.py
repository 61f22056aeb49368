"""The filter language: people's inclusion/exclusion text compiled into Polars expressions.

Used by segments (`services.segmentation`), the Clientes filter bar (`tui.screens.clients`) and
the CLI. Text such as `status in (ativo, inativo_recente) and monetary >= 1.000,00 and not
inadimplente` goes through a hand-written tokenizer and a recursive-descent parser (never eval)
into a small AST, then into one boolean `pl.Expr` over the segmentation result columns
(`engine.schema.RESULT_SCHEMA`).

Grammar (precedence: `not` > `and` > `or`; keywords in English or Portuguese, any case/accent):

    expr    := and (("or" | "ou") and)*
    and     := unary (("and" | "e") unary)*
    unary   := ("not" | "não") unary | "(" expr ")" | test
    test    := field                                   -- a bool field alone
             | field op value                          -- = == != <> < <= > >= ~
             | field ["not"] "in" "(" value ("," value)* ")"
             | field "has" value                       -- tags
             | field ("is" | "é") ["not" | "não"] ("null" | "nulo" | "vazio")
    value   := number | "text" | 'text' | word | date | relative
    date    := dd/mm/aaaa | aaaa-mm-dd
    relative:= ["hoje" | "today"] [("+" | "-") integer unit]    unit: dias meses anos semanas …

Null semantics (predictable for people): every single test on a null value is false, and it is
made false BEFORE `not`/`and`/`or` apply (`fill_null(False)`). So `recency > 90` never matches a
prospect, `uf != "SP"` and `uf not in (SP, RJ)` do not match a client without UF, and
`not (recency > 90)` does match prospects. Ask for nulls explicitly with `is null` /
`is not null` (empty text counts as null).

Money is typed in reais (`1.234,56` or `1234.56`) and compared exactly on `monetary_cents`.
Text `=`/`!=`/`in` and `~` (contains) ignore case and accents; document, phone and CEP compare
without punctuation. A number with a comma inside a list, `(4,5)`, is two numbers.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

import polars as pl
from dateutil.relativedelta import relativedelta

from carteira_tui.errors import CarteiraError
from carteira_tui.fields import FALSE_WORDS, TRUE_WORDS
from carteira_tui.fields import field as registry_field
from carteira_tui.model import Col, RfmSegment, Status
from carteira_tui.vocab import filters as words

# --- errors ----------------------------------------------------------------------------------


class FilterError(CarteiraError, ValueError):
    """A mistake in filter text: pt-BR `message`, 1-based `column`, the `text` it refers to."""

    def __init__(self, message: str, column: int, text: str) -> None:
        super().__init__(words.at_column(column, message))
        self.message = message
        self.column = column
        self.text = text

    def caret(self) -> str:
        """The text with a `^` under the column of the error (for monospace screens)."""
        return f"{self.text}\n{' ' * (self.column - 1)}^"


# --- field catalogue -------------------------------------------------------------------------


class FieldType(StrEnum):
    """How a field's values are typed and compared."""

    NUMBER = "número"
    MONEY = "dinheiro"
    TEXT = "texto"
    DATE = "data"
    BOOL = "sim/não"
    ENUM = "lista"
    TAGS = "etiquetas"


@dataclass(frozen=True)
class FieldInfo:
    """One field of the language: its names, the result column it reads and its type."""

    name: str
    """The pt-BR name shown in help and messages."""
    column: str
    type: FieldType
    aliases: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    """Allowed values of an enum field (stored spelling)."""
    description: str = ""
    cents: bool = False
    """Money held as integer centavos in `column` (the language still speaks reais)."""
    punctuation_free: bool = False
    """Text compared without punctuation (document, phone, CEP)."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the field answers to."""
        return (self.name, *self.aliases)


_T = FieldType
_STATUSES = tuple(s.value for s in Status)
_RFM = tuple(s.value for s in RfmSegment)


def _label(column: str, *, lower: bool = True) -> str:
    """The field registry's pt-BR label of a client record field, as the language's help says
    it (lower case unless it is an acronym such as UF)."""
    label = registry_field("clients", column).label
    return label.lower() if lower else label


FIELDS: tuple[FieldInfo, ...] = (
    FieldInfo("status", Col.STATUS, _T.ENUM, ("situacao",), _STATUSES, "situação por recência"),
    FieldInfo("curva", Col.ABC, _T.ENUM, ("abc", "classe"), ("A", "B", "C"), "Curva ABC"),
    FieldInfo(
        "segmento_rfm", Col.RFM_SEGMENT, _T.ENUM, ("rfm", "rfm_segment"), _RFM, "segmento RFM"
    ),
    FieldInfo("segmento", Col.SEGMENT, _T.TEXT, ("segment",), (), "segmento nomeado"),
    FieldInfo(
        "cadencia",
        "cadence",
        _T.ENUM,
        ("cadence",),
        ("em_dia", "atencao", "atrasado"),
        "cadência de contato do segmento",
    ),
    FieldInfo(
        "recencia", Col.RECENCY_DAYS, _T.NUMBER, ("recency", "recency_days"), (), "dias sem comprar"
    ),
    FieldInfo("frequencia", Col.FREQUENCY, _T.NUMBER, ("frequency",), (), "número de pedidos"),
    FieldInfo(
        "valor",
        Col.MONETARY_CENTS,
        _T.MONEY,
        ("monetary", "receita", "monetario"),
        (),
        "total comprado (R$)",
        cents=True,
    ),
    FieldInfo("ticket_medio", Col.AVG_TICKET, _T.MONEY, ("avg_ticket",), (), "ticket médio (R$)"),
    FieldInfo("ciclo", Col.CYCLE_DAYS, _T.NUMBER, ("cycle_days",), (), "dias entre compras"),
    FieldInfo("atraso", Col.OVERDUE_DAYS, _T.NUMBER, ("overdue_days",), (), "dias além do ciclo"),
    FieldInfo("r", Col.R, _T.NUMBER, (), (), "nota R (1..5)"),
    FieldInfo("f", Col.F, _T.NUMBER, (), (), "nota F (1..5)"),
    FieldInfo("m", Col.M, _T.NUMBER, (), (), "nota M (1..5)"),
    FieldInfo("esfriando", Col.COOLING, _T.BOOL, ("cooling",), (), "comprando menos"),
    FieldInfo("excluido", Col.EXCLUDED, _T.BOOL, ("excluded",), (), "fora dos planos de ação"),
    FieldInfo("primeira_compra", Col.FIRST_PURCHASE, _T.DATE, ("first_purchase",), (), "data"),
    FieldInfo("ultima_compra", Col.LAST_PURCHASE, _T.DATE, ("last_purchase",), (), "data"),
    FieldInfo("nascimento", "birth_date", _T.DATE, ("birth_date",), (), "data de nascimento"),
    FieldInfo(
        "mes_aniversario",
        "birth_date",
        _T.NUMBER,
        ("birth_month",),
        (),
        "mês do nascimento (1..12 ou nome)",
    ),
    FieldInfo("nome", Col.NAME, _T.TEXT, ("name",), (), "nome do cliente"),
    FieldInfo("codigo", Col.CLIENT_ID, _T.TEXT, ("client_id", "id"), (), "código do cliente"),
    FieldInfo(
        "documento",
        "document",
        _T.TEXT,
        ("document", "cpf", "cnpj"),
        (),
        _label("document", lower=False),
        punctuation_free=True,
    ),
    FieldInfo("email", "email", _T.TEXT, ("e_mail",), (), _label("email")),
    FieldInfo(
        "telefone", "phone", _T.TEXT, ("phone", "fone"), (), _label("phone"), punctuation_free=True
    ),
    FieldInfo("cidade", "city", _T.TEXT, ("city",), (), _label("city")),
    FieldInfo("uf", "uf", _T.TEXT, ("estado",), (), _label("uf", lower=False)),
    FieldInfo("cep", "cep", _T.TEXT, (), (), _label("cep", lower=False), punctuation_free=True),
    FieldInfo("responsavel", Col.OWNER, _T.TEXT, ("owner",), (), _label("owner")),
    FieldInfo("tags", "tags", _T.TAGS, ("etiquetas",), (), 'etiquetas: tags has "vip"'),
    FieldInfo("inadimplente", "delinquent", _T.BOOL, ("delinquent",), (), _label("delinquent")),
    FieldInfo(
        "restricao_credito",
        "credit_restriction",
        _T.BOOL,
        ("credit_restriction",),
        (),
        _label("credit_restriction"),
    ),
    FieldInfo("opt_out", "opt_out", _T.BOOL, ("optout",), (), "não quer contato"),
    FieldInfo("arquivado", "archived", _T.BOOL, ("archived",), (), _label("archived")),
    FieldInfo("faixa_renda", "income_band", _T.TEXT, ("income_band",), (), _label("income_band")),
    FieldInfo("sexo", "gender", _T.TEXT, ("gender", "genero"), (), "sexo/gênero"),
    # the forecast (issue 17): null until a fit is kept, and for prospects
    FieldInfo(
        "chance_cliente",
        "p_alive",
        _T.NUMBER,
        ("p_alive",),
        (),
        "chance de ainda ser cliente (0 a 1)",
    ),
    FieldInfo(
        "compras_90d",
        "expected_orders_90d",
        _T.NUMBER,
        ("expected_orders_90d", "compras_esperadas"),
        (),
        "compras esperadas em 90 dias",
    ),
    FieldInfo(
        "ticket_esperado",
        "expected_ticket",
        _T.MONEY,
        ("expected_ticket",),
        (),
        "ticket esperado (R$)",
    ),
    FieldInfo(
        "valor_12m",
        "expected_value_12m",
        _T.MONEY,
        ("expected_value_12m", "valor_esperado"),
        (),
        "valor esperado em 12 meses (R$)",
    ),
    FieldInfo(
        "a_caminho_da_inativacao",
        "heading_out",
        _T.BOOL,
        ("heading_out",),
        (),
        "cliente A cuja chance de ainda ser cliente caiu 20 pontos desde a execução anterior",
    ),
)
"""Every field of the language, pt-BR name first."""


def describe_fields() -> list[FieldInfo]:
    """The field catalogue for help screens and error messages."""
    return list(FIELDS)


def _fold(text: str) -> str:
    """Lower case without accents (`Não` -> `nao`)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _key(text: str) -> str:
    """Enum/keyword key: folded, non-alphanumeric runs as one `_` (`Em risco` -> `em_risco`)."""
    return re.sub(r"[^0-9a-z]+", "_", _fold(text)).strip("_")


_FIELD_BY_NAME: dict[str, FieldInfo] = {_key(n): f for f in FIELDS for n in f.names}
_FIELD_NAMES = ", ".join(f.name for f in FIELDS)

# --- tokens ----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    |(?P<date>[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}(?![0-9/])|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9-]))
    |(?P<number>[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?(?![0-9.])|[0-9]+(?:[.,][0-9]+)?)
    |(?P<op><>|!=|<=|>=|==|=|<|>|~)
    |(?P<punct>[(),+-])
    |(?P<string>"[^"]*"|'[^']*')
    |(?P<word>[^\W0-9][\w]*)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    """One lexical unit; `pos` is 0-based in the text."""

    kind: str
    text: str
    pos: int

    @property
    def word(self) -> str:
        """The keyword key of a word token ('' for anything else)."""
        return _key(self.text) if self.kind == "word" else ""


def tokenize(text: str) -> list[Token]:
    """Split filter text into tokens ending with an `end` token; FilterError on a stray char."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            char = text[pos]
            if char in "\"'":
                raise FilterError(words.unclosed_quote(char), pos + 1, text)
            raise FilterError(words.unexpected_character(char), pos + 1, text)
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text.rstrip())))
    return tokens


# --- AST -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A literal as typed; dates relative to `as_of` are resolved only when compiling."""

    kind: str
    """`number`, `text` (quoted), `word` (unquoted), `date` or `relative`."""
    raw: str
    pos: int
    number: Decimal | None = None
    day: date | None = None
    amount: int = 0
    unit: str = "days"


@dataclass(frozen=True)
class Predicate:
    """One test on one field: `op` is a comparison, `in`, `not in`, `has`, `null`, `not null`
    or `bool` (the field alone)."""

    field: FieldInfo
    op: str
    values: tuple[Value, ...]
    pos: int
    op_pos: int


@dataclass(frozen=True)
class Not:
    """Negation of a node."""

    node: Node


@dataclass(frozen=True)
class And:
    """All nodes hold."""

    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any node holds."""

    nodes: tuple[Node, ...]


Node = Predicate | Not | And | Or

# --- parser ----------------------------------------------------------------------------------

_AND = {"and", "e"}
_OR = {"or", "ou"}
_NOT = {"not", "nao"}
_IN = {"in", "em"}
_IS = {"is", "e"}
_NULL = {"null", "nulo", "vazio", "none"}
_HAS = {"has", "tem", "contem"}
_TODAY = {"hoje", "today"}
_UNITS = {
    **dict.fromkeys(("d", "dia", "dias", "day", "days"), "days"),
    **dict.fromkeys(("semana", "semanas", "week", "weeks"), "weeks"),
    **dict.fromkeys(("mes", "meses", "month", "months"), "months"),
    **dict.fromkeys(("ano", "anos", "year", "years"), "years"),
}
_MAX_DEPTH = 64
_MAX_NUMBER = Decimal(10) ** 15


@dataclass
class _Parser:
    text: str
    tokens: list[Token]
    index: int = 0
    depth: int = 0
    seen: list[str] = field(default_factory=list)

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def error(self, message: str, pos: int | None = None) -> FilterError:
        return FilterError(message, (self.token.pos if pos is None else pos) + 1, self.text)

    def describe(self, token: Token) -> str:
        return words.END_OF_FILTER if token.kind == "end" else f"'{token.text}'"

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise self.error(words.EMPTY_FILTER)
        node = self.parse_or()
        if self.token.kind != "end":
            if self.token.text == ")":
                raise self.error(words.UNMATCHED_CLOSE)
            if self.token.kind == "word" and self.tokens[self.index - 1].kind == "word":
                raise self.error(words.expected_and_or_end_word(self.token.text))
            raise self.error(words.expected_and_or_end(self.describe(self.token)))
        return node

    def parse_or(self) -> Node:
        nodes = [self.parse_and()]
        while self.token.word in _OR:
            self.advance()
            nodes.append(self.parse_and())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def parse_and(self) -> Node:
        nodes = [self.parse_unary()]
        while self.token.word in _AND:
            self.advance()
            nodes.append(self.parse_unary())
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def parse_unary(self) -> Node:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.error(words.TOO_NESTED)
        try:
            token = self.token
            if token.word in _NOT:
                self.advance()
                return Not(self.parse_unary())
            if token.text == "(":
                self.advance()
                node = self.parse_or()
                if self.token.text != ")":
                    if self.token.kind == "end":
                        raise self.error(words.UNCLOSED_PARENTHESIS, token.pos)
                    raise self.error(words.expected("')'", self.describe(self.token)))
                self.advance()
                return node
            return self.parse_test()
        finally:
            self.depth -= 1

    def parse_field(self) -> tuple[FieldInfo, Token]:
        token = self.token
        if token.kind != "word":
            raise self.error(words.expected_field(self.describe(token), _FIELD_NAMES))
        info = _FIELD_BY_NAME.get(token.word)
        if info is None:
            close = difflib.get_close_matches(token.word, list(_FIELD_BY_NAME), n=1, cutoff=0.6)
            raise self.error(
                words.unknown_field(token.text, close[0] if close else None, _FIELD_NAMES)
            )
        self.advance()
        return info, token

    def parse_test(self) -> Predicate:
        info, name = self.parse_field()
        token = self.token
        if token.kind == "op":
            self.advance()
            op = {"==": "=", "<>": "!="}.get(token.text, token.text)
            return Predicate(info, op, (self.parse_value(token),), name.pos, token.pos)
        word = token.word
        if word in _NOT and self.tokens[self.index + 1].word in _IN:
            self.advance()
            self.advance()
            return Predicate(info, "not in", self.parse_list(token), name.pos, token.pos)
        if word in _IN:
            self.advance()
            return Predicate(info, "in", self.parse_list(token), name.pos, token.pos)
        if word in _HAS:
            self.advance()
            return Predicate(info, "has", (self.parse_value(token),), name.pos, token.pos)
        if word in _IS and self.null_follows(self.index + 1):
            self.advance()
            negated = self.token.word in _NOT
            if negated:
                self.advance()
            if self.token.word not in _NULL:
                raise self.error(words.expected(words.NULL_OR_EMPTY, self.describe(self.token)))
            self.advance()
            return Predicate(info, "not null" if negated else "null", (), name.pos, token.pos)
        if word in _NOT and (
            self.tokens[self.index + 1].word in _NULL
            or (self.tokens[self.index + 1].word in _IS and self.null_follows(self.index + 2))
        ):
            # `campo não é vazio`
            self.advance()
            if self.token.word in _IS:
                self.advance()
            if self.token.word not in _NULL:
                raise self.error(words.expected("'vazio'", self.describe(self.token)))
            self.advance()
            return Predicate(info, "not null", (), name.pos, token.pos)
        if info.type is FieldType.BOOL:
            return Predicate(info, "bool", (), name.pos, name.pos)
        if token.kind == "end":
            raise self.error(words.expected_operator(name.text))
        raise self.error(words.expected_operator(name.text, self.describe(token)))

    def null_follows(self, index: int) -> bool:
        """`null`, `vazio`, `not null` … start at `index` (so `e` there means `is`, not `and`)."""
        first = self.tokens[index].word
        if first in _NULL:
            return True
        return first in _NOT and self.tokens[min(index + 1, len(self.tokens) - 1)].word in _NULL

    def parse_list(self, after: Token) -> tuple[Value, ...]:
        if self.token.text != "(":
            raise self.error(words.expected_open_after(after.text))
        opening = self.advance()
        values: list[Value] = []
        while True:
            token = self.token
            if token.kind == "number" and re.fullmatch(r"[0-9]+,[0-9]+", token.text):
                # `(4,5)` inside a list is two numbers, not four and a half
                self.advance()
                left, right = token.text.split(",")
                values.append(Value("number", left, token.pos, Decimal(left)))
                right_pos = token.pos + len(left) + 1
                values.append(Value("number", right, right_pos, Decimal(right)))
            else:
                values.append(self.parse_value(self.tokens[self.index - 1]))
            if self.token.text == ",":
                self.advance()
                continue
            if self.token.text == ")":
                self.advance()
                return tuple(values)
            if self.token.kind == "end":
                raise self.error(words.UNCLOSED_LIST, opening.pos)
            raise self.error(words.expected("',' ou ')'", self.describe(self.token)))

    def parse_value(self, after: Token) -> Value:
        token = self.token
        # `and`/`or` are never a bare value: `valor >= and …` misses the number
        missing = token.kind == "op" or token.word in _AND | _OR
        if token.kind == "end" or token.text in {")", ","} or missing:
            raise self.error(words.expected_value_after(after.text))
        if token.kind == "string":
            self.advance()
            return Value("text", token.text[1:-1], token.pos)
        if token.kind == "date":
            self.advance()
            return Value("date", token.text, token.pos, day=self.parse_date(token))
        if token.word in _TODAY:
            self.advance()
            if self.token.text in {"+", "-"}:
                return self.parse_relative(token.pos)
            return Value("relative", token.text, token.pos)
        if token.text in {"+", "-"} or token.kind == "number":
            return self.parse_signed(token.pos)
        if token.kind == "word":
            self.advance()
            return Value("word", token.text, token.pos)
        raise self.error(words.expected_value_after(after.text, token.text))

    def parse_signed(self, start: int) -> Value:
        sign = 1
        if self.token.text in {"+", "-"}:
            sign = -1 if self.advance().text == "-" else 1
        token = self.token
        if token.kind != "number":
            raise self.error(words.expected_number_after_sign(self.describe(token)))
        self.advance()
        number = sign * _decimal(token.text)
        if abs(number) > _MAX_NUMBER:
            raise self.error(words.NUMBER_TOO_LARGE, token.pos)
        unit = _UNITS.get(self.token.word)
        if unit is None:
            raw = self.text[start : token.pos + len(token.text)]
            return Value("number", raw, start, number)
        self.advance()
        return self.relative(start, number, unit, token.pos)

    def parse_relative(self, start: int) -> Value:
        sign = -1 if self.advance().text == "-" else 1
        token = self.token
        if token.kind != "number":
            raise self.error(words.expected_number_after_sign(self.describe(token)))
        self.advance()
        unit = _UNITS.get(self.token.word)
        if unit is None:
            raise self.error(words.UNIT_EXPECTED)
        self.advance()
        return self.relative(start, sign * _decimal(token.text), unit, token.pos)

    def relative(self, start: int, number: Decimal, unit: str, number_pos: int) -> Value:
        if number != number.to_integral_value() or abs(number) > 100_000:
            raise self.error(words.SMALL_WHOLE_NUMBER, number_pos)
        raw = self.text[
            start : self.tokens[self.index - 1].pos + len(self.tokens[self.index - 1].text)
        ]
        return Value("relative", raw, start, amount=int(number), unit=unit)

    def parse_date(self, token: Token) -> date:
        parts = re.split(r"[/-]", token.text)
        day, month, year = (parts[0], parts[1], parts[2]) if "/" in token.text else parts[::-1]
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise self.error(words.invalid_date(token.text), token.pos) from None


def _decimal(raw: str) -> Decimal:
    """`1.234,56`, `1234.56`, `1,5` and `1.000` (one thousand) as Decimal."""
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", raw):
        raw = raw.replace(".", "")
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the token pattern only lets digits through
        return Decimal(0)


MAX_FILTER_LENGTH = 10_000
"""Longer text is refused: Polars compiles `~`/`has` values into size-limited regexes."""


def parse_filter(text: str) -> Node:
    """The AST of filter text; FilterError (pt-BR, with column) on any mistake."""
    if len(text) > MAX_FILTER_LENGTH:
        raise FilterError(
            words.too_long(MAX_FILTER_LENGTH),
            MAX_FILTER_LENGTH + 1,
            text,
        )
    return _Parser(text, tokenize(text)).parse()


# --- compiler --------------------------------------------------------------------------------

_COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
_TRUE = frozenset(TRUE_WORDS)
_FALSE = frozenset(FALSE_WORDS)
"""Yes/no words: the field registry's, so a value the importer and the card take as sim/não
means the same in a filter."""
_MONTHS = {
    **{
        name: i
        for i, name in enumerate(
            (
                "janeiro fevereiro marco abril maio junho julho agosto setembro outubro "
                "novembro dezembro"
            ).split(),
            start=1,
        )
    },
    **{
        name: i
        for i, name in enumerate(
            (
                "january february march april may june july august september october "
                "november december"
            ).split(),
            start=1,
        )
    },
}
_PUNCT_CHARS = [".", "-", "/", "(", ")", " ", "+"]


_ACCENTED = [
    char
    for char in map(chr, range(0xE0, 0x250))
    if char == char.lower()
    and len(_fold(char)) == 1
    and _fold(char).isascii()
    and _fold(char) != char
] + [chr(mark) for mark in range(0x300, 0x370)]
_PLAIN = [_fold(char) for char in _ACCENTED]


def _fold_expr(column: pl.Expr) -> pl.Expr:
    """Column `_fold`: one Aho-Corasick pass over the lowered text (2x Unicode NFD + regex)."""
    return column.str.to_lowercase().str.replace_many(_ACCENTED, _PLAIN)


@dataclass(frozen=True)
class _Compiler:
    text: str
    as_of: date
    schema: dict[str, pl.DataType] | None

    def error(self, message: str, pos: int) -> FilterError:
        return FilterError(message, pos + 1, self.text)

    def node(self, node: Node) -> pl.Expr:
        if isinstance(node, Not):
            return ~self.node(node.node)
        if isinstance(node, And):
            return pl.all_horizontal([self.node(n) for n in node.nodes])
        if isinstance(node, Or):
            return pl.any_horizontal([self.node(n) for n in node.nodes])
        return self.test(node).fill_null(False)

    def column(self, test: Predicate) -> pl.Expr:
        info = test.field
        if self.schema is not None and info.column not in self.schema:
            raise self.error(words.field_not_in_data(info.name), test.pos)
        column = pl.col(info.column)
        if info.name == "mes_aniversario":
            return column.dt.month().cast(pl.Int64)
        return column

    def test(self, test: Predicate) -> pl.Expr:
        info = test.field
        column = self.column(test)
        if test.op == "null":
            return self.is_null(info, column)
        if test.op == "not null":
            return ~self.is_null(info, column)
        if test.op == "bool":
            if info.type is not FieldType.BOOL:
                raise self.error(words.not_a_yes_no(info.name), test.pos)
            return column
        if test.op in {"in", "not in"}:
            if info.type not in {FieldType.ENUM, FieldType.TEXT, FieldType.NUMBER, _T.MONEY}:
                raise self.error(words.in_not_allowed(info.name, info.type), test.op_pos)
            matches = pl.any_horizontal(
                [self.compare(info, column, "=", v, test.op_pos) for v in test.values]
            )
            return ~matches if test.op == "not in" else matches
        if test.op == "has":
            if info.type is not FieldType.TAGS:
                raise self.error(words.has_only_for_tags(info.name), test.op_pos)
            return self.has(column, test.values[0])
        return self.compare(info, column, test.op, test.values[0], test.op_pos)

    def is_null(self, info: FieldInfo, column: pl.Expr) -> pl.Expr:
        if info.type in {FieldType.TEXT, FieldType.TAGS, FieldType.ENUM}:
            return column.is_null() | (column.str.strip_chars() == "")
        return column.is_null()

    def not_allowed(self, info: FieldInfo, op: str, pos: int, allowed: str) -> FilterError:
        return self.error(words.operator_not_allowed(info.name, info.type, op, allowed), pos)

    def compare(
        self, info: FieldInfo, column: pl.Expr, op: str, value: Value, op_pos: int
    ) -> pl.Expr:
        kind = info.type
        if kind in {FieldType.NUMBER, FieldType.MONEY, FieldType.DATE}:
            if op not in _COMPARISONS:
                raise self.not_allowed(info, op, op_pos, words.OPS_ORDERED)
            literal = (
                self.date_value(info, value)
                if kind is FieldType.DATE
                else self.number_value(info, value)
            )
            return _ordered(column, op, pl.lit(literal))
        if kind is FieldType.BOOL:
            if op not in {"=", "!="}:
                raise self.not_allowed(info, op, op_pos, words.OPS_BOOL)
            truth = self.bool_value(info, value)
            return column == truth if op == "=" else column != truth
        if kind is FieldType.TAGS:
            if op == "=":
                return self.has(column, value)
            if op == "~":
                return _fold_expr(column).str.contains(_fold(value.raw), literal=True)
            raise self.not_allowed(info, op, op_pos, words.OPS_TAGS)
        if op not in {"=", "!=", "~"}:
            raise self.not_allowed(info, op, op_pos, words.OPS_TEXT)
        if kind is FieldType.ENUM and op != "~":
            canonical = self.enum_value(info, value)
            return column == canonical if op == "=" else column != canonical
        needle = self.text_value(info, value)
        folded = _fold_expr(column)
        if info.punctuation_free:
            folded = folded.str.replace_many(_PUNCT_CHARS, [""] * len(_PUNCT_CHARS))
        if op == "~":
            return folded.str.contains(needle, literal=True)
        return folded == needle if op == "=" else folded != needle

    def text_value(self, info: FieldInfo, value: Value) -> str:
        if value.kind == "relative":
            raise self.error(words.text_needs_quotes(info.name), value.pos)
        needle = _fold(value.raw)
        if info.punctuation_free:
            needle = "".join(ch for ch in needle if ch not in _PUNCT_CHARS)
        return needle

    def enum_value(self, info: FieldInfo, value: Value) -> str:
        by_key = {_key(v): v for v in info.values}
        found = by_key.get(_key(value.raw)) if value.kind in {"text", "word"} else None
        if found is None:
            allowed = ", ".join(info.values)
            raise self.error(words.unknown_value(value.raw, info.name, allowed), value.pos)
        return found

    def number_value(self, info: FieldInfo, value: Value) -> int | float:
        if info.name == "mes_aniversario" and value.kind in {"word", "text"}:
            month = _MONTHS.get(_key(value.raw))
            if month is not None:
                return month
        if value.kind != "number" or value.number is None:
            raise self.error(words.expected_number_for(info.name, value.raw), value.pos)
        number = value.number * 100 if info.cents else value.number
        if number == number.to_integral_value():
            return int(number)
        return float(number)

    def date_value(self, info: FieldInfo, value: Value) -> date:
        if value.kind == "date" and value.day is not None:
            return value.day
        if value.kind == "relative":
            try:
                return self.as_of + _delta(value.unit, value.amount)
            except (ValueError, OverflowError):
                raise self.error(words.date_not_in_calendar(value.raw), value.pos) from None
        if value.kind == "text":
            try:
                node = parse_filter(f"nascimento = {value.raw}")
            except FilterError:
                node = None
            if isinstance(node, Predicate) and node.values[0].day is not None:
                return node.values[0].day
        raise self.error(words.expected_date_for(info.name, value.raw), value.pos)

    def bool_value(self, info: FieldInfo, value: Value) -> bool:
        key = _key(value.raw)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise self.error(words.expected_yes_no_for(info.name, value.raw), value.pos)

    def has(self, column: pl.Expr, value: Value) -> pl.Expr:
        if value.kind not in {"text", "word", "number"}:
            raise self.error(words.TAG_EXPECTED, value.pos)
        tag = re.escape(_fold(value.raw).strip())
        return _fold_expr(column).str.contains(rf"(?:^|[,;|])\s*{tag}\s*(?:$|[,;|])")


def _delta(unit: str, amount: int) -> relativedelta:
    if unit == "years":
        return relativedelta(years=amount)
    if unit == "months":
        return relativedelta(months=amount)
    if unit == "weeks":
        return relativedelta(weeks=amount)
    return relativedelta(days=amount)


def _ordered(column: pl.Expr, op: str, literal: pl.Expr) -> pl.Expr:
    if op == "=":
        return column == literal
    if op == "!=":
        return column != literal
    if op == "<":
        return column < literal
    if op == "<=":
        return column <= literal
    if op == ">":
        return column > literal
    return column >= literal


def compile_filter(
    text: str, *, as_of: date, schema: dict[str, pl.DataType] | None = None
) -> pl.Expr:
    """A boolean expression over the result columns; never null (see the null rules above).

    Relative dates resolve against `as_of`; with `schema`, fields absent from it are an error.
    """
    return _Compiler(text, as_of, schema).node(parse_filter(text))


_CHECK_DATE = date(2000, 1, 1)


def validate_filter(text: str) -> FilterError | None:
    """The first mistake in filter text, or None; cheap enough for every keystroke."""
    try:
        _Compiler(text, _CHECK_DATE, None).node(parse_filter(text))
    except FilterError as error:
        return error
    return None


__all__ = [
    "FIELDS",
    "FieldInfo",
    "FieldType",
    "FilterError",
    "Node",
    "compile_filter",
    "describe_fields",
    "parse_filter",
    "validate_filter",
]
