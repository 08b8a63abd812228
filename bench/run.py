"""`make bench`: how fast Studyhall is at a large group's scale, measured unattended.

1. Generates a large study (bench/generate.py) into a throwaway SQLite file in bench/out/
   (kept for the next run while the generator, schema, renderer and search code are
   unchanged; BENCH_FRESH=1 builds it again). BENCH_SKIP_IMPORT=1 skips step 2,
   BENCH_SKIP_POSTGRES=1 step 6, BENCH_SECONDS sets the load per page (5 by default) and
   BENCH_CONNECTIONS its connections (8), for quick iterations.
2. Times the importer (`flask --app app notes import FOLDER`) on the 4,500 notes as files:
   a first import into an empty database, then a second, unchanged import, within what
   the later steps leave of the 15-minute budget.
3. Counts the SQL queries of one request per page (test client, in process), and times
   one request right after a write (cold: the page is rendered, not served from memory).
4. Serves the app with gunicorn (2 sync workers) with a bare `/__hello` route beside it
   (bench/wsgi.py) and drives each page for 5 s with 8 connections (wrk, which `make bench`
   installs as root, else a small Python client): requests per second, p50/p99, ratio to
   hello, worker memory.
5. Mixed load: step 4 again on a copy of the database while a writer posts answers through
   the API, at 1 and at 5 a second, reported beside the read-only run.
6. PostgreSQL: a throwaway cluster (tests/postgres.py), the bench database copied into it
   with app/transfer's functions, then steps 3 to 5 again on it, reported beside SQLite.
7. Runs bench/search_bench.py's main() when present, with what is left of the budget.
Prints PASS/MISS per target and writes the tables to bench/out/last-run.md.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import math
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402

OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
# 8 connections on 2 sync workers: 4 requests in flight per worker. Issue 15's figures
# (note 37% of hello, p99 17 ms) bound the connections it used: by Little's law a page
# serving ~1,000 req/s with every latency under 17 ms has fewer than 17 in flight.
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
# 5 s a page (10 until the PostgreSQL runs were added) keeps the whole run within budget.
DURATION_S = float(os.environ.get("BENCH_SECONDS", "5"))
TOTAL_BUDGET_S = 14 * 60  # make bench must finish within 15 minutes
TARGET_RATIO = 0.30
TARGET_P99_MS = 100.0
TARGET_WORKER_MB = 150.0
TARGET_REIMPORT_SHARE = 0.10

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    "WRKJSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"p50_us\\": %d, \\"p99_us\\": %d, "
    .. "\\"errors\\": %d, \\"status_errors\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    summary.errors.status))
end
"""


@dataclass
class PageResult:
    """What the benchmark measured for one page."""

    name: str
    path: str
    status: str = ""
    queries: int | None = None
    size_bytes: int | None = None
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    worker_peak_mb: float | None = None
    inprocess_ms: float | None = None
    cold_ms: float | None = None
    cold_queries: int | None = None
    cold_target_ms: float = 5.0
    sql_ms: float | None = None
    slowest_sql: str = ""
    revalidate_rps: float | None = None
    notes: list[str] = field(default_factory=list)


def log(message: str) -> None:
    """Progress on stderr-like stdout, flushed so `make bench` shows it as it happens."""
    print(message, flush=True)


