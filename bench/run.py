"""`make bench`: how fast Studyhall is at a large group's scale, measured unattended.

1. Generates a large study (bench/generate.py) into a throwaway SQLite file in bench/out/
   (kept for the next run while the generator, schema, renderer and search code are
   unchanged; BENCH_FRESH=1 builds it again). BENCH_SKIP_IMPORT=1 skips step 2 and
   BENCH_SECONDS sets the load per page (10 by default), for quick iterations.
2. Times the importer (`flask --app app notes import FOLDER`) on the 4,500 notes as files:
   a first import into an empty database, then a second, unchanged import.
3. Counts the SQL queries of one request per page (test client, in process), and times
   one request right after a write (cold: the page is rendered, not served from memory).
4. Serves the app with gunicorn (2 sync workers) with a bare `/__hello` route beside it
   (bench/wsgi.py) and drives each page for ~10 s with 32 connections (wrk when installed,
   else a small Python client): requests per second, p50/p99, ratio to hello, worker memory.
5. Mixed load: step 4 again on a copy of the database while a writer posts answers through
   the API, at 1 and at 5 a second, reported beside the read-only run.
6. Runs bench/search_bench.py's main() when present.
Prints PASS/MISS per target and writes the tables to bench/out/last-run.md.
"""

from __future__ import annotations

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
CONNECTIONS = 32
DURATION_S = float(os.environ.get("BENCH_SECONDS", "10"))
# Kept for the pages (read-only: 8 loads of 10 s and their 304 loads; then 2 mixed-load
# runs of 8 loads each), warm-ups and a little search.
RESERVED_AFTER_IMPORT_S = 480
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


def count_queries(db_path: Path, pages: list[PageResult]) -> None:
    """Fill each page's status, size and SQL query count for one warm request (the median
    of three), its time in process, and the time SQLite alone takes for its statements
    (replayed with their parameters, rows fetched), naming the slowest statement."""
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

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
    replay = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def count(_conn, _cursor, statement, parameters, *_args):
            statements.append((statement, parameters))

        client = app.test_client()
        for page in pages:
            try:
                client.get(page.path)
                runs = []
                for _ in range(3):
                    statements.clear()
                    started = time.perf_counter()
                    response = client.get(page.path)
                    runs.append((time.perf_counter() - started, list(statements)))
            except Exception as error:  # a broken page is a finding, not a crash
                page.status = f"exception: {type(error).__name__}: {error}"[:160]
                continue
            elapsed, executed = sorted(runs, key=lambda run: run[0])[1]
            page.cold_ms, page.cold_queries = cold_request(client, page.path, db_path, statements)
            page.status = str(response.status_code)
            page.queries = len(executed)
            page.size_bytes = len(response.data)
            page.inprocess_ms = elapsed * 1000
            timed = [(sql_seconds(replay, sql, params), sql) for sql, params in executed]
            page.sql_ms = sum(seconds for seconds, _ in timed) * 1000
            if timed:
                seconds, sql = max(timed)
                page.slowest_sql = f"{seconds * 1000:.1f} ms: " + " ".join(sql.split())[:300]
        db.engine.dispose()
    replay.close()


COLD_RUNS = 5


def cold_request(client, path: str, db_path: Path, statements: list) -> tuple[float, int]:
    """One request right after a write: its time in ms (the median of COLD_RUNS) and its
    SQL statements. Another connection bumps the site version first, as an answer posted
    to the other worker would, so the page is rendered instead of served from memory."""
    times, counts = [], []
    for _ in range(COLD_RUNS):
        with sqlite3.connect(db_path) as writer:
            writer.execute("UPDATE site_versions SET version = version + 1 WHERE id = 1")
        statements.clear()
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
        counts.append(len(statements))
    return statistics.median(times) * 1000, max(counts)


