"""A number that changes with every committed write, so a page's ETag can be one query.

Every ORM write (a flush with changes, or an UPDATE/DELETE/INSERT statement) marks the
session; the mark becomes one `UPDATE site_versions` inside the same transaction, just
before it commits."""

from functools import wraps

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import SiteVersion

_MARK = "site_version_changed"


def current_site_version() -> int:
    """The site's version now (one query)."""
    return db.session.execute(select(SiteVersion.version).where(SiteVersion.id == 1)).scalar() or 0


@event.listens_for(Session, "after_flush")
def _mark_flush(session, _context) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[_MARK] = True


@event.listens_for(Session, "do_orm_execute")
def _mark_statement(state) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        state.session.info[_MARK] = True


@event.listens_for(Session, "before_commit")
def _bump(session) -> None:
    session.flush()  # before_commit runs before commit's own flush: see its changes now
    if session.info.pop(_MARK, False):
        session.connection().execute(
            text("UPDATE site_versions SET version = version + 1 WHERE id = 1")
        )


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_MARK, None)


def versioned_page(render):
    """Serve a page through conditional_page, current while the site version is unchanged."""
    from app.caching import conditional_page

    return conditional_page(render, etag_parts=[current_site_version()])


def versioned(view):
    """Decorate a GET view whose page depends only on the database, the URL and the viewer."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return versioned_page(lambda: view(*args, **kwargs))

    return wrapper