def machine_description() -> str:
    """CPU model, cores, memory, OS, Python and SQLite versions of this machine."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    return (
        f"{model}, {os.cpu_count()} cores, {mem_kb / 1024 / 1024:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` (0..1) of the sorted values fall (nearest rank)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(round(share * len(ordered), 9)))
    return ordered[min(rank, len(ordered)) - 1]


def verdict(ok: bool | None) -> str:
    """PASS, MISS, or n/a when there is nothing to judge."""
    if ok is None:
        return "n/a"
    return "PASS" if ok else "MISS"


# --- the importer ------------------------------------------------------------------------


def bench_importer(notes: list[generate.GeneratedNote], budget_s: float) -> dict:
    """Time a first and a second, unchanged `flask notes import` of the notes as files,
    together within `budget_s` (a first import stopped early still gives its rate)."""
    env = {**os.environ, "SECRET_KEY": "bench", "FLASK_APP": "app"}
    flask = [str(BIN / "flask"), "--app", "app", "notes", "import"]
    probe = subprocess.run(
        [*flask, "--help"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    if probe.returncode != 0:
        return {"skipped": "`flask notes import` does not exist yet (" + _last_line(probe) + ")"}
    folder = OUT / "notes"
    shutil.rmtree(folder, ignore_errors=True)
    generate.write_folder(notes, folder)
    db_path = (OUT / "import.sqlite3").resolve()
    app = generate.migrate_fresh(db_path)
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()
    env["DATABASE_URL"] = f"sqlite:///{db_path}"
    result: dict = {"notes_written": len(notes)}
    deadline = time.perf_counter() + budget_s
    for run in ("first", "second"):
        started = time.perf_counter()
        # The first import may use 80% of what is left; the second gets the rest.
        limit = max(30.0, (deadline - started) * (0.8 if run == "first" else 1.0))
        try:
            done = subprocess.run(
                [*flask, str(folder)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=limit,
            )
        except subprocess.TimeoutExpired:
            result[f"{run}_error"] = f"stopped after {limit:.0f} s (time budget of make bench)"
            result[f"{run}_exit"] = "stopped"
            if run == "first":  # the rate so far still says something
                result["first_s"] = limit
                result["notes_in_db"] = _count_notes(db_path)
            return result
        result[f"{run}_s"] = time.perf_counter() - started
        result[f"{run}_exit"] = done.returncode
        output = done.stdout.strip().splitlines()
        result[f"{run}_report"] = output[0][:200] if output else _last_line(done)
        skipped = [line.strip() for line in output if line.lstrip().startswith("건너뜀")]
        if skipped:
            result[f"{run}_skipped_example"] = skipped[0][:300]
        if done.returncode != 0:
            result[f"{run}_error"] = (done.stderr or done.stdout)[-1500:]
        if run == "first":
            result["notes_in_db"] = _count_notes(db_path)
    return result


def note_author(db_path: Path, note_id: int) -> int:
    """The member who wrote a note (their page is benchmarked)."""
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT member_id FROM notes WHERE id = ?", (note_id,)
        ).fetchone()[0]


def _count_notes(db_path: Path) -> int:
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT count(*) FROM notes").fetchone()[0]


def _last_line(done: subprocess.CompletedProcess) -> str:
    lines = (done.stdout or done.stderr or "").strip().splitlines()
    return lines[-1][:200] if lines else ""


# --- queries per page ----------------------------------------------------------------------


def count_queries(url: str, pages: list[PageResult]) -> None:
    """Fill each page's status, size and SQL query count for one warm request (the median
    of three), its time in process, its cold request (right after a write), and the time
    the database alone takes for the cold request's statements (replayed with their
    parameters, rows fetched), naming the slowest one."""
    from sqlalchemy import create_engine, event

    from app import create_app
    from app.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "PUBLIC_READ": True,
            "RATELIMIT_ENABLED": False,
            "PROPAGATE_EXCEPTIONS": True,
        }
    )
    statements: list[tuple[str, object]] = []
    side = create_engine(url)  # the replays and the writes that make a request cold
    replay = side.raw_connection()
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def count(_conn, _cursor, statement, parameters, *_args):
            statements.append((statement, parameters))

        client = app.test_client()
        for page in pages:
            try:
                _measure_page(client, page, statements, side, replay)
            except Exception as error:  # a broken page is a finding, not a crash
                page.status = f"exception: {type(error).__name__}: {error}"[:160]
        db.engine.dispose()
    replay.close()
    side.dispose()


def _measure_page(client, page: PageResult, statements: list, side, replay) -> None:
    """One page's warm request (median of three), its cold request and the SQL time of
    the cold one (a warm request is served from the page store after one query)."""
    client.get(page.path)
    runs = []
    for _ in range(3):
        statements.clear()
        started = time.perf_counter()
        response = client.get(page.path)
        runs.append((time.perf_counter() - started, list(statements)))
    elapsed, executed = sorted(runs, key=lambda run: run[0])[1]
    page.cold_ms, page.cold_queries = cold_request(client, page.path, side, statements)
    cold_statements = list(statements)  # the last cold request's
    page.status = str(response.status_code)
    page.queries = len(executed)
    page.size_bytes = len(response.data)
    page.inprocess_ms = elapsed * 1000
    timed = [(sql_seconds(replay, sql, params), sql) for sql, params in cold_statements]
    page.sql_ms = sum(seconds for seconds, _ in timed) * 1000
    if timed:
        seconds, sql = max(timed)
        page.slowest_sql = f"{seconds * 1000:.1f} ms: " + " ".join(sql.split())[:300]


COLD_RUNS = 5
# What an answer posted through the other worker does to every page's freshness check.
BUMP_SITE = (
    "INSERT INTO page_versions (scope, version) VALUES ('site', 1) "
    "ON CONFLICT (scope) DO UPDATE SET version = page_versions.version + 1"
)


def cold_request(client, path: str, side, statements: list) -> tuple[float, int]:
    """One request right after a write: its time in ms (the median of COLD_RUNS) and its
    SQL statements. Another connection (engine `side`) bumps the site's page version first,
    as a write through the other worker would, so the page is rendered, not reused."""
    from sqlalchemy import text

    times, counts = [], []
    for _ in range(COLD_RUNS):
        with side.begin() as writer:
            writer.execute(text(BUMP_SITE))
        statements.clear()
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
        counts.append(len(statements))
    return statistics.median(times) * 1000, max(counts)


def sql_seconds(connection, sql: str, parameters: object) -> float:
    """How long the database takes to run a statement and fetch all its rows (best of 3),
    on a DBAPI connection of the same engine (so the statement's parameter style fits)."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return 0.0
    best = float("inf")
    cursor = connection.cursor()
    try:
        for _ in range(3):
            started = time.perf_counter()
            cursor.execute(sql, parameters or ())
            cursor.fetchall()
            best = min(best, time.perf_counter() - started)
    finally:
        cursor.close()
        connection.rollback()  # no snapshot or lock held between statements
    return best


# --- serving under load --------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now: from BENCH_PORTS
    ("5600-5699") when set, else any."""
    first, _, last = os.environ.get("BENCH_PORTS", "0-0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the master's child processes."""
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def peak_memory_mb(pids: list[int]) -> float | None:
    """The largest VmHWM (peak resident memory) among the processes, in MB."""
    peaks = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return max(peaks) if peaks else None


def fetch_status(base: str, path: str) -> tuple[str, int, str | None]:
    """GET one page: its status code, body size and ETag."""
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return str(response.status), len(response.read()), response.headers.get("ETag")
    except urllib.error.HTTPError as error:
        return str(error.code), 0, None
    except OSError as error:
        return f"error: {error}", 0, None


def load_with_wrk(url: str, script: Path, headers: dict[str, str] | None = None) -> dict:
    """Drive one URL with wrk: requests/s, p50, p99 (ms), errors."""
    extra = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    done = subprocess.run(
        [
            "wrk",
            *extra,
            "-t1",  # one load thread is plenty for these connections and leaves the server more CPU
            f"-c{CONNECTIONS}",
            f"-d{DURATION_S:g}s",
            "--timeout",
            "5s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=DURATION_S + 60,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures: {done.stdout[-300:]} {done.stderr[-300:]}")
    figures = json.loads(line.removeprefix("WRKJSON "))
    seconds = figures["duration_us"] / 1e6
    return {
        "rps": figures["requests"] / seconds,
        "p50_ms": figures["p50_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "errors": figures["errors"] + figures["status_errors"],
    }


def load_with_python(
    host: str, port: int, path: str, headers: dict[str, str] | None = None
) -> dict:
    """Drive one path with CONNECTIONS threads of keep-alive http.client (when wrk is missing)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + DURATION_S

    def client() -> None:
        mine: list[float] = []
        connection = http.client.HTTPConnection(host, port, timeout=5)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers or {})
                response = connection.getresponse()
                response.read()
                if response.status >= 400 or (headers and response.status != 304):
                    errors[0] += 1
                mine.append(time.perf_counter() - started)
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection(host, port, timeout=5)
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=5)
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000 if latencies else None,
        "p99_ms": percentile(latencies, 0.99) * 1000 if latencies else None,
        "errors": errors[0],
    }


@dataclass
class LoadRun:
    """One serving run: the hello loads, each page's figures and the writer's, if any."""

    writes_per_s: float
    hello: list[dict] = field(default_factory=list)
    pages: dict[str, dict] = field(default_factory=dict)
    writer: dict = field(default_factory=dict)

    @property
    def hello_rps(self) -> float | None:
        """The mean of the hello loads."""
        return statistics.mean(run["rps"] for run in self.hello) if self.hello else None


def start_server(url: str) -> tuple[subprocess.Popen, str, int]:
    """Gunicorn (2 sync workers) serving bench.wsgi on the database at `url` on a free
    port, once both workers answer."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PUBLIC_READ": "1",
        "SECRET_KEY": "bench",
    }
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench.wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(base + "/__hello", server)
    while len(worker_pids(server.pid)) < 2:
        time.sleep(0.1)
    return server, base, port


def stop_server(server: subprocess.Popen) -> None:
    """Stop gunicorn, killing it if it does not stop within 20 s."""
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def load_generator() -> str:
    """What drives the load: wrk when installed, else the Python client (and why)."""
    if shutil.which("wrk"):
        return "wrk"
    return (
        "python http.client threads (wrk is not installed: `make bench` installs the Debian "
        "package when run as root; figures are lower than with wrk)"
    )


def serve_and_load(
    url: str,
    pages: list[PageResult],
    writes_per_s: float = 0.0,
    thread_id: int = 0,
    revalidate: bool = True,
) -> tuple[LoadRun, str]:
    """Serve the database at `url` with gunicorn and load the hello route and every page,
    while a writer posts `writes_per_s` answers a second through the API (none and
    `revalidate`: also load each page's 304)."""
    server, base, port = start_server(url)
    generator = load_generator()
    use_wrk = generator == "wrk"
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT)
    run = LoadRun(writes_per_s)
    writer = Writer(base, thread_id, writes_per_s) if writes_per_s else None

    def drive(path: str, headers: dict[str, str] | None = None) -> dict:
        for _ in range(20):  # warm both workers: templates compiled, caches filled
            fetch_status(base, path)
        if use_wrk:
            return load_with_wrk(base + path, script, headers)
        return load_with_python("127.0.0.1", port, path, headers)

    parts = ["PostgreSQL"] if url.startswith("postgresql") else []
    parts += [f"{writes_per_s:g} writes/s"] if writes_per_s else []
    label = f" ({', '.join(parts)})" if parts else ""
    try:
        if writer:
            writer.start()
        log(f"  load{label}: /__hello")
        run.hello.append(drive("/__hello"))
        for page in pages:
            _settle(base)
            status, size, etag = fetch_status(base, page.path)
            if status != "200":
                run.pages[page.path] = {"status": status}
                continue
            log(f"  load{label}: {page.path}")
            figures = drive(page.path)
            figures.update(size=size, worker_peak_mb=peak_memory_mb(worker_pids(server.pid)))
            if (
                etag and revalidate and not writes_per_s
            ):  # a browser revisiting: If-None-Match → 304
                figures["revalidate_rps"] = drive(page.path, {"If-None-Match": etag})["rps"]
            run.pages[page.path] = figures
        _settle(base)
        log(f"  load{label}: /__hello (again)")
        run.hello.append(drive("/__hello"))
    finally:
        if writer:
            run.writer = writer.stop()
        stop_server(server)
        script.unlink(missing_ok=True)
    return run, generator


def apply_run(pages: list[PageResult], run: LoadRun) -> None:
    """Copy the read-only run's figures onto the pages."""
    for page in pages:
        figures = run.pages.get(page.path, {})
        if "rps" not in figures:
            status = figures.get("status", "not loaded")
            page.notes.append(f"served {status}: not loaded")
            page.status = page.status or status
            continue
        page.rps, page.p50_ms, page.p99_ms = figures["rps"], figures["p50_ms"], figures["p99_ms"]
        page.errors = figures["errors"]
        page.worker_peak_mb = figures["worker_peak_mb"]
        page.size_bytes = page.size_bytes or figures["size"]
        page.revalidate_rps = figures.get("revalidate_rps")


BENCH_TOKEN = "sh_bench-writer-token-not-a-secret"


def add_writer_token(url: str) -> int:
    """Give member 1 a login and an API token (BENCH_TOKEN) in this copy of the database;
    return a thread to answer (a thread other than the benchmarked one, in book 1)."""
    from sqlalchemy import create_engine, text

    from app.api.tokens import hash_token

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE members SET username = 'bench-writer', password_hash = 'x' WHERE id = 1"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO api_tokens (member_id, name, token_hash, created_at) "
                    "VALUES (1, 'bench writer', :hash, CURRENT_TIMESTAMP)"
                ),
                {"hash": hash_token(BENCH_TOKEN)},
            )
            return connection.execute(
                text(
                    "SELECT id FROM questions WHERE id > 1 AND book_id = 1 "
                    "AND deleted_at IS NULL AND hidden_at IS NULL ORDER BY id LIMIT 1"
                )
            ).scalar_one()
    finally:
        engine.dispose()


