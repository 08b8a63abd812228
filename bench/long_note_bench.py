"""A note with 10,000 questions: import and re-import times, and how long another writer waits.

Run: `.venv/bin/python bench/long_note_bench.py [--questions N] [--no-cap]`. Prints figures,
asserts nothing; --no-cap lifts the parser's cap (MAX_QUESTIONS) to time all N threads.
Steps, each through the real importer on a throwaway SQLite file:
1. first import of the note; 2. re-import after one question near the top was edited and one
was inserted above it (so the list shifts), with the kept-thread count; 3. back to the first
text. Another connection writes every 20 ms throughout: the longest time one write waited
is about how long the import held the write lock.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def note_text(count: int, *, edited: bool = False) -> str:
    """A template note whose 궁금 section has `count` questions, each with a short body."""
    lines = ["# 📚 스터디 템플릿", "", "## 특별히 궁금했던 부분", ""]
    if edited:
        lines += ["- 맨 위에 새로 넣은 질문", ""]
    for index in range(count):
        title = f"질문 {index}번: 샤딩 키는 어떻게 고르나요?"
        if edited and index == 3:
            title = "질문 3번을 고쳐 씀: 샤딩 키를 고르는 기준"
        lines += [f"- {title}", f"  - 직접 찾아본 답 {index}: 해시와 범위 중에서 고른다.", ""]
    return "\n".join(lines)


class Writer(threading.Thread):
    """Another process-like writer: inserts a row every 20 ms and records its longest wait."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)
        self.path, self.stop, self.longest, self.errors, self.writes = path, False, 0.0, 0, 0

    def run(self) -> None:
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        connection.execute("CREATE TABLE IF NOT EXISTS bench_writes (at REAL)")
        while not self.stop:
            started = time.perf_counter()
            try:
                connection.execute("INSERT INTO bench_writes VALUES (?)", (started,))
                self.writes += 1
            except sqlite3.OperationalError:
                self.errors += 1
            self.longest = max(self.longest, time.perf_counter() - started)
            time.sleep(0.02)
        connection.close()


def main() -> None:
    """Import, re-import and re-import under a concurrent writer; print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--no-cap", action="store_true", help="lift the parser's question cap")
    args = parser.parse_args()
    count = args.questions
    if args.no_cap:
        from app.notes.parse import questions

        questions.MAX_QUESTIONS = count + 1  # the edited text has one more

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.models import Question
    from app.notes.importer import import_path
    from app.search import ensure_index

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        folder = Path(tmp) / "notes" / "책" / "멤버"
        folder.mkdir(parents=True)
        note = folder / "[1장] 긴 노트.md"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "b"})
        with app.app_context():
            upgrade()
            with db.engine.begin() as connection:  # a live site has its search index
                ensure_index(connection)

            def timed_import(text: str) -> tuple[float, Writer]:
                """Import the note while another connection writes; the time and the writer."""
                note.write_text(text, encoding="utf-8")
                os.utime(note)
                writer = Writer(path)
                writer.start()
                time.sleep(0.1)
                started = time.perf_counter()
                report = import_path(Path(tmp) / "notes", max_bytes=64 * 1024 * 1024)
                seconds = time.perf_counter() - started
                time.sleep(0.1)
                writer.stop = True
                writer.join()
                assert report.fatal is None and not report.skipped, report
                return seconds, writer

            first = timed_import(note_text(count))
            ids = set(db.session.scalars(select(Question.id)))
            second = timed_import(note_text(count, edited=True))
            live = set(
                db.session.scalars(select(Question.id).where(Question.removed_from_note.is_(False)))
            )
            total = db.session.scalar(select(func.count(Question.id)))
            third = timed_import(note_text(count))
            db.session.remove()
            db.engine.dispose()
    print(f"questions in the note: {count:,} (threads made: {len(ids):,})")
    for label, (seconds, writer) in (
        ("first import", first),
        ("re-import, one edited, one inserted above", second),
        ("re-import, back to the first text", third),
    ):
        print(
            f"{label}: {seconds:.2f} s; concurrent writer: {writer.writes} writes, "
            f"{writer.errors} errors, longest wait {writer.longest * 1000:.0f} ms"
        )
    print(
        f"after the edit: threads kept {len(ids & live):,}, new {len(live - ids)}, total {total:,}"
    )


if __name__ == "__main__":
    main()
