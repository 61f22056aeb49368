"""Benchmark of duplicate detection (engine.dedup) and the Limpeza normalisers (engine.clean).

Generates N synthetic Brazilian clients with injected duplicates whose truth is known (variants
in case/accents/spacing, phonetic spellings, formatted vs raw documents and phones, dropped
fields), writes them to an Arrow IPC file, then measures in a fresh subprocess (so peak RSS is
the detection's own): wall time of `duplicate_clusters`, peak RSS, precision and recall of the
clustered pairs against the injected ones; and, with `--clean`, the wall time of
`normalized_clients` (phonenumbers on distinct numbers only).

    .venv/bin/python benchmarks/dedup_bench.py --clients 100000
    .venv/bin/python benchmarks/dedup_bench.py --clients 1000000 --clean
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import polars as pl

from carteira_tui.engine.clean import MUNICIPALITIES, normalized_clients
from carteira_tui.engine.dedup import duplicate_clusters
from carteira_tui.engine.documents import cpf_check_digits

FIRST_NAMES = (
    "Ana Maria José João Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos Gabriel Rafael "
    "Daniel Marcelo Bruno Eduardo Felipe Raimundo Rodrigo Manoel Mateus André Fernando Fábio "
    "Leonardo Gustavo Guilherme Leandro Tiago Vagner Jorge Juliana Márcia Fernanda Patrícia "
    "Aline Sandra Camila Amanda Bruna Jéssica Letícia Júlia Luciana Vanessa Mariana Gabriela "
    "Vera Vitória Larissa Cláudia Beatriz Rita Luana Sônia Renata Eliane Yasmin Kelly Helena "
    "Conceição Sebastião Vitor Sérgio Cristiane Simone Adriana Rosângela Thaís Priscila Caio"
).split()
SURNAMES = (
    "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro "
    "Martins Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento "
    "Andrade Moreira Nunes Marques Machado Mendes Freitas Cardoso Ramos Gonçalves Santana "
    "Teixeira Araújo Moura Cavalcanti Monteiro Correia Batista Campos Pinto Assunção Reis "
    "Castro Xavier Brito Farias Macedo Medeiros Rezende Borges Pacheco Queiroz Fonseca Sá"
).split()
PHONETIC_VARIANTS = {
    "Vagner": "Wagner",
    "Luiz": "Luís",
    "Tiago": "Thiago",
    "Souza": "Sousa",
    "Felipe": "Filipe",
    "Rafael": "Raphael",
    "Yasmin": "Iasmin",
    "Kelly": "Keli",
    "Helena": "Elena",
    "Gonçalves": "Goncalvez",
    "Assunção": "Assunsão",
    "Thaís": "Tais",
    "Vitor": "Victor",
    "Luana": "Luanna",
    "Queiroz": "Queirós",
    "Sebastião": "Sebastiam",
    "Conceição": "Conceissão",
    "Cristiane": "Christiane",
}
DDDS = (11, 12, 13, 19, 21, 24, 27, 31, 41, 47, 48, 51, 61, 62, 71, 79, 81, 85, 91, 92)
DOMAINS = ("gmail.com", "hotmail.com", "yahoo.com.br", "uol.com.br", "empresa.com.br")
DUPLICATE_SHARE = 0.05


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _cpf(rng: random.Random) -> str:
    base = f"{rng.randrange(1, 10**9):09d}"
    return base + cpf_check_digits(base)


def _format_cpf(cpf: str) -> str:
    return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"


def _base_client(rng: random.Random, client_id: int) -> dict[str, object]:
    first = rng.choice(FIRST_NAMES)
    surnames = rng.sample(SURNAMES, 2)
    particle = rng.choice(("", "", "", "da ", "de ", "dos "))
    name = f"{first} {particle}{surnames[0]} {surnames[1]}"
    city, uf = rng.choice(MUNICIPALITIES).split("/")
    subscriber = f"9{rng.randint(6, 9)}{rng.randrange(10**7):07d}"
    phone = f"{rng.choice(DDDS)}{subscriber}" if rng.random() < 0.7 else None
    email = None
    if rng.random() < 0.6:
        local = _strip_accents(f"{first}.{surnames[1]}{rng.randrange(10**5)}").lower()
        email = f"{local}@{rng.choice(DOMAINS)}"
    return {
        "client_id": client_id,
        "name": name,
        "document": _format_cpf(_cpf(rng)) if rng.random() < 0.6 else None,
        "email": email,
        "phone": f"({phone[:2]}) {phone[2:7]}-{phone[7:]}" if phone else None,
        "city": city if rng.random() < 0.9 else None,
        "uf": uf,
    }


def _phone_variant(rng: random.Random, phone: str) -> str:
    digits = "".join(char for char in phone if char.isdigit())
    return rng.choice(
        (
            digits,
            f"+55 {digits[:2]} {digits[2:7]}-{digits[7:]}",
            f"0{digits}",
            digits[:2] + digits[3:],  # written before the ninth digit
        )
    )


def _duplicate_of(
    rng: random.Random, original: dict[str, object], client_id: int
) -> dict[str, object]:
    dup = dict(original, client_id=client_id)
    name = str(original["name"])
    kind = rng.randrange(3)
    if kind == 0:
        name = rng.choice((name.upper(), name.lower(), _strip_accents(name)))
        name = name.replace(" ", "  ", 1) if rng.random() < 0.5 else f" {name} "
    elif kind == 1:
        changed = " ".join(PHONETIC_VARIANTS.get(word, word) for word in name.split())
        name = changed if changed != name else _strip_accents(name).lower()
    else:
        name = name.replace(" da ", " ").replace(" de ", " ").replace(" dos ", " ")
    dup["name"] = name
    if dup["document"] is not None:
        document = str(dup["document"])
        dup["document"] = document.replace(".", "").replace("-", "") if rng.random() < 0.5 else None
    if dup["phone"] is not None:
        dup["phone"] = _phone_variant(rng, str(dup["phone"])) if rng.random() < 0.7 else None
    if dup["email"] is not None:
        dup["email"] = str(dup["email"]).upper() if rng.random() < 0.5 else None
    if dup["city"] is not None and rng.random() < 0.5:
        dup["city"] = _strip_accents(str(dup["city"])).upper()
    return dup


def generate(clients: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`clients` rows of which DUPLICATE_SHARE are injected duplicates, and the truth pairs."""
    rng = random.Random(seed)
    originals = int(clients * (1 - DUPLICATE_SHARE))
    rows = [_base_client(rng, client_id) for client_id in range(1, originals + 1)]
    truth: list[tuple[int, int]] = []
    for client_id in range(originals + 1, clients + 1):
        original = rows[rng.randrange(originals)]
        rows.append(_duplicate_of(rng, original, client_id))
        truth.append((int(str(original["client_id"])), client_id))
    frame = pl.DataFrame(rows, schema={c: pl.String for c in rows[0]} | {"client_id": pl.Int64})
    truth_frame = pl.DataFrame(truth, schema=["client_id_a", "client_id_b"], orient="row")
    return frame, truth_frame