def sql_seconds(connection: sqlite3.Connection, sql: str, parameters: object) -> float:
    """How long SQLite takes to run a statement and fetch all its rows (best of 3)."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return 0.0
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        connection.execute(sql, parameters or ()).fetchall()
        best = min(best, time.perf_counter() - started)
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
            "-t1",  # one load thread is plenty for 32 connections and leaves the server more CPU
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
    """Drive one path with 32 threads of keep-alive http.client (when wrk is missing)."""
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


def start_server(db_path: Path) -> tuple[subprocess.Popen, str, int]:
    """Gunicorn (2 sync workers) serving bench.wsgi on a free port, once both answer."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_path}",
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


def serve_and_load(
    db_path: Path, pages: list[PageResult], writes_per_s: float = 0.0, thread_id: int = 0
) -> tuple[LoadRun, str]:
    """Serve with gunicorn and load the hello route and every page, while a writer posts
    `writes_per_s` answers a second through the API (none: also load each page's 304)."""
    server, base, port = start_server(db_path)
    use_wrk = shutil.which("wrk") is not None
    generator = "wrk" if use_wrk else "python http.client threads"
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

    label = f" ({writes_per_s:g} writes/s)" if writes_per_s else ""
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
            if etag and not writes_per_s:  # a browser revisiting: If-None-Match → 304
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


