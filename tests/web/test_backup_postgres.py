"""`flask backup` and `flask restore` on PostgreSQL: pg_dump of the live database."""

import os
import uuid

import pytest
from sqlalchemy import create_engine, select

from app import create_app
from app.board.services import post_answer
from app.extensions import db
from app.models import Answer
from app.transfer.copy import count_rows, tables_in_order
from tests.web.board_helpers import ask, make_book, quick_member


@pytest.fixture
def cluster(request, database_engine, monkeypatch):
    """The run's cluster, with its own pg_dump/pg_restore first on PATH: the server's
    version (a pg_dump older than the server refuses to dump it)."""
    if database_engine != "postgresql":
        pytest.skip("pg_dump backs up PostgreSQL only: run with --database=postgresql")
    cluster = request.getfixturevalue("postgres_cluster")
    monkeypatch.setenv("PATH", f"{cluster.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return cluster


@pytest.fixture
def empty_database(cluster):
    """A new, empty (not migrated) database on the cluster; dropped afterwards."""
    name = f"restored_{uuid.uuid4().hex[:8]}"
    cluster.sql(f"CREATE DATABASE {name}")
    yield cluster.url(name)
    cluster.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        counts = count_rows(conn, tables_in_order(db.metadata))
    engine.dispose()
    return counts


def _site_with_a_thread():
    asker = quick_member("질문자")
    question = ask(asker, make_book("분산 시스템"), title="복제 지연은 어떻게 재나요?")
    post_answer(quick_member("답변자"), question.id, "팔로워의 LSN 차이를 봅니다.")
    db.session.commit()
    return question.id


def test_backup_is_a_pg_dump_that_restores_every_row(app, runner, tmp_path, empty_database):
    question_id = _site_with_a_thread()
    dump = tmp_path / "site.dump"

    result = runner.invoke(args=["backup", str(dump)])

    assert result.exit_code == 0, result.output
    assert "백업 완료" in result.output
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    restored = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database, "PUBLIC_READ": True}
    )
    with restored.app_context():
        done = restored.test_cli_runner().invoke(args=["restore", str(dump)])
        assert done.exit_code == 0, done.output
        page = restored.test_client().get(f"/questions/{question_id}")
        db.session.remove()
        db.engine.dispose()
    assert _counts(empty_database) == _counts(app.config["SQLALCHEMY_DATABASE_URI"])
    assert page.status_code == 200
    assert "복제 지연은 어떻게 재나요?" in page.get_data(as_text=True)


def test_restore_with_force_brings_back_the_backed_up_site(app, runner, tmp_path, cluster):
    question_id = _site_with_a_thread()
    dump = tmp_path / "site.dump"
    assert runner.invoke(args=["backup", str(dump)]).exit_code == 0
    post_answer(quick_member("늦게 온 사람"), question_id, "백업 뒤에 쓴 답변")
    db.session.commit()
    db.session.remove()

    result = runner.invoke(args=["restore", "--force", str(dump)])

    assert result.exit_code == 0, result.output
    bodies = set(db.session.scalars(select(Answer.body)))
    assert bodies == {"팔로워의 LSN 차이를 봅니다."}


def test_backup_reports_a_missing_pg_dump(app, runner, tmp_path, cluster, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))

    result = runner.invoke(args=["backup", str(tmp_path / "site.dump")])

    assert result.exit_code != 0
    assert "pg_dump" in result.output
    assert not (tmp_path / "site.dump").exists()