class Writer:
    """Posts answers through the API at a steady rate in a thread, as members before a
    meeting do, and times each post."""

    def __init__(self, base: str, thread_id: int, per_second: float):
        self.url = f"{base}/api/v1/questions/{thread_id}/answers"
        self.interval = 1.0 / per_second
        self.latencies: list[float] = []
        self.errors = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        """Begin posting."""
        self._thread.start()

    def stop(self) -> dict:
        """Stop posting; the posts made, errors and their p50/p99 in ms."""
        self._stop.set()
        self._thread.join(timeout=30)
        done = self.latencies
        return {
            "posts": len(done),
            "errors": self.errors,
            "p50_ms": percentile(done, 0.5) * 1000 if done else None,
            "p99_ms": percentile(done, 0.99) * 1000 if done else None,
        }

    def _run(self) -> None:
        number = 0
        next_at = time.perf_counter()
        while not self._stop.is_set():
            number += 1
            body = json.dumps({"body": f"벤치마크 답변 {number}: 캐시 무효화를 확인합니다."})
            request = urllib.request.Request(
                self.url,
                data=body.encode(),
                method="POST",
                headers={
                    "Authorization": f"Bearer {BENCH_TOKEN}",
                    "Content-Type": "application/json",
                },
            )
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                self.latencies.append(time.perf_counter() - started)
            except OSError:
                self.errors += 1
            next_at += self.interval
            self._stop.wait(max(0.0, next_at - time.perf_counter()))


