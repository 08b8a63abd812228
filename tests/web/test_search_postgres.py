"""The same searches on SQLite (FTS5) and PostgreSQL (pg_trgm + gram index), same hits.

Both sites import the real corpus with the real importer. Both engines rank alike (every
term in the title first, then notes, questions, answers, newest first), so the test
compares the hits of every page in order, and the counts per kind.
"""

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db
from app.models import Member, Question
from app.notes.importer import import_path
from app.search import results, search
from tests import conftest, factories

MAX_BYTES = 2 * 1024 * 1024

QUERIES = [
    # Korean substrings inside words (particles attached), 3+ letters.
    "설정을", "카프카", "파티션", "레플리케이션", "트랜잭션", "데이터베이스", "컨슈머",
    # 2 letters and 1 letter.
    "설정", "역사", "리더", "로그", "복제", "큐", "키", "값", "db", "io",
    # English, any case.
    "kafka", "Kafka", "KAFKA", "consumer", "offset", "the", "sql", "api",
    # Phrases and AND of terms, mixing short and long terms.
    '"메시지 큐"', '"리더 선출"', "카프카 리더", "파티션 복제 로그", "설정 kafka", "큐 카프카",
    # Hostile input: operators, quotes, punctuation, SQL and LIKE syntax.
    'NEAR("a" "b")', "a OR b", "카프카 NOT 리더", "col:카프카", "^카프카", "카프카*",
    '"카프카', "(카프카", "-카프카", "{title} : 리더", "'; DROP TABLE notes; --",
    "%_%", "50%", "a_b", "\\", "\\%", "!!!", '"', '""', "* - ( ) : ^", "C++", "C#", "x" * 500,
]  # fmt: skip


def _build_site(url: str, corpus):
    """A migrated site at `url` with the real corpus imported and a few board posts."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        import_path(corpus / "real" / "Tech-Books", max_bytes=MAX_BYTES)
        _add_board_posts()
    return app


def _add_board_posts() -> None:
    """Answers (and a hidden one) on the first questions, so answers are searched too."""
    member = db.session.scalars(db.select(Member).order_by(Member.id)).first()
    questions = db.session.scalars(db.select(Question).order_by(Question.id).limit(5)).all()
    for number, question in enumerate(questions):
        factories.answer(
            question, member, f"카프카 설정을 바꿨다 {number}",
            body_html=f"<p>카프카 설정을 바꿨다 {number}, 리더 선출 50% a_b</p>",
            hidden_at=question.created_at if number == 4 else None,
        )  # fmt: skip
    db.session.commit()


@pytest.fixture(scope="module")
def corpus():
    """The `corpus` fixture of tests/conftest.py, for the whole module (one import per site)."""
    return conftest.corpus.__wrapped__()


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory, corpus):
    """The corpus on a fresh SQLite file."""
    path = tmp_path_factory.mktemp("search-sqlite") / "site.sqlite3"
    app = _build_site(f"sqlite:///{path}", corpus)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def postgres_site(postgres_cluster, corpus):
    """The corpus on a fresh database of the throwaway PostgreSQL cluster."""
    admin = create_engine(postgres_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS search_differential"))
        conn.execute(text("CREATE DATABASE search_differential"))
    app = _build_site(postgres_cluster.url("search_differential"), corpus)
    yield app
    with app.app_context():
        db.engine.dispose()
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS search_differential"))
    admin.dispose()


def _all_hits(app, query: str, **filters) -> tuple[list, dict]:
    """Every (kind, id) the query finds, page after page (of 7), and its counts per kind."""
    with app.app_context():
        first = search(query, per_page=7, **filters)
        hits = [(hit.kind, hit.id) for hit in first.hits]
        for page in range(2, first.pages + 1):
            hits += [(h.kind, h.id) for h in search(query, page=page, per_page=7, **filters).hits]
        db.session.rollback()
        return hits, first.counts


def test_both_sites_hold_the_same_documents(sqlite_site, postgres_site):
    counts = []
    for app in (sqlite_site, postgres_site):
        with app.app_context():
            counts.append(
                db.session.execute(
                    text("SELECT kind, count(*) FROM search_documents GROUP BY kind ORDER BY kind")
                ).all()
            )
    assert counts[0] == counts[1]
    assert dict(counts[0])["note"] > 50


@pytest.mark.parametrize("query", QUERIES)
def test_same_hits_on_sqlite_and_postgres(sqlite_site, postgres_site, query):
    on_sqlite, sqlite_counts = _all_hits(sqlite_site, query)
    on_postgres, postgres_counts = _all_hits(postgres_site, query)
    assert on_postgres == on_sqlite
    assert postgres_counts == sqlite_counts


@pytest.mark.parametrize("filters", [{"book_id": 1}, {"chapter": 3}, {"kind": "question"}])
def test_same_hits_with_filters(sqlite_site, postgres_site, filters):
    for query in ("설정", "카프카", "큐"):
        assert _all_hits(postgres_site, query, **filters) == _all_hits(
            sqlite_site, query, **filters
        ), query


def test_same_capped_counts_and_hits(sqlite_site, postgres_site, monkeypatch):
    monkeypatch.setattr(results, "COUNT_CAP", 5)
    capped = []
    cases = [
        ("설정", {}), ("카프카 리더", {}), ("큐", {"book_id": 1}), ("설정 kafka", {"kind": "note"}),
    ]  # fmt: skip
    for query, filters in cases:
        on_sqlite = _all_hits(sqlite_site, query, **filters)
        assert _all_hits(postgres_site, query, **filters) == on_sqlite, query
        capped.append(max(on_sqlite[1].values()) == 6)  # "more than 5"
    assert capped[0] and sum(capped) >= 2  # 설정 and at least one more reached the cap


def test_common_terms_find_something(sqlite_site):
    for query in ("설정을", "설정", "큐", "kafka", '"리더 선출"', "카프카 리더"):
        assert _all_hits(sqlite_site, query)[0], query


def test_reindex_on_postgres_keeps_the_hits(postgres_site):
    before = _all_hits(postgres_site, "카프카")
    result = postgres_site.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert _all_hits(postgres_site, "카프카") == before
