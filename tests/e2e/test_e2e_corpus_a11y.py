"""axe-core on every kind of page with the real corpus imported, in light and dark: real
notes bring long titles, many scores, code, tables and math that the demo book does not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.e2e.browser import new_context, serious_violations, sign_in_cookie
from tests.e2e.site import LiveSite, start_site, with_app

# How many of the many threads and chapters to check: enough to meet every kind of content.
THREADS_CHECKED = 25


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory, corpus) -> Iterator[LiveSite]:
    """A live site holding the 76 real notes, with a coming meeting per book."""
    database = tmp_path_factory.mktemp("e2e-corpus") / "studyhall.sqlite3"
    live, server = start_site(database, corpus / "real" / "Tech-Books")
    _schedule_meetings(live)
    yield live
    server.stop()


def _schedule_meetings(site: LiveSite) -> None:
    from app.models import Book, Meeting, Note, NoteChapter, utcnow

    with with_app(site) as db:
        soon = utcnow().date() + timedelta(days=3)
        for book in db.session.scalars(select(Book)):
            chapters = db.session.scalars(
                select(NoteChapter.chapter_id)
                .join(Note, Note.id == NoteChapter.note_id)
                .where(Note.book_id == book.id)
                .group_by(NoteChapter.chapter_id)
                .order_by(func.count().desc())
                .limit(1)
            ).all()
            numbers = [c.number for c in book.chapters if c.id in chapters]
            if numbers:
                db.session.add(Meeting(book_id=book.id, date=soon, chapters=str(numbers[0])))
        db.session.commit()


def _pages(site: LiveSite) -> dict[str, list[str]]:
    """Every kind of page, with every book, note and member and a sample of threads."""
    from app.models import Book, Chapter, Meeting, Member, Note, Question

    with with_app(site) as db:
        books = db.session.scalars(select(Book.id)).all()
        chapters = db.session.execute(
            select(Chapter.book_id, Chapter.number).order_by(Chapter.book_id, Chapter.number)
        ).all()
        meetings = db.session.scalars(select(Meeting.id)).all()
        notes = db.session.scalars(select(Note.id).where(Note.deleted_at.is_(None))).all()
        members = db.session.scalars(select(Member.id)).all()
        threads = db.session.scalars(select(Question.id).limit(THREADS_CHECKED)).all()
    return {
        "site": [
            "/",
            "/board",
            "/board?state=open",
            "/search?q=설정",
            "/search?q=설정&tab=questions",
        ],
        "books": [f"/books/{b}" for b in books] + [f"/books/{b}/schedule" for b in books],
        "chapters": [f"/books/{b}/chapters/{n}" for b, n in chapters]
        + [f"/books/{b}/chapters/{n}/prep" for b, n in chapters],
        "meetings": [f"/meetings/{m}" for m in meetings] + [f"/books/{b}/webhooks" for b in books],
        "notes": [f"/notes/{n}" for n in notes],
        "members": [f"/members/{m}" for m in members] + ["/me", "/me/mail", "/me/feeds"],
        "threads": [f"/questions/{q}" for q in threads],
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "kind", ["site", "books", "chapters", "meetings", "notes", "members", "threads"]
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_real_corpus_pages_have_no_serious_violation(browser, corpus_site, kind, scheme):
    urls = _pages(corpus_site)[kind]
    assert urls, f"the real corpus gave no {kind} pages:\n{corpus_site.import_output}"
    context = new_context(browser, corpus_site, bypass_csp=True, color_scheme=scheme)
    sign_in_cookie(context, corpus_site, "관리자")  # an admin sees every control
    page = context.new_page()
    found = {}
    try:
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status == 200, f"{url}: {response}"
            serious = serious_violations(page)
            if serious:
                found[url] = serious
    finally:
        context.close()
    assert corpus_site.server_errors == []
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)[:6000]