def mixed_runs(db_path: Path, pages: list[PageResult], rates: list[float]) -> list[LoadRun]:
    """The page loads again on a copy of the SQLite database while a writer posts answers,
    once per rate (answers a second)."""
    copy = OUT / "mixed.sqlite3"
    runs = []
    for rate in rates:
        shutil.copyfile(db_path, copy)
        for suffix in ("-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{copy}"
        run, _ = serve_and_load(url, pages, rate, add_writer_token(url))
        runs.append(run)
    copy.unlink(missing_ok=True)
    return runs


def _settle(base: str) -> None:
    """Wait until the workers have drained the previous load's queue (a slow page leaves
    requests queued after wrk stops), so one page's backlog is not charged to the next."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        started = time.monotonic()
        status, _, _ = fetch_status(base, "/__hello")
        if status == "200" and time.monotonic() - started < 0.5:
            return
        time.sleep(0.5)


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


# --- PostgreSQL ---------------------------------------------------------------------------


@dataclass
class PostgresBench:
    """The runs on a throwaway PostgreSQL cluster holding a copy of the bench database."""

    skipped: str = ""
    version: str = ""
    steps: dict[str, float] = field(default_factory=dict)
    pages: list[PageResult] = field(default_factory=list)  # query counts and cold renders
    runs: list[LoadRun] = field(default_factory=list)  # read-only first, then each rate


def postgres_runs(db_path: Path, pages: list[PageResult], rates: list[float]) -> PostgresBench:
    """Start a throwaway cluster (tests/postgres.py), copy the bench database into it
    with app/transfer, and run the cold renders, the read-only load and the mixed loads."""
    from tests.postgres import postgres_bin_dir, start_cluster

    if postgres_bin_dir() is None:
        return PostgresBench(
            skipped="PostgreSQL's initdb/pg_ctl are not installed "
            "(`make bench` installs the Debian package when run as root)"
        )
    cluster = start_cluster()
    try:
        return _bench_on_cluster(cluster, db_path, pages, rates)
    finally:
        cluster.stop()


def _bench_on_cluster(cluster, db_path: Path, pages: list[PageResult], rates: list[float]):
    """postgres_runs' steps on a running cluster; each run serves a fresh template copy."""
    result = PostgresBench(version=cluster.sql("SHOW server_version")[0][0])
    cluster.sql("CREATE DATABASE bench_base")
    result.steps = fill_base(cluster, db_path, postgres_key(db_path, cluster.bin_dir))

    def fresh_copy(name: str) -> str:
        cluster.sql(f"CREATE DATABASE {name} TEMPLATE bench_base")
        return cluster.url(name)

    url = fresh_copy("bench_read")
    log("  PostgreSQL: counting queries …")
    result.pages = [PageResult(p.name, p.path, cold_target_ms=p.cold_target_ms) for p in pages]
    count_queries(url, result.pages)
    result.runs.append(serve_and_load(url, pages, revalidate=False)[0])
    for number, rate in enumerate(rates):
        url = fresh_copy(f"bench_mixed_{number}")
        result.runs.append(serve_and_load(url, pages, rate, add_writer_token(url))[0])
    return result


PG_DUMP = OUT / "bench-postgres.dump"
# What the PostgreSQL copy depends on besides the SQLite database (whose key covers the
# models, migrations and search code) and the server version.
PG_KEY_SOURCES = ["app/transfer"]


def postgres_key(db_path: Path, bin_dir: Path) -> str:
    """A hash of what the PostgreSQL copy of the bench database is made from: the SQLite
    database (its generator key and when it was built), the copying code, the server."""
    server = subprocess.run(
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    digest = hashlib.sha256(f"{generate.generator_key()} {server}".encode())
    info = db_path.with_suffix(".json")
    digest.update(info.read_bytes() if info.exists() else b"")
    digest.update(str(info.stat().st_mtime_ns if info.exists() else 0).encode())
    for name in PG_KEY_SOURCES:
        path = ROOT / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()


def saved_copy_is_current(key: str) -> bool:
    """Whether bench/out holds a dump of the PostgreSQL copy made from the same inputs."""
    key_file = PG_DUMP.with_suffix(".key")
    fresh = os.environ.get("BENCH_FRESH") == "1"
    return not fresh and PG_DUMP.exists() and key_file.exists() and key_file.read_text() == key


def fill_base(cluster, db_path: Path, key: str) -> dict[str, float]:
    """Fill the cluster's empty `bench_base`: restore the dump an earlier run saved when
    its key matches (as BENCH_FRESH=1 does not), else migrate, copy with app/transfer and
    save a dump for the next run; ANALYZE either way. Seconds per step."""
    key_file = PG_DUMP.with_suffix(".key")
    tools = {"host": str(cluster.socket_dir), "user": "postgres"}
    base = cluster.url("bench_base")
    steps: dict[str, float] = {}
    started = time.perf_counter()
    if saved_copy_is_current(key):
        log("  PostgreSQL: restoring the copy an earlier run saved (bench/out) …")
        run_tool(cluster, "pg_restore", "--jobs=2", "--no-owner", "-d", "bench_base", **tools)
        steps["pg_restore of an earlier run's copy"] = time.perf_counter() - started
    else:
        key_file.unlink(missing_ok=True)
        migrate(base)
        steps["migrate"] = time.perf_counter() - started
        steps.update(transfer_to(db_path, base))
        started = time.perf_counter()
        run_tool(cluster, "pg_dump", "--format=custom", "bench_base", **tools)
        key_file.write_text(key)
        steps["pg_dump for the next run"] = time.perf_counter() - started
    started = time.perf_counter()
    cluster.sql("ANALYZE", "bench_base")  # what autovacuum does soon after a bulk load
    steps["analyze"] = time.perf_counter() - started
    return steps


def run_tool(cluster, program: str, *args: str, host: str, user: str) -> None:
    """pg_dump to PG_DUMP or pg_restore from it, the cluster's own version, as this user
    (so it can write bench/out) over the cluster's socket."""
    target = [f"--file={PG_DUMP}"] if program == "pg_dump" else [str(PG_DUMP)]
    command = [str(cluster.bin_dir / program), f"--host={host}", f"--username={user}", *args]
    subprocess.run([*command, *target], check=True, capture_output=True, timeout=600)


def migrate(url: str) -> None:
    """`flask db upgrade` on the database at `url` (a child process: Alembic's output is
    kept out of the report)."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "FLASK_APP": "app"}
    subprocess.run(
        [str(BIN / "flask"), "--app", "app", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def transfer_to(db_path: Path, url: str) -> dict[str, float]:
    """Copy the bench SQLite database into the empty migrated database at `url` with the
    functions of `flask transfer` (rows, search index) and check the row counts; seconds
    per step. (Its content hashes are left to tests/deploy/test_transfer.py.)"""
    from sqlalchemy import create_engine

    from app.extensions import db
    from app.models import Note  # noqa: F401  (the models fill db.metadata)
    from app.transfer.cli import rebuild_search_index
    from app.transfer.copy import check_target, copy_tables, count_rows, tables_in_order

    source, target = create_engine(f"sqlite:///{db_path}"), create_engine(url)
    tables, steps = tables_in_order(db.metadata), {}
    try:
        log("  PostgreSQL: copying the bench database (app/transfer) …")
        started = time.perf_counter()
        check_target(source, target, tables)
        copy_tables(source, target, tables, lambda _rows: None)
        with source.connect() as read, target.connect() as written:
            if count_rows(read, tables) != count_rows(written, tables):
                raise RuntimeError("the PostgreSQL copy's row counts differ from SQLite's")
        steps["copy rows"] = time.perf_counter() - started
        started = time.perf_counter()
        rebuild_search_index(target)
        steps["search index"] = time.perf_counter() - started
    finally:
        source.dispose()
        target.dispose()
    return steps


# --- search ------------------------------------------------------------------------------


SEARCH_RUNNER = """
import inspect, json, runpy, sys
sys.argv = sys.argv[1:2]
main = runpy.run_path(sys.argv[0])["main"]
figures = main([]) if "argv" in inspect.signature(main).parameters else main()
print("SEARCHJSON " + json.dumps(figures, ensure_ascii=False, default=str))
"""


def run_search_bench(db_path: Path, budget_s: float) -> object | None:
    """bench/search_bench.py's main() figures, if the search feature ships that file; run
    in a child process stopped after `budget_s` so `make bench` stays within its time."""
    path = ROOT / "bench" / "search_bench.py"
    if not path.exists():
        return None
    if budget_s < 30:
        return {"skipped": f"only {budget_s:.0f} s left of the 15-minute budget"}
    env = {**os.environ, "BENCH_DB": str(db_path)}
    try:
        done = subprocess.run(
            [sys.executable, "-c", SEARCH_RUNNER, str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=budget_s,
        )
    except subprocess.TimeoutExpired:
        return {"stopped": f"after {budget_s:.0f} s, to keep make bench under 15 minutes"}
    line = next((x for x in done.stdout.splitlines() if x.startswith("SEARCHJSON ")), None)
    if line is None:
        return {"error": (done.stderr or done.stdout).strip()[-500:]}
    return json.loads(line.removeprefix("SEARCHJSON "))


# --- report ------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def report(
    pages: list[PageResult],
    hello_runs: list[dict],
    generator: str,
    importer: dict,
    search: object | None,
    info: dict,
    timings: dict,
    sqlite_runs: list[LoadRun] | None = None,
    postgres: PostgresBench | None = None,
) -> str:
    """The whole report as Markdown (printed, and saved to bench/out/last-run.md)."""
    hello_rps = statistics.mean(run["rps"] for run in hello_runs) if hello_runs else None
    lines = [
        f"# make bench: {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"- machine: {machine_description()}",
        f"- data: {json.dumps(info.get('counts', {}), ensure_ascii=False)}"
        + (" (database reused from an earlier run)" if info.get("reused") else ""),
        f"- load average before serving (other work on the machine): {info.get('loadavg', '?')}",
        f"- load: {generator}, {CONNECTIONS} connections, {DURATION_S:g} s per page, "
        "gunicorn 2 sync workers, 127.0.0.1, PUBLIC_READ=1",
        "- hello route: "
        + ", ".join(
            f"{run['rps']:,.0f} req/s (p50 {run['p50_ms']:.1f} ms, p99 {run['p99_ms']:.1f} ms)"
            for run in hello_runs
        )
        + (f"; mean {hello_rps:,.0f} req/s" if hello_rps else ""),
        "",
        "## Pages",
        "",
        "| page | path | status | SQL queries | SQL ms | 1 request ms | cold ms | cold queries "
        "| cold target "
        "| KB | req/s | p50 ms | p99 ms | vs hello | 304 req/s | worker peak MB | ≥30% hello "
        "| p99<100ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page in pages:
        ratio = page.rps / hello_rps if page.rps is not None and hello_rps else None
        lines.append(
            f"| {page.name} | `{page.path}` | {page.status} | "
            f"{'—' if page.queries is None else page.queries} | "
            f"{_fmt(page.sql_ms)} | {_fmt(page.inprocess_ms)} | {_fmt(page.cold_ms)} | "
            f"{'—' if page.cold_queries is None else page.cold_queries} | "
            f"{verdict(None if page.cold_ms is None else page.cold_ms < page.cold_target_ms)} "
            f"< {page.cold_target_ms:g} | "
            f"{_fmt(page.size_bytes / 1024 if page.size_bytes else None)} | "
            f"{_fmt(page.rps, 0)} | {_fmt(page.p50_ms)} | {_fmt(page.p99_ms)} | "
            f"{'—' if ratio is None else f'{ratio:.0%}'} | {_fmt(page.revalidate_rps, 0)} | "
            f"{_fmt(page.worker_peak_mb)} | "
            f"{verdict(None if ratio is None else ratio >= TARGET_RATIO)} | "
            f"{verdict(None if page.p99_ms is None else page.p99_ms < TARGET_P99_MS)} |"
        )
    lines += [
        "",
        "SQL ms: SQLite alone, replaying the cold request's statements with their parameters "
        "and fetching the rows. 1 request ms: one warm request through the test client, in "
        "process. "
        "cold ms: one request right after a write (another connection bumps the site version "
        f"first), the median of {COLD_RUNS}, in process. "
        "304 req/s: the same load sending the page's ETag as If-None-Match (pages with an ETag).",
    ]
    problems = [
        f"- {p.name}: "
        + "; ".join([*p.notes, *([f"{p.errors} errors under load"] * bool(p.errors))])
        for p in pages
        if p.notes or p.errors
    ]
    if problems:
        lines += ["", *problems]
    slowest = [f"- {p.name}: {p.slowest_sql}" for p in pages if p.slowest_sql]
    if slowest:
        lines += ["", "Slowest SQL statement of a cold request, per page:", "", *slowest]
    postgres = postgres or PostgresBench(skipped="not run")
    lines += load_tables(sqlite_runs or [], postgres, pages)
    lines += postgres_section(pages, postgres)
    peak = max((p.worker_peak_mb for p in pages if p.worker_peak_mb), default=None)
    lines += [
        "",
        f"Worker peak memory (VmHWM): {_fmt(peak)} MB — "
        f"{verdict(None if peak is None else peak < TARGET_WORKER_MB)} (target < 150 MB)",
        "",
        "## Importer",
        "",
    ]
    if "skipped" in importer:
        lines.append(f"Skipped: {importer['skipped']}")
    else:
        first, second = importer.get("first_s"), importer.get("second_s")
        imported = importer.get("notes_in_db")
        rate = imported / first if first and imported else None
        share = second / first if first and second and imported else None
        lines += [
            "| run | seconds | notes in DB | notes/s | exit | report |",
            "|---|---|---|---|---|---|",
            f"| first (empty DB) | {_fmt(first)} | {imported} | {_fmt(rate)} | "
            f"{importer.get('first_exit')} | {importer.get('first_report', '')} |",
            f"| second (unchanged) | {_fmt(second)} | | | {importer.get('second_exit')} | "
            f"{importer.get('second_report', '')} |",
            "",
            f"Second import / first: {'—' if share is None else f'{share:.1%}'} — "
            f"{verdict(None if share is None else share < TARGET_REIMPORT_SHARE)} "
            "(target < 10%)",
        ]
        if importer.get("first_exit") == "stopped" and rate:
            lines += [
                "",
                f"The first import was stopped to keep make bench within 15 minutes; at "
                f"{rate:.1f} notes/s all {importer['notes_written']:,} notes would take "
                f"{importer['notes_written'] / rate:.0f} s. The second import needs a complete "
                "first one, so it was not run.",
            ]
        if example := importer.get("first_skipped_example"):
            lines += ["", f"First skipped file, as reported: `{example}`"]
        for run in ("first", "second"):
            if error := importer.get(f"{run}_error"):
                lines += ["", f"{run} import error:", "```", error.strip(), "```"]
    lines += ["", "## Search (bench/search_bench.py)", ""]
    if search is None:
        lines.append("bench/search_bench.py is not there yet.")
    elif isinstance(search, dict):
        lines += ["| figure | value |", "|---|---|"]
        for key, value in search.items():
            if isinstance(value, dict):
                value = ", ".join(f"{name} {figure}" for name, figure in value.items())
            lines.append(f"| {key} | {value} |")
    else:
        lines.append(f"```\n{search!r}\n```")
    lines += [
        "",
        "## Time",
        "",
        ", ".join(f"{step} {seconds:.0f} s" for step, seconds in timings.items()),
        "",
    ]
    return "\n".join(lines)


# Per load, by writes a second (0: read-only): (least share of hello, p99 limit in ms).
LOAD_TARGETS = {0.0: (TARGET_RATIO, TARGET_P99_MS), 1.0: (0.40, 50.0), 5.0: (0.30, 100.0)}
MIXED_RATES = [rate for rate in LOAD_TARGETS if rate]


def share_of_hello(rps: float | None, hello_rps: float | None) -> float | None:
    """A page's req/s over the hello route's in the same run, or None if either is missing."""
    return rps / hello_rps if rps is not None and hello_rps else None


def load_cells(run: LoadRun | None, path: str, targets: tuple[float, float]) -> str:
    """One engine's cells for a page in one load: share of hello, p99, and the verdicts."""
    figures = run.pages.get(path, {}) if run else {}
    share = share_of_hello(figures.get("rps"), run.hello_rps if run else None)
    p99 = figures.get("p99_ms")
    least, limit = targets
    return (
        f"{'—' if share is None else f'{share:.0%}'} | {_fmt(p99)} | "
        f"{verdict(None if share is None else share >= least)} "
        f"{verdict(None if p99 is None else p99 < limit)}"
    )


def load_table(pages: list[PageResult], engines: dict[str, LoadRun | None]) -> list[str]:
    """One load (read-only, or a writer's rate) with each engine's figures side by side."""
    rate = next((run.writes_per_s for run in engines.values() if run), 0.0)
    least, limit = targets = LOAD_TARGETS.get(rate, (TARGET_RATIO, TARGET_P99_MS))
    title = f"{rate:g} write/s" if rate else "read-only"
    head, rule = "| page |", "|---|"
    for name in engines:
        head += f" {name} share of hello | {name} p99 ms | ≥{least:.0%}, p99<{limit:g} |"
        rule += "---|---|---|"
    lines = [f"### {title}", "", head, rule]
    for page in pages:
        cells = [load_cells(run, page.path, targets) for run in engines.values()]
        lines.append(f"| {page.name} | " + " | ".join(cells) + " |")
    lines.append("")
    for name, run in engines.items():
        if run is None:
            continue
        line = f"- {name}: hello {_fmt(run.hello_rps, 0)} req/s"
        if run.writer:
            w = run.writer
            line += (
                f"; the writer posted {w.get('posts', 0)} answers ({w.get('errors', 0)} errors), "
                f"p50 {_fmt(w.get('p50_ms'))} ms, p99 {_fmt(w.get('p99_ms'))} ms"
            )
        lines.append(line)
    return [*lines, ""]


def runs_by_rate(runs: list[LoadRun]) -> dict[float, LoadRun]:
    """The runs keyed by their writer's rate (0 for the read-only run)."""
    return {run.writes_per_s: run for run in runs}


def load_tables(sqlite_runs: list[LoadRun], postgres: PostgresBench, pages) -> list[str]:
    """Every load (read-only, then each writer's rate), SQLite beside PostgreSQL."""
    on_sqlite, on_postgres = runs_by_rate(sqlite_runs), runs_by_rate(postgres.runs)
    lines = [
        "",
        "## Load: SQLite beside PostgreSQL, read-only and while a writer posts answers",
        "",
    ]
    if postgres.skipped:
        lines += [f"PostgreSQL: skipped ({postgres.skipped}).", ""]
    for rate in sorted(set(on_sqlite) | set(on_postgres)):
        engines = {"SQLite": on_sqlite.get(rate)}
        if not postgres.skipped:
            engines["PostgreSQL"] = on_postgres.get(rate)
        lines += load_table(pages, engines)
    lines.append(
        "Share of hello: the page's req/s over the hello route's in the same run (the writer "
        "running throughout); each run serves a fresh copy of the database. Verdicts: share, "
        "then p99."
    )
    return lines


def postgres_section(sqlite_pages: list[PageResult], postgres: PostgresBench) -> list[str]:
    """Cold renders on PostgreSQL beside SQLite's, and how long the copy took."""
    if postgres.skipped or not postgres.pages:
        return []
    steps = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in postgres.steps.items())
    lines = [
        "",
        f"## PostgreSQL {postgres.version}: cold renders, in process",
        "",
        "Throwaway cluster (tests/postgres.py: unix socket, fsync off), the bench database "
        f"copied into it with app/transfer's functions (or that copy restored from an "
        f"earlier run's dump in bench/out): {steps}.",
        "",
        "| page | SQLite cold ms | PostgreSQL cold ms | PostgreSQL cold queries "
        "| PostgreSQL SQL ms | PostgreSQL 1 request ms | cold target |",
        "|---|---|---|---|---|---|---|",
    ]
    cold = {page.path: page.cold_ms for page in sqlite_pages}
    for page in postgres.pages:
        ok = None if page.cold_ms is None else page.cold_ms < page.cold_target_ms
        lines.append(
            f"| {page.name} | {_fmt(cold.get(page.path))} | {_fmt(page.cold_ms)} | "
            f"{'—' if page.cold_queries is None else page.cold_queries} | "
            f"{_fmt(page.sql_ms)} | {_fmt(page.inprocess_ms)} | "
            f"{verdict(ok)} < {page.cold_target_ms:g} |"
        )
    broken = [f"- {p.name}: {p.status}" for p in postgres.pages if p.status.startswith("exc")]
    slowest = [f"- {p.name}: {p.slowest_sql}" for p in postgres.pages if p.slowest_sql]
    if slowest:
        lines += ["", "Slowest PostgreSQL statement of a cold request, per page:", "", *slowest]
    return lines + (["", *broken] if broken else [])


def bench_pages(info: dict, db_path: Path) -> list[PageResult]:
    """The pages measured, with their cold-render targets."""
    book, chapter = info["book_id"], info["chapter_number"]
    return [
        PageResult("home", "/"),
        PageResult("book dashboard", f"/books/{book}", cold_target_ms=25),
        PageResult("chapter", f"/books/{book}/chapters/{chapter}", cold_target_ms=8),
        PageResult("note", f"/notes/{info['note_id']}"),
        PageResult("member", f"/members/{note_author(db_path, info['note_id'])}", cold_target_ms=8),
        PageResult("board", "/board"),
        PageResult("thread (30 answers)", f"/questions/{info['thread_id']}"),
        PageResult("search", "/search?q=%EC%84%A4%EC%A0%95", cold_target_ms=15),  # 설정
    ]


# Seconds the steps after the importer need besides the loads themselves (calibrated on
# this machine): each load's warm-up requests and settling; each serving run's start
# (and database copy); the query counts and cold renders of one engine; PostgreSQL's
# cluster, migrations, copy and search index; the least the search benchmark is given.
LOAD_OVERHEAD_S = 0.5
RUN_OVERHEAD_S = 5.0
QUERY_COUNT_S = 20.0
POSTGRES_SETUP_S = 170.0  # copy 20 s, search index 105 s, ANALYZE 13 s, pg_dump
POSTGRES_RESTORE_S = 60.0  # the same from an earlier run's dump
SEARCH_LEAST_S = 30.0


def postgres_seconds(
    pages: int, duration_s: float = DURATION_S, setup_s: float = POSTGRES_SETUP_S
) -> float:
    """What the PostgreSQL step needs: set-up, query counts, one read-only run (no 304
    loads) and one run per writer's rate, each loading hello twice and every page."""
    runs = 1 + len(MIXED_RATES)
    loads = runs * (pages + 2)
    return setup_s + QUERY_COUNT_S + runs * RUN_OVERHEAD_S + loads * (duration_s + LOAD_OVERHEAD_S)


def seconds_after_import(
    pages: int, *, postgres: float | None, duration_s: float = DURATION_S
) -> float:
    """What every step after the importer needs, so the importer gets the rest: SQLite's
    query counts, read-only run (with 304 loads) and mixed runs, then PostgreSQL's with
    `postgres` seconds of set-up (None: no PostgreSQL), and a little search."""
    loads = 2 * pages + 2 + len(MIXED_RATES) * (pages + 2)
    runs = 1 + len(MIXED_RATES)
    sqlite = QUERY_COUNT_S + runs * RUN_OVERHEAD_S + loads * (duration_s + LOAD_OVERHEAD_S)
    after = 0.0 if postgres is None else postgres_seconds(pages, duration_s, postgres)
    return sqlite + after + SEARCH_LEAST_S


def postgres_setup_s(db_path: Path) -> float | None:
    """How long filling the PostgreSQL copy will take (None: PostgreSQL is not installed)."""
    from tests.postgres import postgres_bin_dir

    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        return None
    current = saved_copy_is_current(postgres_key(db_path, bin_dir))
    return POSTGRES_RESTORE_S if current else POSTGRES_SETUP_S


def run_postgres(db_path: Path, pages: list[PageResult], left_s: float) -> PostgresBench:
    """The PostgreSQL step, unless BENCH_SKIP_POSTGRES=1 or the budget left is too short."""
    if os.environ.get("BENCH_SKIP_POSTGRES") == "1":
        return PostgresBench(skipped="BENCH_SKIP_POSTGRES=1")
    setup_s = postgres_setup_s(db_path)
    if setup_s is not None and left_s < postgres_seconds(len(pages), setup_s=setup_s):
        return PostgresBench(skipped=f"only {left_s:.0f} s left of the 15-minute budget")
    log("PostgreSQL …")
    return postgres_runs(db_path, pages, MIXED_RATES)


def main() -> int:
    """Run every step and print the report."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    OUT.mkdir(parents=True, exist_ok=True)
    log("Generating the study …")
    notes = generate.generate_notes()
    db_path = (OUT / "bench.sqlite3").resolve()
    info = generate.ensure_database(db_path, notes, fresh=os.environ.get("BENCH_FRESH") == "1")
    if info["reused"]:
        log("  reusing bench/out/bench.sqlite3: generator, schema and renderer unchanged")
    pages, url = bench_pages(info, db_path), f"sqlite:///{db_path}"
    timings["generate"] = time.perf_counter() - started

    step = time.perf_counter()
    log("Importer …")
    if os.environ.get("BENCH_SKIP_IMPORT") == "1":
        importer = {"skipped": "BENCH_SKIP_IMPORT=1"}
    else:
        skip_postgres = os.environ.get("BENCH_SKIP_POSTGRES") == "1"
        setup_s = None if skip_postgres else postgres_setup_s(db_path)
        reserved = seconds_after_import(len(pages), postgres=setup_s)
        importer = bench_importer(notes, TOTAL_BUDGET_S - (step - started) - reserved)
    timings["importer"] = time.perf_counter() - step

    step = time.perf_counter()
    info["loadavg"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    log("Counting queries …")
    count_queries(url, pages)
    log(f"Serving under load ({load_generator()}) …")
    run, generator = serve_and_load(url, pages)
    apply_run(pages, run)
    timings["pages"] = time.perf_counter() - step

    step = time.perf_counter()
    log("Serving under load while a writer posts answers …")
    sqlite_runs = [run, *mixed_runs(db_path, pages, MIXED_RATES)]
    timings["mixed load"] = time.perf_counter() - step

    step = time.perf_counter()
    postgres = run_postgres(db_path, pages, TOTAL_BUDGET_S - (step - started))
    timings["postgresql"] = time.perf_counter() - step

    step = time.perf_counter()
    log("Search benchmark …")
    search = run_search_bench(db_path, TOTAL_BUDGET_S - (step - started))
    timings["search"] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - started

    text = report(
        pages, run.hello, generator, importer, search, info, timings, sqlite_runs, postgres
    )
    print()
    print(text)
    (OUT / "last-run.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
