"""`flask search …`: managing the search index."""

import click
from flask.cli import AppGroup, with_appcontext

from app.extensions import db
from app.search.index import rebuild_index

search_cli = AppGroup("search", help="검색 색인 관리.")


@search_cli.command("reindex", help="검색 색인을 데이터베이스에서 처음부터 다시 만듭니다.")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from the database."""
    with db.engine.begin() as conn:
        count = rebuild_index(conn)
    click.echo(f"검색 색인을 다시 만들었습니다: 문서 {count}개.")
