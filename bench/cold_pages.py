"""Cold renders of the benchmarked pages, one request in process right after a write.

    PYTHONPATH=$PWD .venv/bin/python bench/cold_pages.py [--runs 5] [--page home]
        [--profile home] [--db bench/out/bench.sqlite3]

For each page: one warm request, then `--runs` times a second SQLite connection bumps the
`site` page version (what any write does to every page's freshness check) and the page is
requested through the test client, so it is rendered, not served from memory (checked by
`X-Cache: miss`). Prints the median time (and the best, and the median CPU time of the
process: steadier than wall time on a shared machine), the query count, the time SQLite alone takes
for that request's statements (replayed with `bench.run.sql_seconds`) and the rest
(Python: ORM, templates). `--profile PAGE` prints a cProfile of one more cold request.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import note_author, sql_seconds  # noqa: E402

BUMP = (
    "INSERT INTO page_versions (scope, version) VALUES ('site', 1) "
    "ON CONFLICT (scope) DO UPDATE SET version = page_versions.version + 1"
)


def bench_pages(db_path: Path) -> list[tuple[str, str]]:
    """(name, path) of the pages `make bench` measures, with the same ids."""
    with sqlite3.connect(db_path) as connection:
        thread = connection.execute(
            "SELECT question_id FROM answers GROUP BY question_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    return [
        ("home", "/"),
        ("book dashboard", "/books/1"),
        ("chapter", "/books/1/chapters/1"),
        ("note", "/notes/1"),
        ("member", f"/members/{note_author(db_path, 1)}"),
        ("board", "/board"),
        ("thread (30 answers)", f"/questions/{thread}"),
        ("search", "/search?q=%EC%84%A4%EC%A0%95"),
    ]


def bump(db_path: Path) -> None:
    """What a write on another worker does to this page's freshness check."""
    with sqlite3.connect(db_path) as writer:
        writer.execute(BUMP)


def cold(client, path: str, db_path: Path, statements: list, runs: int) -> dict:
    """Median time of `runs` cold requests, their statements and the SQL time of those."""
    times, cpu, executed = [], [], []
    for _ in range(runs):
        bump(db_path)
        statements.clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        executed.append((times[-1], list(statements)))
        if response.headers.get("X-Cache") == "hit":
            raise SystemExit(f"{path}: served from memory after a write")
    _, median_statements = sorted(executed, key=lambda run: run[0])[len(executed) // 2]
    replay = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    timed = [(sql_seconds(replay, text, params), text) for text, params in median_statements]
    replay.close()
    sql = sum(seconds for seconds, _ in timed)
    total = statistics.median(times)
    return {
        "ms": total * 1000,
        "best_ms": min(times) * 1000,
        "cpu_ms": statistics.median(cpu) * 1000,
        "queries": len(median_statements),
        "sql_ms": sql * 1000,
        "python_ms": (total - sql) * 1000,
        "kb": len(response.data) / 1000,
        "status": response.status_code,
        "slowest": max(timed, default=(0.0, "")),
        "timed": timed,
    }


def main(argv: list[str] | None = None) -> None:
    """Measure and print the cold pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "bench.sqlite3")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page", action="append", help="only these pages (by name prefix)")
    parser.add_argument("--profile", help="cProfile one cold request of this page")
    parser.add_argument("--slowest", action="store_true", help="print each slowest statement")
    parser.add_argument("--statements", action="store_true", help="print every statement")
    args = parser.parse_args(argv)
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{args.db.resolve()}",
            "SECRET_KEY": "bench",
            "PUBLIC_READ": True,
            "RATELIMIT_ENABLED": False,
            "PROPAGATE_EXCEPTIONS": True,
        }
    )
    statements: list = []
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, runs {args.runs}")
    print(
        f"{'page':<22}{'cold ms':>9}{'best':>7}{'CPU':>7}{'queries':>9}{'SQL ms':>9}"
        f"{'Python ms':>11}{'KB':>8}"
    )
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def count(_conn, _cursor, statement, parameters, *_args):
            statements.append((statement, parameters))

        client = app.test_client()
        for name, path in bench_pages(args.db):
            if args.page and not any(name.startswith(p) for p in args.page):
                continue
            client.get(path)
            r = cold(client, path, args.db, statements, args.runs)
            print(
                f"{name:<22}{r['ms']:>9.1f}{r['best_ms']:>7.1f}{r['cpu_ms']:>7.1f}"
                f"{r['queries']:>9}{r['sql_ms']:>9.1f}{r['python_ms']:>11.1f}{r['kb']:>8.1f}"
                + ("" if r["status"] == 200 else f"  status {r['status']}")
            )
            if args.slowest:
                seconds, text = r["slowest"]
                print(f"    slowest {seconds * 1000:.1f} ms: {' '.join(text.split())[:240]}")
            for seconds, text in r["timed"] if args.statements else []:
                print(f"    {seconds * 1000:6.2f} ms: {' '.join(text.split())[:400]}")
            if args.profile and name.startswith(args.profile):
                bump(args.db)
                profiler = cProfile.Profile()
                profiler.runcall(client.get, path)
                order, rows = os.environ.get("SORT", "cumulative"), os.environ.get("NSTATS", "45")
                pstats.Stats(profiler).sort_stats(order).print_stats(int(rows))
        db.engine.dispose()


if __name__ == "__main__":
    main()