def _truth_pairs_closed(truth: pl.DataFrame) -> pl.DataFrame:
    """Two duplicates of the same original are duplicates of each other too."""
    groups = pl.concat(
        [
            truth.select(pl.col("client_id_a").alias("group"), pl.col("client_id_a").alias("id")),
            truth.select(pl.col("client_id_a").alias("group"), pl.col("client_id_b").alias("id")),
        ]
    ).unique()
    return _pairs_within(groups)


def _pairs_within(groups: pl.DataFrame) -> pl.DataFrame:
    left = groups.rename({"id": "client_id_a"})
    right = groups.rename({"id": "client_id_b"})
    return (
        left.join(right, on="group")
        .filter(pl.col("client_id_a") < pl.col("client_id_b"))
        .select("client_id_a", "client_id_b")
        .unique()
    )


def detect(data_dir: Path, clean: bool) -> None:
    """The measured part, run in its own process."""
    clients = pl.read_ipc(data_dir / "clients.arrow")
    truth = _truth_pairs_closed(pl.read_ipc(data_dir / "truth.arrow"))
    started = time.perf_counter()
    clusters = duplicate_clusters(clients.lazy())
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = _pairs_within(
        clusters.select(pl.col("cluster_id").alias("group"), pl.col("client_id").alias("id"))
    )
    hits = found.join(truth, on=["client_id_a", "client_id_b"]).height
    precision = hits / found.height if found.height else 0.0
    recall = hits / truth.height if truth.height else 0.0
    print(f"clients            {clients.height:>12,}")
    print(f"injected pairs     {truth.height:>12,}")
    print(f"clusters           {clusters['cluster_id'].n_unique():>12,}")
    print(f"clustered pairs    {found.height:>12,}")
    print(f"duplicate_clusters {elapsed:>11.2f}s")
    print(f"peak RSS           {peak_mib:>10,.0f} MiB")
    print(f"precision          {precision:>12.4f}")
    print(f"recall             {recall:>12.4f}")
    print("by confidence:", dict(clusters.group_by("confidence").len().iter_rows()))
    confidence = clusters.select("cluster_id", "confidence").unique()
    grouped = clusters.select(pl.col("cluster_id").alias("group"), pl.col("client_id").alias("id"))
    for level, members in grouped.join(
        confidence.rename({"cluster_id": "group"}), on="group"
    ).group_by("confidence"):
        level_pairs = _pairs_within(members.drop("confidence"))
        level_hits = level_pairs.join(truth, on=["client_id_a", "client_id_b"]).height
        share = level_hits / level_pairs.height
        print(f"precision {level[0]:<8} {share:>12.4f} ({level_pairs.height:,} pairs)")
    if clean:
        started = time.perf_counter()
        normalized = normalized_clients(clients.lazy()).collect()
        distinct = clients["phone"].n_unique()
        print(f"normalized_clients {time.perf_counter() - started:>11.2f}s ({distinct:,} phones)")
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS after     {peak_mib:>10,.0f} MiB")
        print("issues:", normalized.select(pl.col("^.*_issue$").count()).row(0, named=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clean", action="store_true", help="also time normalized_clients")
    parser.add_argument("--detect", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.detect:
        detect(args.detect, args.clean)
        return
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        clients, truth = generate(args.clients, args.seed)
        clients.write_ipc(Path(tmp) / "clients.arrow")
        truth.write_ipc(Path(tmp) / "truth.arrow")
        print(f"generated in {time.perf_counter() - started:.1f}s (not measured below)")
        command = [sys.executable, __file__, "--detect", tmp]
        subprocess.run(command + (["--clean"] if args.clean else []), check=True)


if __name__ == "__main__":
    main()
