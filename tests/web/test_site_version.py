"""The site version grows with every committed write, and only then."""

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import Book, Member
from app.web.site_version import current_site_version

pytestmark = pytest.mark.usefixtures("app")


def test_commit_with_changes_bumps_the_version():
    before = current_site_version()
    db.session.add(Book(title="새 책"))
    db.session.commit()
    assert current_site_version() == before + 1


def test_bulk_statement_bumps_the_version():
    db.session.add(Member(name="가"))
    db.session.commit()
    before = current_site_version()
    db.session.execute(update(Member).values(role="admin"))
    db.session.commit()
    assert current_site_version() == before + 1


def test_commit_without_changes_and_rollback_leave_it():
    before = current_site_version()
    db.session.commit()
    db.session.add(Book(title="버려질 책"))
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert current_site_version() == before
