"""Search benchmark: 100,000 generated Korean documents, median and p95 query time.

Run: `.venv/bin/python bench/search_bench.py [--documents N] [--queries N] [--keep PATH [--reuse]]`.
With `--bench-db PATH` (or BENCH_DB, which bench/run.py sets: the bench/generate.py database,
3 books × 50 members × 30 chapters) it also times the whole search of common words (설정)
in process, as the search page calls it. `main(argv)` returns the figures (milliseconds).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert

from app.extensions import db
from app.models import Book, Member
from app.search import Document, Filters
from app.search import run_search as run_search_on
from app.search.sqlite import add_documents, ensure_index, optimize_index

# Common Hangul syllables; words are built from them, so they share syllables like real text.
SYLLABLES = (
    "가각간감강개거건검게격결경계고공과관광교구국군권규그극근금기길김나날남내너년노논"
    "농누눈다단달담당대더덕도독동두드들등디라락란람랑래량러런레력련렬령로록론료루류륙"
    "률르리린림마만말망매머메면명모목무문물미민밀바박반발방배백번범법변별병보복본부북"
    "분불비빈사산살상새색생서석선설성세소속손송수숙순술스승시식신실심아악안알암압앙애"
    "야약양어억언얼엄업에여역연열염영예오옥온와완왕외요용우운울원월위유육윤율은을음응"
    "의이인일임입자작잔장재저적전절점정제조족존종좌주죽준중즉증지직진질집차착찬참창채"
    "처천철청체초촉총최추축춘출충취측치칙친카컴케코쿠큐크키타탁탄탐태터테토통투트특파"
    "판패퍼페편평폐포표품풍프피필하학한할함합항해핵행향허험혁현협형호혹혼화확환활황회"
    "획효후훈휴흐흑흥희히"
)
LATIN = (
    "kafka", "redis", "docker", "kubernetes", "sql", "nosql", "api", "http", "tcp", "cache",
    "index", "shard", "replica", "leader", "follower", "queue", "topic", "stream", "batch",
    "cluster", "node", "raft", "paxos", "lock", "mvcc", "btree",
)  # fmt: skip
PARTICLES = (
    "을",
    "를",
    "이",
    "가",
    "은",
    "는",
    "의",
    "에",
    "에서",
    "으로",
    "로",
    "와",
    "과",
    "도",
    "만",
    "",
)
SEED = 7
VOCABULARY_SIZE = 20_000
ENDINGS = ("합니다", "했다", "하는", "된다", "이다", "있다", "없다", "한다", "해야", "하면")


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    """Distinct nouns: mostly 2 syllables, many 3–4, like Korean technical prose."""
    words: dict[str, None] = {}
    lengths = (2, 2, 2, 2, 3, 3, 4, 4)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice(lengths)))
        words[word] = None
    return list(words)


def zipf_weights(count: int) -> list[float]:
    """Cumulative Zipf weights: the n-th word is used about 1/n as often as the first."""
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1 / rank
        cumulative.append(total)
    return cumulative


class TextGenerator:
    """Sentences of nouns with particles and verb endings, with a little Latin."""

    def __init__(self, rng: random.Random, vocabulary: list[str]) -> None:
        self.rng = rng
        self.vocabulary = vocabulary
        self.cumulative = zipf_weights(len(vocabulary))

    def words(self, count: int) -> list[str]:
        """`count` words drawn by frequency."""
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    def sentence(self) -> str:
        """One sentence: 4–10 nouns with particles, a verb ending, sometimes a Latin term."""
        parts = [word + self.rng.choice(PARTICLES) for word in self.words(self.rng.randint(4, 10))]
        if self.rng.random() < 0.2:
            parts.insert(self.rng.randrange(len(parts)), self.rng.choice(LATIN).capitalize())
        parts.append(self.rng.choice(ENDINGS) + ".")
        return " ".join(parts)

    def document(self, ref_id: int) -> Document:
        """A note (long), question (short, titled) or answer (medium)."""
        roll = self.rng.random()
        kind = "note" if roll < 0.6 else "question" if roll < 0.85 else "answer"
        sentences = {"note": (6, 14), "question": (1, 3), "answer": (2, 6)}[kind]
        body = " ".join(self.sentence() for _ in range(self.rng.randint(*sentences)))
        title = "" if kind == "answer" else " ".join(self.words(self.rng.randint(2, 5)))
        return Document(
            kind=kind,
            ref_id=ref_id,
            book_id=self.rng.randint(1, 5),
            member_id=self.rng.randint(1, 30),
            title=title,
            body=body,
            question_id=None,
            chapters=(self.rng.randint(1, 12),),
            updated_at=datetime(2026, 1, 1) + timedelta(minutes=ref_id),
        )


def build_database(path: Path, documents: int) -> tuple[object, list[str]]:
    """Fill a fresh SQLite file with generated documents; return the engine and vocabulary."""
    rng = random.Random(SEED)
    vocabulary = make_vocabulary(rng, VOCABULARY_SIZE)
    generator = TextGenerator(rng, vocabulary)
    engine = create_engine(f"sqlite:///{path}")
    db.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(Book), [{"id": i, "title": f"책 {i}"} for i in range(1, 6)])
        conn.execute(insert(Member), [{"id": i, "name": f"회원{i}"} for i in range(1, 31)])
        ensure_index(conn)
        add_documents(conn, [generator.document(i).row() for i in range(1, documents + 1)])
        optimize_index(conn)
    return engine, vocabulary


def pick_terms(vocabulary: list[str], length: int, count: int, seed: int = 11) -> list[str]:
    """`count` different words of `length` characters, across common and rare ones."""
    candidates = [word for word in vocabulary[:10_000] if len(word) == length]
    return random.Random(seed).sample(candidates, min(count, len(candidates)))


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return (
        round(statistics.median(ordered), 2),
        round(ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)], 2),
    )


def time_queries(engine, terms: list[str]) -> dict[str, float]:
    """Median and p95 (ms) of a first results page per term, after a warm-up pass.

    Wall-clock time is the figure; CPU time is printed beside it because on a shared machine
    the wall clock also counts time spent waiting for a core."""
    wall, cpu = [], []
    with engine.connect() as conn:
        for term in terms:  # warm the caches
            run_search_on(conn, term, Filters())
        for term in terms:
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            run_search_on(conn, term, Filters())
            wall.append((time.perf_counter() - start_wall) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    median, p95 = _percentiles(wall)
    cpu_median, cpu_p95 = _percentiles(cpu)
    return {
        "median_ms": median,
        "p95_ms": p95,
        "cpu_median_ms": cpu_median,
        "cpu_p95_ms": cpu_p95,
        "queries": len(terms),
    }


def run(
    documents: int = 100_000, queries: int = 200, keep: Path | None = None, reuse: bool = False
) -> dict[str, dict[str, float]]:
    """Index `documents` generated documents; time 2-letter, 4-letter and 1-letter terms.

    Prints one line per term length and returns {label: {median_ms, p95_ms, ...}}. With
    `keep` the database file stays; with `reuse` too, an existing one is timed, not rebuilt."""
    with tempfile.TemporaryDirectory() as tmp:
        path = keep or Path(tmp) / "search_bench.sqlite3"
        if reuse and path.exists():
            engine = create_engine(f"sqlite:///{path}")
            vocabulary = make_vocabulary(random.Random(SEED), VOCABULARY_SIZE)
        else:
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
            start = time.perf_counter()
            engine, vocabulary = build_database(path, documents)
            print(f"search: {documents:,} documents indexed in {time.perf_counter() - start:.0f} s")
        figures = {}
        for label, terms in (
            ("2-letter", pick_terms(vocabulary, 2, queries)),
            ("4-letter", pick_terms(vocabulary, 4, queries)),
            ("1-letter", list(SYLLABLES[:: max(1, len(SYLLABLES) // 40)])),
        ):
            figures[label] = result = time_queries(engine, terms)
            print(
                f"search {label} terms: median {result['median_ms']} ms, "
                f"p95 {result['p95_ms']} ms (CPU: median {result['cpu_median_ms']} ms, "
                f"p95 {result['cpu_p95_ms']} ms; {result['queries']} different terms)"
            )
        engine.dispose()
    return figures


COMMON_WORDS = ("설정", "데이터", "카프카", "리더", "큐")


def time_bench_database(path: Path, rounds: int = 30) -> dict[str, dict[str, float]]:
    """Median and p95 (ms) of `search(word)` on the bench/generate.py database, in process."""
    import os

    from app import create_app
    from app.search import search
    from app.search.sqlite import MARKER_TABLE, rebuild_index

    os.environ.setdefault("SECRET_KEY", "bench")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    figures: dict[str, dict[str, float]] = {}
    with app.app_context():
        with db.engine.begin() as conn:
            if not conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (MARKER_TABLE,)
            ).first():
                start = time.perf_counter()
                print(f"search: bench database indexed ({rebuild_index(conn):,} documents) "
                      f"in {time.perf_counter() - start:.0f} s")  # fmt: skip
        for word in COMMON_WORDS:
            search(word)  # warm up
            wall = []
            for _ in range(rounds):
                start = time.perf_counter()
                results = search(word)
                wall.append((time.perf_counter() - start) * 1000)
            db.session.rollback()
            median, p95 = _percentiles(wall)
            figures[f"bench-db {word}"] = {"median_ms": median, "p95_ms": p95,
                                            "matches": results.total}  # fmt: skip
            print(f"search on the bench database, {word}: median {median} ms, p95 {p95} ms "
                  f"({results.total_text} matches)")  # fmt: skip
        db.engine.dispose()
    return figures


def main(argv: list[str] | None = None) -> dict[str, dict[str, float]]:
    """Command-line entry (bench/run.py calls `main([])`): parse `argv`, run, return figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="build into this file and keep it")
    parser.add_argument("--reuse", action="store_true", help="time the --keep file as it is")
    parser.add_argument("--bench-db", type=Path, help="also time the bench/generate.py database")
    parser.add_argument("--only-bench-db", action="store_true", help="skip the generated index")
    arguments = parser.parse_args(argv)
    import os

    bench_db = arguments.bench_db or (
        Path(os.environ["BENCH_DB"]) if "BENCH_DB" in os.environ else None
    )
    figures = {} if bench_db is None else time_bench_database(bench_db)
    if arguments.only_bench_db:
        return figures
    return figures | run(arguments.documents, arguments.queries, arguments.keep, arguments.reuse)


if __name__ == "__main__":
    main()
