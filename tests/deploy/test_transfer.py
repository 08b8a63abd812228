"""`flask transfer`: a site moved SQLite → PostgreSQL → SQLite comes back unchanged."""

import shutil

from sqlalchemy import create_engine, select

from app import create_app
from app.extensions import db
from app.transfer.copy import table_hash, tables_in_order
from tests.web.board_helpers import ask, make_book, quick_member
from tests.web.helpers import write_note


def _site(url: str):
    return create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url})


def _fill(site, notes_root) -> None:
    """Notes with versions, ratings and questions, a web thread with an answer, an invite."""
    from app.auth import services
    from app.board.services import post_answer

    for chapter in (1, 2, 3):
        write_note(notes_root, "도커 책", "민수", chapter, score=chapter + 1)
    runner = site.test_cli_runner()
    assert runner.invoke(args=["notes", "import", str(notes_root)]).exit_code == 0
    write_note(notes_root, "도커 책", "민수", 1, score=5, extra="\n고쳐 씀\n")
    assert runner.invoke(args=["notes", "import", str(notes_root)]).exit_code == 0
    with site.app_context():
        admin = quick_member("운영자", role="admin")
        question = ask(admin, make_book("쿠버네티스"))
        post_answer(admin, question.id, "답변입니다")
        services.create_invite(admin)
        db.session.commit()


def _rows(url: str) -> dict[str, list]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for t in tables_in_order(db.metadata)
        }
    engine.dispose()
    return rows


def _transfer(source_url: str, target_url: str):
    site = _site(source_url)
    with site.app_context():
        result = site.test_cli_runner().invoke(args=["transfer", "--to", target_url])
        db.engine.dispose()
    return result


def test_a_site_moved_to_postgresql_and_back_is_unchanged(
    tmp_path, migrated_database, postgres_cluster, postgres_template
):
    first, last = tmp_path / "first.sqlite3", tmp_path / "last.sqlite3"
    shutil.copy(migrated_database, first)
    shutil.copy(migrated_database, last)
    _fill(_site(f"sqlite:///{first}"), tmp_path / "notes")
    postgres_cluster.sql(f"CREATE DATABASE moved TEMPLATE {postgres_template}")
    moved = postgres_cluster.url("moved")

    there = _transfer(f"sqlite:///{first}", moved)
    assert there.exit_code == 0, there.output
    assert "옮기기 완료" in there.output
    back = _transfer(moved, f"sqlite:///{last}")
    assert back.exit_code == 0, back.output

    before, after = _rows(f"sqlite:///{first}"), _rows(f"sqlite:///{last}")
    assert before == after
    assert all(before[name] for name in ("members", "notes", "note_versions", "questions"))
    assert all(before[name] for name in ("answers", "ratings", "rating_events", "invites"))
    engine = create_engine(moved)
    with engine.connect() as conn:
        note_versions = next(t for t in tables_in_order(db.metadata) if t.name == "note_versions")
        assert table_hash(conn, note_versions)[0] == len(before["note_versions"])
    engine.dispose()
    postgres_cluster.sql("DROP DATABASE moved WITH (FORCE)")


def test_a_database_with_content_is_refused(tmp_path, migrated_database):
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    shutil.copy(migrated_database, source)
    shutil.copy(migrated_database, target)
    with _site(f"sqlite:///{target}").app_context():
        quick_member("이미 있음")
        db.engine.dispose()

    result = _transfer(f"sqlite:///{source}", f"sqlite:///{target}")
    assert result.exit_code != 0
    assert "비어 있지 않습니다" in result.output
