"""Cold search requests at bench scale: the median of 5, split into SQL and Python time.

Run: `PYTHONPATH=$PWD .venv/bin/python bench/search_cold.py [DB] [QUERY ...]` (DB defaults
to bench/out/bench.sqlite3). Each request follows a write by another connection, as in
`make bench` (bench/run.py's cold_request, which still bumps the `site_versions` table that
scoped page versions replaced; here the search page's scopes are bumped instead): the page
is rendered and SQLite rereads its pages.
The SQL share is the request's own statements replayed, cold, each time right after another
write; Python is the rest. CPU times are printed beside wall times: on a shared machine they
vary less.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import OUT

QUERIES = ("설정", "큐", '"설정 파일"', "294쪽", "캐시 설정", "설정 밸런서", "오토스케일링",
    "설정&book=1", "설정&page=40",
)  # fmt: skip
RUNS = 5


_BUMP = (
    "INSERT INTO page_versions (scope, version) VALUES (?, 1) "
    "ON CONFLICT (scope) DO UPDATE SET version = version + 1"
)


def _bump(db_path: Path) -> None:
    """What an answer posted through the other worker does to the search page's scopes."""
    with sqlite3.connect(db_path) as writer:
        writer.executemany(_BUMP, [("site",), ("search",)])


def _timed(run) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall and CPU milliseconds of one call (CPU time is steadier on a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def cold_request(client, path: str, db_path: Path, statements: list) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """bench/run.py's cold_request with today's page versions: (wall, CPU) ms of each run."""
    times = []
    for _ in range(RUNS):
        _bump(db_path)
        statements.clear()
        times.append(_timed(lambda: client.get(path)))
    return times


def cold_sql(db_path: Path, statements: list[tuple[str, object]]) -> list[tuple[float, float]]:
    """The statements of one request replayed RUNS times, each right after a write (rows
    fetched, on one open connection, as the app's pool keeps it): (wall, CPU) ms."""
    replay = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    selects = [
        (sql, p) for sql, p in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))
    ]

    def run() -> None:
        for sql, params in selects:
            replay.execute(sql, params or ()).fetchall()

    run()  # the schema is read once, as by the app's long-lived connection
    times = []
    for _ in range(RUNS):
        _bump(db_path)
        times.append(_timed(run))
    replay.close()
    return times


def _median(times: list[tuple[float, float]], index: int) -> float:
    return statistics.median(t[index] for t in times)


def measure(client, db_path: Path, statements: list, query: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Cold request and cold SQL, wall and CPU ms (medians of RUNS), and its statements."""
    words, _, more = query.partition("&")  # "설정&book=1": filters after the words
    path = "/search?q=" + quote(words) + (f"&{more}" if more else "")
    response = client.get(path)  # warm the Python side (templates, compiled statements)
    assert response.status_code == 200, response.status_code
    request = cold_request(client, path, db_path, statements)
    count = len(statements)
    sql = cold_sql(db_path, list(statements))
    return {
        "ms": _median(request, 0), "sql": _median(sql, 0), "cpu": _median(request, 1),
        "sql_cpu": _median(sql, 1), "queries": count,
    }  # fmt: skip


def main(argv: list[str]) -> None:
    """Print one line per query: cold total, SQL and Python milliseconds."""
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    db_path = (Path(argv[0]) if argv else OUT / "bench.sqlite3").resolve()
    queries = argv[1:] or list(QUERIES)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
            "SECRET_KEY": "bench",
            "PUBLIC_READ": True,
            "RATELIMIT_ENABLED": False,
            "PROPAGATE_EXCEPTIONS": True,
        }
    )
    statements: list[tuple[str, object]] = []
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(_conn, _cursor, statement, parameters, *_args):  # type: ignore[no-untyped-def]
            statements.append((statement, parameters))

        client = app.test_client()
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print("query | cold ms | SQL ms | Python ms | cold CPU ms | SQL CPU ms | queries")
        for query in queries:
            m = measure(client, db_path, statements, query)
            print(
                f"{query} | {m['ms']:.1f} | {m['sql']:.1f} | {m['ms'] - m['sql']:.1f} | "
                f"{m['cpu']:.1f} | {m['sql_cpu']:.1f} | {m['queries']:.0f}"
            )
        db.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