def add_writer_token(db_path: Path) -> int:
    """Give member 1 a login and an API token (BENCH_TOKEN) in this copy of the database;
    return a thread to answer (a thread other than the benchmarked one, in book 1)."""
    from app.api.tokens import hash_token

    with sqlite3.connect(db_path) as connection:
        connection.execute(
            "UPDATE members SET username = 'bench-writer', password_hash = 'x' WHERE id = 1"
        )
        connection.execute(
            "INSERT INTO api_tokens (member_id, name, token_hash, created_at) "
            "VALUES (1, 'bench writer', ?, CURRENT_TIMESTAMP)",
            (hash_token(BENCH_TOKEN),),
        )
        return connection.execute(
            "SELECT id FROM questions WHERE id > 1 AND book_id = 1 AND deleted_at IS NULL "
            "AND hidden_at IS NULL ORDER BY id LIMIT 1"
        ).fetchone()[0]


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
    """The page loads again on a copy of the database while a writer posts answers, once
    per rate (answers a second)."""
    copy = OUT / "mixed.sqlite3"
    runs = []
    for rate in rates:
        shutil.copyfile(db_path, copy)
        for suffix in ("-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
        run, _ = serve_and_load(copy, pages, rate, add_writer_token(copy))
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
    mixed: list[LoadRun] | None = None,
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
        "SQL ms: SQLite alone, replaying the page's statements with their parameters and "
        "fetching the rows. 1 request ms: one warm request through the test client, in process. "
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
        lines += ["", "Slowest SQL statement of one request, per page:", "", *slowest]
    lines += mixed_table(pages, hello_rps, mixed or [])
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


# Mixed load: (writes a second, least share of hello, p99 limit in ms).
MIXED_TARGETS = {1.0: (0.40, 50.0), 5.0: (0.30, 100.0)}


def mixed_table(pages: list[PageResult], hello_rps: float | None, runs: list[LoadRun]) -> list:
    """The read-only run beside the runs with a writer: share of hello and p99 per page."""
    if not runs:
        return []
    head = "| page | read-only share of hello | p99 ms |"
    rule = "|---|---|---|"
    for run in runs:
        share, p99 = MIXED_TARGETS.get(run.writes_per_s, (TARGET_RATIO, TARGET_P99_MS))
        head += (
            f" {run.writes_per_s:g} write/s share | p99 ms | ≥{share:.0%} hello | p99<{p99:g}ms |"
        )
        rule += "---|---|---|---|"
    lines = [
        "",
        "## Mixed load: pages while a writer posts answers through the API",
        "",
        head,
        rule,
    ]
    for page in pages:
        ratio = page.rps / hello_rps if page.rps is not None and hello_rps else None
        row = f"| {page.name} | {'—' if ratio is None else f'{ratio:.0%}'} | {_fmt(page.p99_ms)} |"
        for run in runs:
            share, limit = MIXED_TARGETS.get(run.writes_per_s, (TARGET_RATIO, TARGET_P99_MS))
            figures = run.pages.get(page.path, {})
            rps, p99 = figures.get("rps"), figures.get("p99_ms")
            ratio = rps / run.hello_rps if rps is not None and run.hello_rps else None
            row += (
                f" {'—' if ratio is None else f'{ratio:.0%}'} | {_fmt(p99)} | "
                f"{verdict(None if ratio is None else ratio >= share)} | "
                f"{verdict(None if p99 is None else p99 < limit)} |"
            )
        lines.append(row)
    lines.append("")
    for run in runs:
        w = run.writer
        lines.append(
            f"- {run.writes_per_s:g} write/s: hello {_fmt(run.hello_rps, 0)} req/s; the writer "
            f"posted {w.get('posts', 0)} answers ({w.get('errors', 0)} errors), "
            f"p50 {_fmt(w.get('p50_ms'))} ms, p99 {_fmt(w.get('p99_ms'))} ms"
        )
    lines.append(
        "- share of hello: the page's req/s over the hello route's in the same run (the "
        "writer running throughout); each run serves a fresh copy of the database."
    )
    return lines


def main() -> int:
    """Run every step and print the report."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    OUT.mkdir(parents=True, exist_ok=True)
    log("Generating the study …")
    notes = generate.generate_notes()
    db_path = (OUT / "bench.sqlite3").resolve()
    fresh = os.environ.get("BENCH_FRESH") == "1"
    info = generate.ensure_database(db_path, notes, fresh=fresh)
    if info["reused"]:
        log("  reusing bench/out/bench.sqlite3: generator, schema and renderer unchanged")
    timings["generate"] = time.perf_counter() - started

    step = time.perf_counter()
    log("Importer …")
    if os.environ.get("BENCH_SKIP_IMPORT") == "1":
        importer = {"skipped": "BENCH_SKIP_IMPORT=1"}
    else:
        budget = TOTAL_BUDGET_S - (time.perf_counter() - started) - RESERVED_AFTER_IMPORT_S
        importer = bench_importer(notes, budget)
    timings["importer"] = time.perf_counter() - step

    book, chapter = info["book_id"], info["chapter_number"]
    pages = [
        PageResult("home", "/"),
        PageResult("book dashboard", f"/books/{book}", cold_target_ms=25),
        PageResult("chapter", f"/books/{book}/chapters/{chapter}", cold_target_ms=8),
        PageResult("note", f"/notes/{info['note_id']}"),
        PageResult("member", f"/members/{note_author(db_path, info['note_id'])}", cold_target_ms=8),
        PageResult("board", "/board"),
        PageResult("thread (30 answers)", f"/questions/{info['thread_id']}"),
        PageResult("search", "/search?q=%EC%84%A4%EC%A0%95", cold_target_ms=15),  # 설정
    ]
    step = time.perf_counter()
    info["loadavg"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    log("Counting queries …")
    count_queries(db_path, pages)
    log("Serving under load …")
    run, generator = serve_and_load(db_path, pages)
    apply_run(pages, run)
    hello_runs = run.hello
    timings["pages"] = time.perf_counter() - step

    step = time.perf_counter()
    log("Serving under load while a writer posts answers …")
    mixed = mixed_runs(db_path, pages, list(MIXED_TARGETS))
    timings["mixed load"] = time.perf_counter() - step

    step = time.perf_counter()
    log("Search benchmark …")
    search = run_search_bench(db_path, TOTAL_BUDGET_S - (time.perf_counter() - started))
    timings["search"] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - started

    text = report(pages, hello_runs, generator, importer, search, info, timings, mixed)
    print()
    print(text)
    (OUT / "last-run.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
