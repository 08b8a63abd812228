"""Online backup and restore of a SQLite database file (pure: no Flask)."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

# Tables whose rows make a database "not empty" for a restore.
CONTENT_TABLES = ("members", "books", "notes", "questions", "answers", "ratings")


class BackupError(Exception):
    """A backup or restore refused or failed, with a Korean message."""


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///…` URL, or None for other databases."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0])


def integrity_problems(path: Path) -> list[str]:
    """What `PRAGMA integrity_check` reports on a file ([] when it is sound)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        connection.close()
    return [] if rows == ["ok"] else rows


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live database in one step of the online backup API, then check the copy."""
    if not source.exists():
        raise BackupError(f"데이터베이스 파일이 없습니다: {source}")
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dest = sqlite3.connect(partial)
    try:
        # One step (pages=-1) reads one consistent snapshot: writers never restart it.
        src.backup(dest, pages=-1)
    finally:
        dest.close()
        src.close()
    problems = integrity_problems(partial)
    if problems:
        partial.unlink(missing_ok=True)
        raise BackupError("백업 사본의 무결성 검사에 실패했습니다: " + "; ".join(problems[:5]))
    partial.replace(target)


def has_content(path: Path) -> bool:
    """Whether the database file holds any member, note, thread or rating."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    connection = sqlite3.connect(path)
    try:
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        return any(
            connection.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()
            for t in CONTENT_TABLES
            if t in names
        )
    finally:
        connection.close()


def restore_sqlite(backup: Path, target: Path, *, force: bool = False) -> None:
    """Replace the database's content with a checked backup (refuses content unless forced)."""
    if not backup.exists():
        raise BackupError(f"백업 파일이 없습니다: {backup}")
    problems = integrity_problems(backup)
    if problems:
        raise BackupError("백업 파일이 손상되었습니다: " + "; ".join(problems[:5]))
    if has_content(target) and not force:
        raise BackupError(
            "데이터베이스가 비어 있지 않습니다. 덮어쓰려면 --force를 붙여 다시 실행하세요."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    dest = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dest, pages=-1)
    finally:
        dest.close()
        src.close()


def pg_dump(url: str, target: Path) -> None:
    """Dump a PostgreSQL database with pg_dump (custom format)."""
    _run(["pg_dump", "--format=custom", f"--file={target}", _libpq_url(url)])


def pg_restore(url: str, backup: Path, *, force: bool = False) -> None:
    """Restore a pg_dump file; `force` drops what is there first."""
    clean = ["--clean", "--if-exists"] if force else []
    _run(["pg_restore", *clean, "--no-owner", f"--dbname={_libpq_url(url)}", str(backup)])


def _libpq_url(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://) as libpq takes it (postgresql://)."""
    parts = urlsplit(url)
    return parts._replace(scheme="postgresql").geturl()


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]}을(를) 찾을 수 없습니다. PostgreSQL 도구를 설치하세요."
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} 실패: {error.stderr.strip()}") from None
