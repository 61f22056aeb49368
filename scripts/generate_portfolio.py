"""Seeded generator of a realistic pt-BR customer portfolio: the sample data and benchmark input.

    python scripts/generate_portfolio.py --clients 2000 --orders 25000 --as-of 2026-11-23 \\
        --seed 7 --out sample_data

writes `clientes.csv` (cp1252), `pedidos.csv`, `interacoes.csv` and `responsaveis.csv` (UTF-8) as
Brazilian offices export them: `;` separator, decimal comma, dd/mm/aaaa dates, Portuguese headers.
`benchmarks/datagen.py` imports `generate_portfolio` and `write_ptbr_csvs` for the 1M-client files.

Every column is generated with vectorised Polars expressions. Randomness is a splitmix64 hash of
(seed, stream, row index) written as Polars integer arithmetic (not `Expr.hash`, which may change
between Polars versions), so the same seed gives the same bytes, and 10M orders take seconds.
The portfolio is shaped so that every recency status, ABC class and RFM segment of DESIGN.md is
populated, and carries about 3 % deliberate dirt (duplicates, invalid phones and CPFs, upper-case
e-mails) for the cleaning work.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

DEFAULT_AS_OF = date(2026, 11, 23)
DEFAULT_SEED = 7
ORDERS_PER_CLIENT = 12.5
HISTORY_DAYS = 1095
"""Orders fall within the three years before `as_of`."""

# Rows chosen by index for the handful of deliberate problems, so the sample always has them.
INVALID_CPF_EVERY, INVALID_CPF_AT = 997, 500
DELINQUENT_EVERY, DELINQUENT_AT = 701, 350
CREDIT_RESTRICTION_EVERY, CREDIT_RESTRICTION_AT = 1999, 1051
OPT_OUT_EVERY, OPT_OUT_AT = 211, 100
INVALID_PHONE_EVERY, INVALID_PHONE_AT = 167, 80
ZERO_ORDER_EVERY, ZERO_ORDER_AT = 12497, 6000
DUPLICATE_RATE = 0.015
UPPER_EMAIL_RATE = 0.01

CLIENT_HEADERS = [
    "Código",
    "Nome",
    "CPF/CNPJ",
    "E-mail",
    "Telefone",
    "Canal preferido",
    "Aceita contato",
    "Cidade",
    "UF",
    "CEP",
    "Data de nascimento",
    "Sexo",
    "Estado civil",
    "Filhos",
    "Faixa de renda",
    "Responsável",
    "Inadimplente",
    "Restrição de crédito",
    "Tags",
    "Observações",
]
ORDER_HEADERS = ["Pedido", "Código do cliente", "Data", "Valor", "Canal"]
INTERACTION_HEADERS = [
    "Código do cliente",
    "Data",
    "Canal",
    "Tipo",
    "Resultado",
    "Observação",
    "Responsável",
]
OWNER_HEADERS = ["Nome", "E-mail", "Capacidade"]

# (city, UF, area code, CEP prefix, relative weight)
CITIES: list[tuple[str, str, str, str, int]] = [
    ("São Paulo", "SP", "11", "04", 30),
    ("Guarulhos", "SP", "11", "07", 4),
    ("Osasco", "SP", "11", "06", 3),
    ("Santo André", "SP", "11", "090", 3),
    ("São Bernardo do Campo", "SP", "11", "097", 3),
    ("Jundiaí", "SP", "11", "132", 2),
    ("Campinas", "SP", "19", "130", 5),
    ("Piracicaba", "SP", "19", "134", 2),
    ("Santos", "SP", "13", "110", 2),
    ("São José dos Campos", "SP", "12", "122", 3),
    ("Ribeirão Preto", "SP", "16", "140", 3),
    ("Sorocaba", "SP", "15", "180", 3),
    ("São José do Rio Preto", "SP", "17", "150", 2),
    ("Bauru", "SP", "14", "170", 2),
    ("Rio de Janeiro", "RJ", "21", "22", 16),
    ("Niterói", "RJ", "21", "240", 3),
    ("Duque de Caxias", "RJ", "21", "250", 2),
    ("Nova Iguaçu", "RJ", "21", "260", 2),
    ("Petrópolis", "RJ", "24", "256", 1),
    ("Campos dos Goytacazes", "RJ", "22", "280", 1),
    ("Belo Horizonte", "MG", "31", "30", 8),
    ("Contagem", "MG", "31", "321", 2),
    ("Uberlândia", "MG", "34", "384", 2),
    ("Juiz de Fora", "MG", "32", "360", 2),
    ("Montes Claros", "MG", "38", "394", 1),
    ("Vitória", "ES", "27", "290", 2),
    ("Vila Velha", "ES", "27", "291", 2),
    ("Serra", "ES", "27", "2916", 1),
    ("Curitiba", "PR", "41", "80", 6),
    ("Londrina", "PR", "43", "860", 2),
    ("Maringá", "PR", "44", "870", 2),
    ("Ponta Grossa", "PR", "42", "840", 1),
    ("Joinville", "SC", "47", "892", 2),
    ("Blumenau", "SC", "47", "890", 1),
    ("Florianópolis", "SC", "48", "880", 2),
    ("Porto Alegre", "RS", "51", "90", 5),
    ("Caxias do Sul", "RS", "54", "950", 2),
    ("Pelotas", "RS", "53", "960", 1),
    ("Santa Maria", "RS", "55", "971", 1),
    ("Brasília", "DF", "61", "70", 6),
    ("Goiânia", "GO", "62", "74", 4),
    ("Anápolis", "GO", "62", "751", 1),
    ("Campo Grande", "MS", "67", "790", 2),
    ("Cuiabá", "MT", "65", "780", 2),
    ("Salvador", "BA", "71", "40", 6),
    ("Feira de Santana", "BA", "75", "440", 2),
    ("Vitória da Conquista", "BA", "77", "450", 1),
    ("Recife", "PE", "81", "50", 5),
    ("Jaboatão dos Guararapes", "PE", "81", "540", 2),
    ("Caruaru", "PE", "81", "550", 1),
    ("Fortaleza", "CE", "85", "60", 5),
    ("Juazeiro do Norte", "CE", "88", "630", 1),
    ("Natal", "RN", "84", "590", 2),
    ("João Pessoa", "PB", "83", "580", 2),
    ("Campina Grande", "PB", "83", "584", 1),
    ("Maceió", "AL", "82", "570", 2),
    ("Aracaju", "SE", "79", "490", 2),
    ("Teresina", "PI", "86", "640", 2),
    ("São Luís", "MA", "98", "650", 2),
    ("Belém", "PA", "91", "660", 3),
    ("Manaus", "AM", "92", "690", 4),
    ("Porto Velho", "RO", "69", "768", 1),
    ("Rio Branco", "AC", "68", "699", 1),
    ("Macapá", "AP", "96", "689", 1),
    ("Boa Vista", "RR", "95", "693", 1),
    ("Palmas", "TO", "63", "770", 1),
]

FEMALE_NAMES = [
    "Maria", "Ana", "Francisca", "Antônia", "Adriana", "Juliana", "Márcia", "Fernanda",
    "Patrícia", "Aline", "Sandra", "Camila", "Amanda", "Bruna", "Jéssica", "Letícia", "Júlia",
    "Luciana", "Vanessa", "Mariana", "Gabriela", "Beatriz", "Larissa", "Cláudia", "Rafaela",
    "Helena", "Alice", "Laura", "Valentina", "Sophia", "Isabela", "Lúcia", "Conceição",
    "Aparecida", "Raimunda", "Tereza", "Débora", "Priscila", "Renata", "Tatiane",
]  # fmt: skip
MALE_NAMES = [
    "José", "João", "Antônio", "Francisco", "Carlos", "Paulo", "Pedro", "Lucas", "Luiz",
    "Marcos", "Luís", "Gabriel", "Rafael", "Daniel", "Marcelo", "Bruno", "Eduardo", "Felipe",
    "Raimundo", "Rodrigo", "Manoel", "Mateus", "André", "Fernando", "Fábio", "Leonardo",
    "Gustavo", "Guilherme", "Leandro", "Tiago", "Diego", "Sebastião", "Vinícius", "Otávio",
    "Heitor", "Miguel", "Arthur", "Davi", "Benedito", "Sérgio",
]  # fmt: skip
SURNAMES = [
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
    "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares",
    "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade", "Moreira",
    "Nunes", "Marques", "Machado", "Mendes", "Freitas", "Cardoso", "Ramos", "Gonçalves",
    "Santana", "Teixeira", "Araújo", "Correia", "Batista", "Cavalcanti", "Monteiro", "Moura",
    "Pinto", "Campos", "Azevedo", "Brandão", "Figueiredo", "Magalhães", "Sampaio",
]  # fmt: skip
FAMILY_NAMES = SURNAMES + [
    "da Silva", "dos Santos", "de Oliveira", "de Souza", "da Costa", "do Nascimento",
    "de Jesus", "da Conceição", "dos Reis", "de Almeida", "da Cruz", "de Lima", "do Carmo",
    "da Rocha", "de Paula", "dos Anjos", "de Assis", "da Luz",
]  # fmt: skip
COMPANY_PREFIXES = [
    "Comercial", "Distribuidora", "Padaria", "Mercado", "Farmácia", "Construtora",
    "Transportadora", "Auto Peças", "Papelaria", "Ótica", "Clínica", "Restaurante",
    "Materiais Elétricos", "Pet Shop",
]  # fmt: skip
COMPANY_ACTIVITIES = [
    "Comércio de Alimentos", "Materiais de Construção", "Serviços Contábeis", "Engenharia",
    "Tecnologia", "Confecções", "Representações", "Agropecuária", "Logística", "Importação",
]  # fmt: skip
COMPANY_SUFFIXES = ["LTDA"] * 5 + ["ME"] * 2 + ["S.A."] + ["EIRELI"] * 2
EMAIL_DOMAINS = ["gmail.com"] * 6 + [
    "hotmail.com", "hotmail.com", "outlook.com", "yahoo.com.br", "uol.com.br", "bol.com.br",
    "terra.com.br", "icloud.com",
]  # fmt: skip
COMPANY_MAILBOXES = ["contato", "compras", "financeiro", "vendas", "adm"]
CHANNELS_PREFERRED = ["WhatsApp"] * 5 + ["E-mail"] * 2 + ["Telefone"] * 2 + ["SMS"]
MARITAL_F = ["Solteira"] * 4 + ["Casada"] * 4 + ["Divorciada", "Viúva", "União estável"]
MARITAL_M = ["Solteiro"] * 4 + ["Casado"] * 4 + ["Divorciado", "Viúvo", "União estável"]
CHILDREN = [0, 0, 0, 1, 1, 2, 2, 2, 3, 4]
INCOME_BANDS = (
    ["Até 2 SM"] * 3
    + ["2 a 5 SM"] * 4
    + ["5 a 10 SM"] * 2
    + [
        "10 a 20 SM",
        "Acima de 20 SM",
    ]
)
TAGS = [
    "vip", "atacado", "varejo", "indicação", "feira 2025", "black friday", "newsletter",
    "revenda", "cliente antigo", "orçamento pendente",
]  # fmt: skip
CLIENT_NOTES = [
    "Prefere contato à tarde", "Cliente desde a inauguração da loja",
    "Pediu orçamento de instalação", "Não ligar em horário comercial",
    "Indicado por outro cliente", "Compra para revenda", "Entrega sempre no endereço comercial",
    "Pede nota fiscal com CNPJ da empresa", "Aniversário costuma comprar presente",
    "Reclamou do atraso na última entrega",
]  # fmt: skip
ORDER_CHANNELS = (
    ["Loja física"] * 5
    + ["Site"] * 3
    + ["WhatsApp"] * 3
    + [
        "Telefone",
        "Representante",
        "Marketplace",
    ]
)
INTERACTION_CHANNELS = ["Telefone"] * 2 + ["WhatsApp"] * 3 + ["E-mail"] * 2
INTERACTION_KINDS = ["Pós-venda", "Oferta", "Follow-up", "Reativação", "Aniversário", "Cobrança"]
INTERACTION_OUTCOMES = [
    "Atendeu", "Não atendeu", "Respondeu", "Sem resposta", "Agendou retorno", "Comprou",
    "Pediu para não insistir",
]  # fmt: skip
INTERACTION_NOTES = [
    "Cliente pediu o catálogo novo", "Pediu para ligar depois das 18h",
    "Interessado na promoção de fim de ano", "Reclamou do prazo de entrega",
    "Confirmou o recebimento do pedido", "Sem interesse no momento",
    "Vai fechar pedido na semana que vem", "Perguntou sobre parcelamento no cartão",
    "Enviado orçamento por e-mail", "Mensagem de aniversário enviada",
    "Solicitou segunda via do boleto", "Elogiou o atendimento da loja",
]  # fmt: skip
OWNER_EMAIL_DOMAIN = "vendas.exemplo.com.br"

# Share of clients in each lifecycle; the orders of a client follow its lifecycle.
LIFECYCLES: list[tuple[str, float]] = [
    ("prospect", 0.12),
    ("new", 0.05),
    ("active", 0.38),
    ("cooling", 0.15),
    ("stopped_year", 0.14),
    ("stopped_long", 0.16),
]

ACCENTS = {
    "á": "a", "à": "a", "â": "a", "ã": "a", "é": "e", "ê": "e", "í": "i", "ó": "o", "ô": "o",
    "õ": "o", "ú": "u", "ü": "u", "ç": "c", "Á": "A", "À": "A", "Â": "A", "Ã": "A", "É": "E",
    "Ê": "E", "Í": "I", "Ó": "O", "Ô": "O", "Õ": "O", "Ú": "U", "Ç": "C",
}  # fmt: skip

_GOLDEN = 0x9E3779B97F4A7C15
_MIX_1 = 0xBF58476D1CE4E5B9
_MIX_2 = 0x94D049BB133111EB
_MASK = (1 << 64) - 1


@dataclass(frozen=True)
class Portfolio:
    """A generated portfolio in working form (ids, ISO dates, integer centavos)."""

    owners: pl.DataFrame
    clients: pl.DataFrame
    orders: pl.DataFrame
    interactions: pl.DataFrame
    as_of: date


def _splitmix(value: int) -> int:
    z = (value + _GOLDEN) & _MASK
    z = ((z ^ (z >> 30)) * _MIX_1) & _MASK
    z = ((z ^ (z >> 27)) * _MIX_2) & _MASK
    return z ^ (z >> 31)


class Rng:
    """Counter-based random numbers: the value for (seed, stream, row) never depends on order."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def key(self, stream: str) -> int:
        """The 64-bit key of one named stream."""
        return _splitmix(_splitmix(self.seed & _MASK) ^ zlib.crc32(stream.encode()))

    def uniform(self, stream: str, index: str = "i") -> pl.Expr:
        """Uniform floats in [0, 1), one per row, from the row's UInt64 `index` column."""
        u64 = pl.UInt64
        z = pl.col(index).cast(u64) * pl.lit(_GOLDEN, u64) + pl.lit(self.key(stream), u64)
        z = z.xor(z // (1 << 30)) * pl.lit(_MIX_1, u64)
        z = z.xor(z // (1 << 27)) * pl.lit(_MIX_2, u64)
        z = z.xor(z // (1 << 31))
        return (z // (1 << 11)).cast(pl.Float64) / float(1 << 53)

    def integer(self, stream: str, low: int, high: int, index: str = "i") -> pl.Expr:
        """Uniform integers in [low, high]."""
        span = high - low + 1
        return (self.uniform(stream, index) * span).floor().cast(pl.Int64) + low

    def pick(self, stream: str, values: Sequence[object], index: str = "i") -> pl.Expr:
        """One of `values` per row, uniformly (repeat a value in the list to weight it)."""
        position = self.integer(stream, 0, len(values) - 1, index)
        return pl.lit(pl.Series(values)).gather(position)


def _ascii_lower(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_many(list(ACCENTS), list(ACCENTS.values())).str.to_lowercase()


def _digits(number: pl.Expr, count: int) -> list[pl.Expr]:
    """The `count` decimal digits of a non-negative integer, most significant first."""
    return [(number // 10 ** (count - 1 - k)) % 10 for k in range(count)]


def _check_digit(digits: list[pl.Expr], weights: list[int]) -> pl.Expr:
    """Modulo-11 check digit shared by CPF and CNPJ: 0 when the remainder is below 2."""
    remainder = pl.sum_horizontal([d * w for d, w in zip(digits, weights, strict=True)]) % 11
    # 11 - remainder, except 0 for remainders 0 and 1, without repeating the expression.
    return (11 - remainder) % 11 % 10


def _sliced(number: pl.Expr, width: int, layout: str) -> pl.Expr:
    """Format an integer as `layout`, whose `#` take the zero-padded digits in order."""
    text = number.cast(pl.String).str.zfill(width)
    parts: list[pl.Expr] = []
    position = 0
    for chunk in re.findall(r"#+|[^#]+", layout):
        if chunk.startswith("#"):
            parts.append(text.str.slice(position, len(chunk)))
            position += len(chunk)
        else:
            parts.append(pl.lit(chunk))
    return pl.concat_str(parts)


CPF_WEIGHTS = (list(range(10, 1, -1)), list(range(11, 1, -1)))
CNPJ_WEIGHTS = ([5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])


def _cnpj_digits(base: pl.Expr) -> list[pl.Expr]:
    """The 12 digits of a head-office CNPJ before its check digits: base then 0001."""
    return [*_digits(base, 8), pl.lit(0), pl.lit(0), pl.lit(0), pl.lit(1)]


def with_documents(frame: pl.DataFrame, *, corrupt: pl.Expr) -> pl.DataFrame:
    """Add `cpf` and `cnpj` (formatted, valid check digits) from `cpf_base` and `cnpj_base`.

    Computed in stages, each check digit a column, so no expression is repeated per row;
    `corrupt` rows get a wrong second CPF check digit.
    """
    cpf_base, cnpj_base = pl.col("cpf_base"), pl.col("cnpj_base")
    cpf_digits, cnpj_digits = _digits(cpf_base, 9), _cnpj_digits(cnpj_base)
    first = frame.with_columns(
        cpf_dv1=_check_digit(cpf_digits, CPF_WEIGHTS[0]),
        cnpj_dv1=_check_digit(cnpj_digits, CNPJ_WEIGHTS[0]),
    )
    cpf_dv2 = _check_digit([*cpf_digits, pl.col("cpf_dv1")], CPF_WEIGHTS[1])
    cnpj_dv2 = _check_digit([*cnpj_digits, pl.col("cnpj_dv1")], CNPJ_WEIGHTS[1])
    cpf_number = cpf_base * 100 + pl.col("cpf_dv1") * 10 + (cpf_dv2 + corrupt.cast(pl.Int64)) % 10
    cnpj_number = cnpj_base * 1_000_000 + 100 + pl.col("cnpj_dv1") * 10 + cnpj_dv2
    return first.with_columns(
        cpf=_sliced(cpf_number, 11, "###.###.###-##"),
        cnpj=_sliced(cnpj_number, 14, "##.###.###/####-##"),
    ).drop("cpf_dv1", "cnpj_dv1")


def _people_names(rng: Rng, female: pl.Expr) -> pl.Expr:
    """Brazilian person names: one or two given names, an optional middle surname, a family name."""
    given = pl.when(female).then(rng.pick("f1", FEMALE_NAMES)).otherwise(rng.pick("m1", MALE_NAMES))
    second = (
        pl.when(female).then(rng.pick("f2", FEMALE_NAMES)).otherwise(rng.pick("m2", MALE_NAMES))
    )
    has_second = (rng.uniform("given2") < 0.25) & (second != given)
    middle = pl.when(rng.uniform("middle") < 0.55).then(rng.pick("mid", SURNAMES))
    family = rng.pick("family", FAMILY_NAMES)
    return pl.concat_str(
        [given, pl.when(has_second).then(second), middle, family], separator=" ", ignore_nulls=True
    )


def _company_names(rng: Rng) -> pl.Expr:
    """Razões sociais: `Padaria Souza ME`, `Silva & Costa Engenharia LTDA`, …"""
    pattern = rng.integer("cpattern", 0, 2)
    surname = rng.pick("cs1", SURNAMES)
    partner = rng.pick("cs2", SURNAMES)
    suffix = rng.pick("csuffix", COMPANY_SUFFIXES)
    activity = rng.pick("cact", COMPANY_ACTIVITIES)
    return (
        pl.when(pattern == 0)
        .then(pl.concat_str([rng.pick("cpre", COMPANY_PREFIXES), surname, suffix], separator=" "))
        .when(pattern == 1)
        .then(pl.concat_str([surname, activity, suffix], separator=" "))
        .otherwise(pl.concat_str([surname, pl.lit("&"), partner, activity, suffix], separator=" "))
    )


def _phones(rng: Rng, ddd: pl.Expr, landline: pl.Expr) -> pl.Expr:
    """Mobile numbers with the 9th digit, some landlines, in the formats offices type."""
    mobile = pl.lit(900_000_000) + rng.integer("mobile", 60_000_000, 99_999_999)
    fixed = rng.integer("landline", 20_000_000, 59_999_999)
    number = pl.when(landline).then(fixed).otherwise(mobile).cast(pl.String)
    head, tail = number.str.slice(0, number.str.len_chars() - 4), number.str.slice(-4)
    style = rng.uniform("phonestyle")
    return (
        pl.when(style < 0.80)
        .then(pl.concat_str([pl.lit("("), ddd, pl.lit(") "), head, pl.lit("-"), tail]))
        .when(style < 0.92)
        .then(pl.concat_str([ddd, number]))
        .otherwise(pl.concat_str([pl.lit("+55 "), ddd, pl.lit(" "), head, pl.lit("-"), tail]))
    )


def _cities_frame() -> pl.DataFrame:
    rows = [(city, uf, ddd, cep) for city, uf, ddd, cep, weight in CITIES for _ in range(weight)]
    return pl.DataFrame(rows, schema=["city", "uf", "ddd", "cep_prefix"], orient="row")


def generate_owners(n_clients: int, *, seed: int) -> pl.DataFrame:
    """Owners (responsáveis): six for a sample, one per ~1,500 clients for a big portfolio."""
    count = max(6, round(n_clients / 1500))
    rng = Rng(seed)
    given = FEMALE_NAMES + MALE_NAMES
    frame = pl.DataFrame({"i": pl.int_range(0, count, dtype=pl.UInt64, eager=True)})
    k = pl.col("i").cast(pl.Int64)
    first = pl.lit(pl.Series(given)).gather((k * 7 + 3) % len(given))
    last = pl.lit(pl.Series(SURNAMES)).gather((k // len(given) + k * 5) % len(SURNAMES))
    fair_share = n_clients * 0.9 / count
    capacity = ((fair_share * (0.85 + 0.4 * rng.uniform("capacity"))) / 50).ceil() * 50
    return frame.select(
        owner_id=k + 1,
        name=pl.concat_str([first, last], separator=" "),
        email=pl.concat_str(
            [_ascii_lower(first), pl.lit("."), _ascii_lower(last), pl.lit("@" + OWNER_EMAIL_DOMAIN)]
        ),
        capacity=capacity.cast(pl.Int64),
        weight=1.0 / (k + 2).cast(pl.Float64).sqrt(),
    )


def generate_clients(
    n_clients: int, owners: pl.DataFrame, *, as_of: date, seed: int
) -> pl.DataFrame:
    """The cadastro: identity, contacts, location, demographics, owner, flags and a lifecycle."""
    rng = Rng(seed)
    cities = _cities_frame()
    owner_cut = (owners["weight"].cum_sum() / owners["weight"].sum()).to_list()
    i = pl.col("i").cast(pl.Int64)
    base = pl.DataFrame({"i": pl.int_range(0, n_clients, dtype=pl.UInt64, eager=True)})
    invalid_cpf = i % INVALID_CPF_EVERY == INVALID_CPF_AT
    clients = base.with_columns(
        client_id=i + 1,
        code=pl.format("C{}", (i + 1).cast(pl.String).str.zfill(7)),
        company=(rng.uniform("company") < 0.15) & ~invalid_cpf,
        female=rng.uniform("gender") < 0.52,
        city_row=rng.integer("city", 0, cities.height - 1),
        invalid_cpf=invalid_cpf,
        cnpj_base=rng.integer("cnpj", 1_000_000, 99_999_999),
        cpf_base=rng.integer("cpf", 1_000_000, 999_999_999),
    )
    clients = with_documents(clients, corrupt=invalid_cpf)
    clients = clients.with_columns(
        pl.lit(cities[c]).gather(pl.col("city_row")).alias(c) for c in cities.columns
    )
    company = pl.col("company")
    female = pl.col("female")
    name = pl.when(company).then(_company_names(rng)).otherwise(_people_names(rng, female))
    document = pl.when(company).then(pl.col("cnpj")).otherwise(pl.col("cpf"))
    landline = rng.uniform("fixed") < pl.when(company).then(0.5).otherwise(0.08)
    cep_tail = rng.integer("cep", 0, 99_999_999).cast(pl.String).str.zfill(8)
    cep_digits = pl.concat_str(
        [pl.col("cep_prefix"), cep_tail.str.slice(0, 8 - pl.col("cep_prefix").str.len_chars())]
    )
    birth = pl.lit(as_of) - pl.duration(days=rng.integer("age", 18 * 365 + 5, 85 * 365))
    # The first owner whose cumulative weight exceeds the draw.
    owner_id = (
        pl.lit(pl.Series(owner_cut))
        .search_sorted(rng.uniform("owner"), side="right")
        .cast(pl.Int64)
        + 1
    ).clip(upper_bound=owners.height)
    tag_a, tag_b = rng.pick("tag1", TAGS), rng.pick("tag2", TAGS)
    tags_u = rng.uniform("tags")
    clients = clients.with_columns(
        name=name,
        document=document,
        phone=_phones(rng, pl.col("ddd"), landline),
        channel_pref=rng.pick("channel", CHANNELS_PREFERRED),
        opt_out=i % OPT_OUT_EVERY == OPT_OUT_AT,
        cep=pl.concat_str([cep_digits.str.slice(0, 5), pl.lit("-"), cep_digits.str.slice(5)]),
        birth_date=pl.when(~company).then(birth),
        gender=pl.when(~company).then(pl.when(female).then(pl.lit("F")).otherwise(pl.lit("M"))),
        marital_status=pl.when(~company).then(
            pl.when(female).then(rng.pick("mf", MARITAL_F)).otherwise(rng.pick("mm", MARITAL_M))
        ),
        children=pl.when(~company).then(rng.pick("children", CHILDREN)),
        income_band=pl.when(~company).then(rng.pick("income", INCOME_BANDS)),
        owner_id=pl.when(rng.uniform("assigned") < 0.9).then(owner_id),
        delinquent=i % DELINQUENT_EVERY == DELINQUENT_AT,
        credit_restriction=i % CREDIT_RESTRICTION_EVERY == CREDIT_RESTRICTION_AT,
        tags=pl.when(tags_u < 0.10)
        .then(pl.concat_str([tag_a, tag_b], separator=","))
        .when(tags_u < 0.35)
        .then(tag_a),
        notes=pl.when(rng.uniform("notes") < 0.15).then(rng.pick("note", CLIENT_NOTES)),
        lifecycle=_lifecycle(rng.uniform("life")),
    )
    clients = clients.with_columns(email=_emails(rng)).with_columns(
        birth_date=pl.when(rng.uniform("nobirth") < 0.1).then(None).otherwise(pl.col("birth_date")),
        phone=pl.when(i % INVALID_PHONE_EVERY == INVALID_PHONE_AT)
        .then(_invalid_phones(rng))
        .when(rng.uniform("nophone") < 0.03)
        .then(None)
        .otherwise(pl.col("phone")),
    )
    return _with_duplicates(clients, rng).drop(
        "city_row", "cep_prefix", "female", "cnpj_base", "cpf_base", "cpf", "cnpj"
    )


def _lifecycle(u: pl.Expr) -> pl.Expr:
    """The lifecycle whose cumulative share first exceeds `u`."""
    expr: pl.Expr = pl.lit(LIFECYCLES[-1][0])
    cuts = [sum(share for _, share in LIFECYCLES[: k + 1]) for k in range(len(LIFECYCLES))]
    for (name, _), cut in reversed(list(zip(LIFECYCLES[:-1], cuts[:-1], strict=True))):
        expr = pl.when(u < cut).then(pl.lit(name)).otherwise(expr)
    return expr


def _emails(rng: Rng) -> pl.Expr:
    """`nome.sobrenome12@gmail.com` for people, `contato@empresa.com.br` for companies."""
    words = pl.col("name").str.split(" ")
    person_local = pl.concat_str(
        [
            _ascii_lower(words.list.first()),
            rng.pick("emailsep", [".", "_", ""]),
            _ascii_lower(words.list.last()),
            pl.when(rng.uniform("emailnum") < 0.4).then(rng.integer("emailn", 1, 99)),
        ],
        ignore_nulls=True,
    )
    person = pl.concat_str([person_local, pl.lit("@"), rng.pick("domain", EMAIL_DOMAINS)])
    company_domain = (
        _ascii_lower(pl.col("name").str.replace(r" (LTDA|ME|S\.A\.|EIRELI)$", ""))
        .str.replace_all("[^a-z]", "")
        .str.slice(0, 24)
    )
    company = pl.concat_str(
        [rng.pick("mailbox", COMPANY_MAILBOXES), pl.lit("@"), company_domain, pl.lit(".com.br")]
    )
    email = pl.when(pl.col("company")).then(company).otherwise(person)
    u = rng.uniform("emailcase")
    return (
        pl.when(u < 0.07)
        .then(None)
        .when(u < 0.07 + UPPER_EMAIL_RATE)
        .then(email.str.to_uppercase())
        .otherwise(email)
    )


def _invalid_phones(rng: Rng) -> pl.Expr:
    """Phones no validator accepts: a digit short, a placeholder, a local number without DDD."""
    kind = rng.integer("badphone", 0, 2)
    short = pl.concat_str(
        [pl.lit("("), pl.col("ddd"), pl.lit(") 9"), rng.integer("badn", 100_000, 999_999)]
    )
    return (
        pl.when(kind == 0)
        .then(short)
        .when(kind == 1)
        .then(pl.lit("0000-0000"))
        .otherwise(rng.integer("badl", 1000, 9999).cast(pl.String))
    )


def _with_duplicates(clients: pl.DataFrame, rng: Rng) -> pl.DataFrame:
    """Turn ~1.5 % of rows into another client's duplicate, typed differently, with its own code."""
    i = pl.col("i").cast(pl.Int64)
    dup = (rng.uniform("dup") < DUPLICATE_RATE) & (i > 10)
    source = (rng.uniform("dupsrc") * i.cast(pl.Float64)).floor().cast(pl.Int64)
    copied = [
        "name", "document", "email", "phone", "company", "city", "uf", "ddd", "cep",
        "birth_date", "gender", "marital_status", "children", "income_band",
    ]  # fmt: skip
    clients = clients.with_columns(
        pl.when(dup).then(pl.col(c).gather(source)).otherwise(pl.col(c)) for c in copied
    ).with_columns(duplicate_of=pl.when(dup).then(source + 1))
    variant = rng.integer("dupvariant", 0, 3)
    name = pl.col("name")
    spaced = pl.concat_str([name.str.replace(" ", "  "), pl.lit(" ")])
    ascii_name = name.str.replace_many(list(ACCENTS), list(ACCENTS.values()))
    new_name = (
        pl.when(variant == 0)
        .then(name.str.to_uppercase())
        .when(variant == 1)
        .then(ascii_name)
        .when(variant == 2)
        .then(spaced)
        .otherwise(ascii_name.str.to_lowercase())
    )
    email_u, doc_u = rng.uniform("dupemail"), rng.uniform("dupdoc")
    email = pl.col("email")
    other_email = pl.concat_str([email.str.split("@").list.first(), pl.lit("@hotmail.com")])
    return clients.with_columns(
        name=pl.when(dup).then(new_name).otherwise(name),
        email=pl.when(dup & (email_u < 0.25))
        .then(other_email)
        .when(dup & (email_u < 0.45))
        .then(email.str.to_uppercase())
        .otherwise(email),
        phone=pl.when(dup & (rng.uniform("dupphone") < 0.5))
        .then(pl.col("phone").str.replace_all(r"\D", ""))
        .otherwise(pl.col("phone")),
        document=pl.when(dup & (doc_u < 0.35))
        .then(None)
        .when(dup & (doc_u < 0.7))
        .then(pl.col("document").str.replace_all(r"\D", ""))
        .otherwise(pl.col("document")),
    )


def generate_orders(
    clients: pl.DataFrame, n_orders: int, *, as_of: date, seed: int
) -> pl.DataFrame:
    """Orders following each client's lifecycle, repurchase rhythm and Pareto-distributed ticket."""
    rng = Rng(seed)
    life = pl.col("lifecycle")
    end_off = (
        pl.when(life == "new")
        .then(rng.integer("end_new", 0, 110))
        .when(life == "active")
        .then(rng.integer("end_act", 0, 88))
        .when(life == "cooling")
        .then(rng.integer("end_cool", 91, 365))
        .when(life == "stopped_year")
        .then(rng.integer("end_year", 366, 730))
        .otherwise(rng.integer("end_long", 731, HISTORY_DAYS - 10))
    )
    buyers = (
        clients.filter(life != "prospect")
        .select("i", "client_id", "company", "lifecycle")
        .with_columns(end_off=end_off)
        .with_columns(
            start_off=pl.when(life == "new")
            .then(pl.col("end_off") + rng.integer("span_new", 0, 30))
            .otherwise(
                pl.col("end_off")
                + (rng.uniform("span") * (HISTORY_DAYS - pl.col("end_off"))).floor().cast(pl.Int64)
            ),
            interval=(math.log(7) + rng.uniform("rhythm") * math.log(365 / 7)).exp(),
            ticket=(
                3000.0
                * (1.0 - rng.uniform("ticket")).pow(-1 / 1.16)
                * pl.when(pl.col("company")).then(4.0).otherwise(1.0)
            ).clip(upper_bound=3_000_000.0),
        )
        .with_columns(
            extra=pl.when(life == "new")
            .then(pl.lit(0.0))
            .otherwise((pl.col("start_off") - pl.col("end_off")) / pl.col("interval"))
        )
    )
    extra_total = float(buyers["extra"].sum() or 1.0)
    new_buyers = pl.col("lifecycle") == "new"
    scale = max(n_orders - buyers.height, 0) / extra_total
    buyers = buyers.with_columns(
        count=pl.when(new_buyers)
        .then(rng.pick("count_new", [1, 1, 1, 2]))
        .otherwise(1 + (pl.col("extra") * scale + rng.uniform("round")).floor().cast(pl.Int64))
    )
    orders = (
        buyers.select(
            "client_id", "end_off", "start_off", "count", "ticket", j=pl.int_ranges(0, "count")
        )
        .explode("j")
        .with_row_index("o")
        .with_columns(pl.col("o").cast(pl.UInt64))
    )
    span = (pl.col("start_off") - pl.col("end_off")).cast(pl.Float64)
    gaps = (pl.col("count") - 1).clip(lower_bound=1).cast(pl.Float64)
    steps_back = (pl.col("count") - 1 - pl.col("j")).cast(pl.Float64)
    jitter = (rng.uniform("jitter", "o") - 0.5) * 0.7 * span / gaps
    nominal = pl.col("end_off") + (steps_back * span / gaps + jitter).round().cast(pl.Int64)
    offset = (
        pl.when(pl.col("j") == pl.col("count") - 1)
        .then(pl.col("end_off"))
        .when(pl.col("j") == 0)
        .then(pl.col("start_off"))
        .when((pl.col("j") == pl.col("count") - 2) & (rng.uniform("sameday", "o") < 0.03))
        .then(pl.col("end_off"))
        .otherwise(nominal.clip(pl.col("end_off"), pl.col("start_off")))
    )
    amount = (pl.col("ticket") * (0.6 + 0.8 * rng.uniform("amount", "o"))).round().cast(pl.Int64)
    o = pl.col("o").cast(pl.Int64)
    return (
        orders.with_columns(
            date=pl.lit(as_of) - pl.duration(days=offset),
            amount_cents=pl.when(o % ZERO_ORDER_EVERY == ZERO_ORDER_AT).then(0).otherwise(amount),
            channel=rng.pick("ochannel", ORDER_CHANNELS, "o"),
        )
        .sort("date", "client_id", "o")
        .select(
            order_id=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
            client_id="client_id",
            date="date",
            amount_cents="amount_cents",
            channel="channel",
        )
    )


def generate_interactions(
    clients: pl.DataFrame, orders: pl.DataFrame, owners: pl.DataFrame, *, as_of: date, seed: int
) -> pl.DataFrame:
    """~3 contacts (calls, WhatsApp, e-mail) per active client; one for some of the others."""
    rng = Rng(seed)
    last = orders.group_by("client_id").agg(pl.col("date").max().alias("last_purchase"))
    recency = (pl.lit(as_of) - pl.col("last_purchase")).dt.total_days()
    owner_names = owners["name"]
    base = (
        clients.select("i", "client_id", "owner_id")
        .join(last, on="client_id", how="inner", maintain_order="left")
        .with_columns(
            count=pl.when(recency <= 90)
            .then(rng.integer("icount", 2, 4))
            .when(rng.uniform("iother") < 0.15)
            .then(1)
            .otherwise(0)
        )
        .filter(pl.col("count") > 0)
    )
    rows = (
        base.select("client_id", "owner_id", j=pl.int_ranges(0, "count"))
        .explode("j")
        .with_row_index("n")
        .with_columns(pl.col("n").cast(pl.UInt64))
    )
    owner = pl.coalesce(pl.col("owner_id"), rng.integer("iowner", 1, owners.height, "n"))
    return (
        rows.with_columns(
            date=pl.lit(as_of) - pl.duration(days=rng.integer("iday", 0, 120, "n")),
            channel=rng.pick("ichannel", INTERACTION_CHANNELS, "n"),
            kind=rng.pick("ikind", INTERACTION_KINDS, "n"),
            outcome=rng.pick("ioutcome", INTERACTION_OUTCOMES, "n"),
            note=rng.pick("inote", INTERACTION_NOTES, "n"),
            who=pl.lit(owner_names).gather(owner - 1),
        )
        .sort("date", "client_id", "n")
        .select("client_id", "date", "channel", "kind", "outcome", "note", "who")
    )


def generate_portfolio(
    n_clients: int, n_orders: int, *, as_of: date = DEFAULT_AS_OF, seed: int = DEFAULT_SEED
) -> Portfolio:
    """The whole portfolio: owners, clients, orders and interactions, all from one seed."""
    owners = generate_owners(n_clients, seed=seed)
    clients = generate_clients(n_clients, owners, as_of=as_of, seed=seed)
    orders = generate_orders(clients, n_orders, as_of=as_of, seed=seed)
    interactions = generate_interactions(clients, orders, owners, as_of=as_of, seed=seed)
    return Portfolio(owners.drop("weight"), clients, orders, interactions, as_of)


def brl_number(cents: pl.Expr) -> pl.Expr:
    """Centavos as a Brazilian decimal string: 123456 -> `1.234,56` (no currency sign)."""
    reais, centavos = cents // 100, (cents % 100).cast(pl.String).str.zfill(2)
    millions, thousands, units = reais // 1_000_000, (reais // 1000) % 1000, reais % 1000
    grouped = (
        pl.when(reais >= 1_000_000)
        .then(
            pl.concat_str(
                [
                    millions.cast(pl.String),
                    pl.lit("."),
                    thousands.cast(pl.String).str.zfill(3),
                    pl.lit("."),
                    units.cast(pl.String).str.zfill(3),
                ]
            )
        )
        .when(reais >= 1000)
        .then(
            pl.concat_str(
                [thousands.cast(pl.String), pl.lit("."), units.cast(pl.String).str.zfill(3)]
            )
        )
        .otherwise(units.cast(pl.String))
    )
    return pl.concat_str([grouped, pl.lit(","), centavos])


def _br_date(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%d/%m/%Y")


def _yes_no(column: str) -> pl.Expr:
    return pl.when(pl.col(column)).then(pl.lit("Sim")).otherwise(pl.lit("Não"))


def client_rows(portfolio: Portfolio) -> pl.DataFrame:
    """The clients as `clientes.csv` columns (Portuguese headers, text values)."""
    owner_names = portfolio.owners.select(owner_id="owner_id", owner="name")
    values = [
        pl.col("code"),
        pl.col("name"),
        pl.col("document"),
        pl.col("email"),
        pl.col("phone"),
        pl.col("channel_pref"),
        pl.when(pl.col("opt_out")).then(pl.lit("Não")).otherwise(pl.lit("Sim")),
        pl.col("city"),
        pl.col("uf"),
        pl.col("cep"),
        _br_date("birth_date"),
        pl.col("gender"),
        pl.col("marital_status"),
        pl.col("children"),
        pl.col("income_band"),
        pl.col("owner"),
        _yes_no("delinquent"),
        _yes_no("credit_restriction"),
        pl.col("tags"),
        pl.col("notes"),
    ]
    return portfolio.clients.join(
        owner_names, on="owner_id", how="left", maintain_order="left"
    ).select(v.alias(h) for v, h in zip(values, CLIENT_HEADERS, strict=True))


def order_rows(portfolio: Portfolio) -> pl.DataFrame:
    """The orders as `pedidos.csv` columns."""
    codes = portfolio.clients.select("client_id", "code")
    return portfolio.orders.join(codes, on="client_id", how="left", maintain_order="left").select(
        pl.col("order_id").alias("Pedido"),
        pl.col("code").alias("Código do cliente"),
        _br_date("date").alias("Data"),
        brl_number(pl.col("amount_cents")).alias("Valor"),
        pl.col("channel").alias("Canal"),
    )


def interaction_rows(portfolio: Portfolio) -> pl.DataFrame:
    """The interactions as `interacoes.csv` columns."""
    codes = portfolio.clients.select("client_id", "code")
    frame = portfolio.interactions.join(codes, on="client_id", how="left", maintain_order="left")
    values = ["code", "date", "channel", "kind", "outcome", "note", "who"]
    return frame.select(
        (_br_date(v) if v == "date" else pl.col(v)).alias(h)
        for v, h in zip(values, INTERACTION_HEADERS, strict=True)
    )


def write_ptbr_csvs(portfolio: Portfolio, out: Path) -> list[Path]:
    """Write the four CSVs the way a Brazilian office exports them; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    owners = portfolio.owners.select(
        pl.col("name").alias("Nome"),
        pl.col("email").alias("E-mail"),
        pl.col("capacity").alias("Capacidade"),
    )
    files = {
        "clientes.csv": (client_rows(portfolio), "cp1252"),
        "pedidos.csv": (order_rows(portfolio), "utf-8"),
        "interacoes.csv": (interaction_rows(portfolio), "utf-8"),
        "responsaveis.csv": (owners, "utf-8"),
    }
    written = []
    for filename, (frame, encoding) in files.items():
        path = out / filename
        if encoding == "utf-8":
            frame.write_csv(path, separator=";")
        else:
            path.write_bytes(frame.write_csv(separator=";").encode(encoding))
        written.append(path)
    return written


def parse_args(argv: Sequence[str] | None, description: str | None = None) -> argparse.Namespace:
    """The options both this script and `benchmarks/datagen.py` take."""
    parser = argparse.ArgumentParser(description=description or __doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=2000, help="número de clientes")
    parser.add_argument(
        "--orders", type=int, default=None, help="número de pedidos (padrão: 12,5 por cliente)"
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=DEFAULT_AS_OF,
        help="data de referência aaaa-mm-dd (padrão: 2026-11-23, para a amostra ser reproduzível)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="semente (padrão: 7)")
    parser.add_argument("--out", type=Path, required=True, help="pasta de saída")
    args = parser.parse_args(argv)
    if args.orders is None:
        args.orders = round(args.clients * ORDERS_PER_CLIENT)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Generate and write the pt-BR CSVs; prints what was written."""
    args = parse_args(argv)
    start = time.perf_counter()
    portfolio = generate_portfolio(args.clients, args.orders, as_of=args.as_of, seed=args.seed)
    paths = write_ptbr_csvs(portfolio, args.out)
    elapsed = time.perf_counter() - start
    print(
        f"{portfolio.clients.height} clientes, {portfolio.orders.height} pedidos, "
        f"{portfolio.interactions.height} interações, {portfolio.owners.height} responsáveis "
        f"em {elapsed:.1f} s -> {', '.join(str(p) for p in paths)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
