"""`flask transfer --to DATABASE_URL`: move the whole site to an empty migrated database."""

from __future__ import annotations

import time

import click
from sqlalchemy import Engine, create_engine

from app.extensions import db
from app.transfer.copy import (
    TransferError,
    check_target,
    copy_tables,
    count_rows,
    tables_in_order,
    verify,
)


def rebuild_search_index(engine: Engine) -> int:
    """Rebuild the target's search index with the search module's own rebuild (the one call)."""
    from app.search import rebuild_index

    with engine.begin() as conn:
        return rebuild_index(conn)


@click.command("transfer")
@click.option("--to", "target_url", required=True, help="옮겨 갈 빈 데이터베이스의 URL")
def transfer_command(target_url: str) -> None:
    """Copy every table into the empty migrated database at --to, then verify it."""
    started = time.monotonic()
    source = db.engine
    target = create_engine(target_url)
    tables = tables_in_order(db.metadata)
    try:
        check_target(source, target, tables)
        with source.connect() as conn:
            total = sum(count_rows(conn, tables).values())
        with click.progressbar(length=total, label="옮기는 중") as bar:
            copy_tables(source, target, tables, bar.update)
        checks = verify(source, target, tables)
        documents = rebuild_search_index(target)
    except TransferError as error:
        raise click.ClickException(str(error)) from None
    finally:
        target.dispose()
    index = f"검색 문서 {documents}개"
    click.echo(
        f"옮기기 완료: 표 {len(checks)}개, 행 {total}개, 행 수와 내용 해시 일치, {index} "
        f"({time.monotonic() - started:.1f}초)"
    )
