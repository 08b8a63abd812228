"""Copy every table of the models from one database into an empty migrated one (no Flask).

Tables go in foreign-key order, in batches; afterwards each table's row count and a hash of
its rows (read back through the same column types) must agree on both sides."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, func, inspect, select, text

BATCH = 500
# Bookkeeping rows, not content: replaced by the source's, not counted when checking emptiness.
SEEDED_TABLES = ("page_versions",)


class TransferError(Exception):
    """A transfer refused or failed, with a Korean message."""


@dataclass(frozen=True)
class TableCheck:
    """One table's row count and content hash on the source and the target."""

    name: str
    rows: int
    source_hash: str
    target_hash: str

    @property
    def matches(self) -> bool:
        """Whether the target holds exactly the source's rows."""
        return self.source_hash == self.target_hash


def tables_in_order(metadata: MetaData) -> list[Table]:
    """Every table of the models, parents before the tables that refer to them."""
    return list(metadata.sorted_tables)


def count_rows(conn: Connection, tables: list[Table]) -> dict[str, int]:
    """How many rows each table holds."""
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}


def check_target(source: Engine, target: Engine, tables: list[Table]) -> None:
    """Refuse a target that is not migrated like the source, or that holds any content."""
    present = set(inspect(target).get_table_names())
    missing = [t.name for t in tables if t.name not in present]
    if missing:
        raise TransferError(
            "대상 데이터베이스에 표가 없습니다(" + ", ".join(missing[:5]) + "). "
            "먼저 대상에서 `flask db upgrade`를 실행하세요."
        )
    if _revision(source) != _revision(target):
        raise TransferError(
            f"마이그레이션 버전이 다릅니다(원본 {_revision(source)}, 대상 {_revision(target)}). "
            "두 데이터베이스를 같은 버전으로 올린 뒤 다시 실행하세요."
        )
    with target.connect() as conn:
        counts = count_rows(conn, [t for t in tables if t.name not in SEEDED_TABLES])
    filled = [name for name, count in counts.items() if count]
    if filled:
        raise TransferError(
            "대상 데이터베이스가 비어 있지 않습니다(" + ", ".join(filled[:5]) + " 등에 행이 있음). "
            "새로 만든 빈 데이터베이스에 `flask db upgrade`만 한 뒤 옮기세요."
        )


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _batches(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    """The table's rows in primary-key order, BATCH at a time."""
    query = select(table).order_by(*table.primary_key.columns)
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
    for partition in result.mappings().partitions(BATCH):
        yield [dict(row) for row in partition]


def copy_tables(
    source: Engine, target: Engine, tables: list[Table], progress: Callable[[int], None]
) -> None:
    """Copy every row of `tables` in one target transaction; `progress(n)` after each batch."""
    with source.connect() as read, target.begin() as write:
        for name in SEEDED_TABLES:
            write.execute(text(f"DELETE FROM {name}"))
        for table in tables:
            for rows in _batches(read, table):
                write.execute(table.insert(), rows)
                progress(len(rows))
        if target.dialect.name == "postgresql":
            reset_sequences(write, tables)


def reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Move each PostgreSQL id sequence past the largest copied id."""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is not True and not (
                column.autoincrement == "auto" and len(table.primary_key.columns) == 1
            ):
                continue
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            ).scalar()
            if sequence:
                conn.execute(
                    text(
                        f'SELECT setval(:sequence, coalesce(max("{column.name}"), 1), '
                        f'max("{column.name}") IS NOT NULL) FROM "{table.name}"'
                    ),
                    {"sequence": sequence},
                )


def _plain(value: Any) -> Any:
    """A column value as the same JSON on every engine."""
    if isinstance(value, bytes | bytearray | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, float):
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def table_hash(conn: Connection, table: Table) -> tuple[int, str]:
    """The table's row count and a SHA-256 over its rows in primary-key order."""
    digest = hashlib.sha256()
    count = 0
    for rows in _batches(conn, table):
        for row in rows:
            line = json.dumps([_plain(row[c.name]) for c in table.columns], ensure_ascii=False)
            digest.update(line.encode() + b"\n")
            count += 1
    return count, digest.hexdigest()


def verify(source: Engine, target: Engine, tables: list[Table]) -> list[TableCheck]:
    """Each table's count and hash on both sides; raises when any differs."""
    checks = []
    with source.connect() as read, target.connect() as written:
        for table in tables:
            rows, source_hash = table_hash(read, table)
            target_rows, target_hash = table_hash(written, table)
            if target_rows != rows:
                target_hash = f"{target_rows} rows"
            checks.append(TableCheck(table.name, rows, source_hash, target_hash))
    bad = [check.name for check in checks if not check.matches]
    if bad:
        raise TransferError("옮긴 내용이 원본과 다릅니다: " + ", ".join(bad))
    return checks
