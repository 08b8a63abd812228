"""Page versions grow with every committed write to what their pages show, and only then."""

from datetime import date

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import Meeting, Member, PageVersion
from app.web.page_versions import current_versions, versioned
from app.web.scopes import NO_PAGE_TABLES, WRITE_SCOPES
from tests import factories

pytestmark = pytest.mark.usefixtures("app")


def version(scope: str) -> int:
    return dict(current_versions([scope]))[scope]


def test_every_table_says_which_pages_its_writes_change():
    tables = set(db.metadata.tables)
    assert tables <= set(WRITE_SCOPES) | NO_PAGE_TABLES
    assert not set(WRITE_SCOPES) & NO_PAGE_TABLES


def test_versions_are_read_in_one_query_and_unwritten_scopes_are_zero():
    db.session.add(PageVersion(scope="thread:1", version=4))
    db.session.commit()
    assert current_versions(["thread:2", "thread:1", "thread:1"]) == [
        ("thread:1", 4),
        ("thread:2", 0),
    ]


def test_commit_with_changes_bumps_the_version():
    before = version("site")
    factories.book("새 책", ())
    db.session.commit()
    assert version("site") == before + 1


def test_bulk_statement_bumps_the_version():
    factories.member("가", login=False)
    db.session.commit()
    before = version("site")
    db.session.execute(update(Member).values(role="admin"))
    db.session.commit()
    assert version("site") == before + 1


def test_a_change_no_page_shows_bumps_nothing():
    member = factories.member("나", login=False)
    db.session.commit()
    before = version("site")
    member.session_generation += 1
    db.session.commit()
    db.session.execute(update(Member).values(session_generation=Member.session_generation + 1))
    db.session.commit()
    assert version("site") == before


def test_commit_without_changes_and_rollback_leave_it():
    before = version("site")
    db.session.commit()
    factories.book("버려질 책", ())  # flushed
    db.session.rollback()
    db.session.commit()
    assert version("site") == before


def test_a_page_must_say_which_scopes_it_shows():
    with pytest.raises(TypeError, match="scopes"):
        versioned(lambda: "페이지")


def test_a_released_savepoint_bumps_at_commit_once_and_a_rolled_back_one_not():
    first, second = factories.book("첫 책", ()), factories.book("둘째 책", ())
    db.session.commit()
    scopes = (f"book:{first.id}", f"book:{second.id}", "home")
    before = {scope: version(scope) for scope in scopes}
    for day in (1, 2):  # two savepoints released: the book's scope grows once, at commit
        with db.session.begin_nested():
            db.session.add(Meeting(book_id=first.id, date=date(2030, 1, day), chapters="1"))
        assert version(f"book:{first.id}") == before[f"book:{first.id}"]
    savepoint = db.session.begin_nested()
    db.session.add(Meeting(book_id=second.id, date=date(2030, 1, 3), chapters="1"))
    db.session.flush()
    savepoint.rollback()  # its write is undone: its scopes with it
    db.session.commit()
    assert version(f"book:{first.id}") == before[f"book:{first.id}"] + 1
    assert version(f"book:{second.id}") == before[f"book:{second.id}"]
    assert version("home") == before["home"] + 1


def test_a_rollback_forgets_the_scopes_of_released_savepoints_too():
    book = factories.book("책", ())
    db.session.commit()
    before = version(f"book:{book.id}")
    with db.session.begin_nested():
        db.session.add(Meeting(book_id=book.id, date=date(2030, 1, 1), chapters="1"))
    db.session.rollback()
    db.session.commit()
    assert version(f"book:{book.id}") == before
