"""Issue 15, scoped invalidation: a write changes exactly the pages it should, and no page
ever shows stale content after a write.

Every page below is viewed twice before the write (so it sits in the worker's page store),
then once after it: `X-Cache: miss` means its version moved and it was rendered again,
`hit` that it was served from the store."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from app.auth import services as auth_services
from app.board import services as board
from app.extensions import db
from app.mail import services as mail_services
from app.models import Book, Member, Note, Repository, utcnow
from app.notes import services as notes_services
from app.notes.importer import import_path
from app.ratings.services import submit_rating
from app.schedule.services import set_meeting
from app.web.caching import ByteBoundedCache
from tests.web.board_helpers import ask, make_book, make_note, quick_member
from tests.web.helpers import write_note

NOTE = """# 📚 스터디 템플릿

## 📝 내용 정리
- {text}

## ⏳ 독서 과정 기록
- **총 독서 시간**: 1시간 10분
"""


@dataclass
class Site:
    """Two books, three members, three notes and a thread on each book."""

    ids: dict[str, int]
    pages: dict[str, str]

    def member(self, name: str) -> Member:
        return db.session.get(Member, self.ids[name])


@pytest.fixture
def site(app) -> Site:
    book1, book2 = make_book("첫째 책", (1, 2)), make_book("둘째 책", (1,))
    asker, answerer, other = quick_member("묻는이"), quick_member("답하는이"), quick_member("딴이")
    admin = quick_member("관리자", role="admin")
    note1 = make_note(book1, asker, 1, "n1.md")
    note2 = make_note(book1, other, 2, "n2.md")
    note3 = make_note(book2, other, 1, "n3.md")
    db.session.commit()
    q1 = ask(asker, book1, title="첫째 책의 질문", chapter=1)
    q2 = ask(other, book2, title="둘째 책의 질문", chapter=1)
    ids = dict(
        book1=book1.id,
        book2=book2.id,
        asker=asker.id,
        answerer=answerer.id,
        other=other.id,
        admin=admin.id,
        note1=note1.id,
        note2=note2.id,
        note3=note3.id,
        q1=q1.id,
        q2=q2.id,
    )
    pages = {
        "home": "/",
        "board": "/board",
        "search": "/search?q=질문",
        "dashboard 1": f"/books/{book1.id}",
        "dashboard 2": f"/books/{book2.id}",
        "prep 1.1": f"/books/{book1.id}/chapters/1/prep",
        "chapter 1.1": f"/books/{book1.id}/chapters/1",
        "chapter 1.2": f"/books/{book1.id}/chapters/2",
        "chapter 2.1": f"/books/{book2.id}/chapters/1",
        "note 1": f"/notes/{note1.id}",
        "note 2": f"/notes/{note2.id}",
        "note 3": f"/notes/{note3.id}",
        "member asker": f"/members/{asker.id}",
        "member answerer": f"/members/{answerer.id}",
        "member other": f"/members/{other.id}",
        "thread 1": f"/questions/{q1.id}",
        "thread 2": f"/questions/{q2.id}",
    }
    return Site(ids, pages)


def warm(client, site: Site) -> None:
    for url in site.pages.values():
        client.get(url)
        assert client.get(url).headers["X-Cache"] == "hit", url


def rendered_again(client, site: Site) -> set[str]:
    """The pages whose version moved: rendered again instead of served from the store."""
    changed = set()
    for name, url in site.pages.items():
        response = client.get(url)
        if response.headers.get("X-Cache") != "hit":  # a deleted note's 404 is not stored
            changed.add(name)
    return changed


def changed_by(client, site: Site, write: Callable[[Site], object]) -> set[str]:
    warm(client, site)
    write(site)
    db.session.expire_all()
    return rendered_again(client, site)


BOOK_1_CHAPTER_1 = {"dashboard 1", "prep 1.1", "chapter 1.1"}


def test_an_answer_changes_its_thread_chapter_book_board_search_and_people(client, site):
    def answer(site):
        board.post_answer(site.member("answerer"), site.ids["q1"], "가용성을 고르면 됩니다")

    assert changed_by(client, site, answer) == {
        "thread 1",
        *BOOK_1_CHAPTER_1,
        "board",
        "search",
        "home",  # recent activity
        "member asker",  # the answer count of their question
        "member answerer",  # their recent activity
    }


def test_an_answer_changes_every_page_for_the_asker_only(app, site, login):
    asker = login(site.member("asker"), on=app.test_client())
    other = login(site.member("other"), on=app.test_client())

    def answer(site):
        board.post_answer(site.member("answerer"), site.ids["q1"], "알림이 갑니다")

    warm(other, site)
    assert changed_by(asker, site, answer) == set(site.pages)  # the unread badge
    assert "thread 2" not in rendered_again(other, site)


def test_a_question_changes_its_chapter_book_board_search_and_asker(client, site):
    def question(site):
        ask(site.member("other"), _book(site, 1), chapter=2)

    assert changed_by(client, site, question) == {
        "dashboard 1",
        "prep 1.1",
        "chapter 1.2",
        "board",
        "search",
        "home",
        "member other",
    }


def _book(site, number):
    return db.session.get(Book, site.ids[f"book{number}"])


THREAD_1 = {"thread 1", *BOOK_1_CHAPTER_1, "board", "search", "home", "member asker"}


def test_a_vote_changes_what_its_thread_changes(client, site):
    assert changed_by(client, site, lambda s: board.toggle_vote(s.member("other"), s.ids["q1"]))
    assert (
        changed_by(client, site, lambda s: board.toggle_vote(s.member("other"), s.ids["q1"]))
        == THREAD_1
    )


def test_editing_a_question_changes_what_its_thread_changes(client, site):
    def edit(site):
        board.edit_question(site.member("asker"), site.ids["q1"], title="고친 질문", body="본문")

    assert changed_by(client, site, edit) == THREAD_1


def test_accepting_an_answer_changes_the_thread_not_the_other_book(client, site):
    answer = board.post_answer(site.member("answerer"), site.ids["q1"], "답")
    answer_id = answer.id

    def accept(site):
        board.set_answer_accepted(site.member("asker"), answer_id, accepted=True)

    assert changed_by(client, site, accept) == THREAD_1 | {"member answerer"}


def test_reading_notifications_changes_no_shared_page(client, site):
    board.post_answer(site.member("answerer"), site.ids["q1"], "답")
    assert (
        changed_by(client, site, lambda s: board.mark_notifications_read(s.ids["asker"])) == set()
    )


def test_a_rating_changes_its_chapter_book_rater_and_their_notes(client, site):
    def rate(site):
        submit_rating(site.ids["book1"], 2, site.member("other"), "4")

    assert changed_by(client, site, rate) == {
        "dashboard 1",
        "prep 1.1",
        "chapter 1.2",
        "home",
        "member other",
        "note 2",  # a note shows its author's scores
        "note 3",  # (every note of the rater: a wider scope than needed)
    }


def test_editing_a_note_changes_it_its_chapter_book_author_and_search(client, site):
    def edit(site):
        note = db.session.get(Note, site.ids["note1"])
        notes_services.update_web_note(
            note=note, editor=site.member("asker"), text=NOTE.format(text="고친 정리")
        )

    assert changed_by(client, site, edit) == {
        "note 1",
        *BOOK_1_CHAPTER_1,
        "member asker",
        "search",
        "home",
    }


def test_a_new_note_changes_its_chapter_book_author_and_search_only(client, site):
    def create(site):
        notes_services.create_web_note(
            book_id=site.ids["book2"],
            member=site.member("answerer"),
            chapters=[1],
            title="새 노트",
            text=NOTE.format(text="새 정리"),
        )

    assert changed_by(client, site, create) == {
        "dashboard 2",
        "chapter 2.1",
        "member answerer",
        "search",
        "home",
    }


def test_deleting_a_note_changes_it_and_its_places(client, site):
    def delete(site):
        notes_services.soft_delete_note(db.session.get(Note, site.ids["note3"]))

    assert changed_by(client, site, delete) == {
        "note 3",
        "dashboard 2",
        "chapter 2.1",
        "member other",
        "search",
        "home",
    }


def test_importing_a_note_changes_its_chapter_book_author_and_search(client, site, tmp_path):
    def imported(site):
        write_note(tmp_path, "첫째 책", "묻는이", 2)
        import_path(tmp_path, max_bytes=2**20)

    assert changed_by(client, site, imported) == {
        "dashboard 1",
        "prep 1.1",
        "chapter 1.2",
        "member asker",
        "search",
        "home",
        "board",  # the note's question became a thread
        "note 1",  # the author's score for chapter 2 (their notes show their scores)
    }


def test_a_meeting_changes_home_and_its_book(client, site):
    def meeting(site):
        set_meeting(site.member("admin"), site.ids["book1"], date.today() + timedelta(days=3), [1])

    assert changed_by(client, site, meeting) == {"home", "dashboard 1", "prep 1.1"}


def test_mail_settings_and_repository_bookkeeping_change_no_page(client, site):
    repo = Repository(name="notes", url="https://example.com/notes.git", secret="s")
    db.session.add(repo)
    db.session.commit()

    def private_writes(site):
        modes = dict.fromkeys(mail_services.KINDS, "never")
        mail_services.save_settings(site.member("asker"), "asker@example.com", modes)
        repo.last_synced_at = utcnow()
        repo.last_commit = "0" * 40
        db.session.commit()
        auth_services.end_sessions(site.ids["other"])

    assert changed_by(client, site, private_writes) == set()


def test_a_member_change_changes_every_page(client, site):
    def rename(site):
        db.session.execute(
            update(Member).where(Member.id == site.ids["other"]).values(name="새이름")
        )
        db.session.commit()

    assert changed_by(client, site, rename) == set(site.pages)


# --- no page is ever stale -----------------------------------------------------------------


WRITES: list[Callable[[Site], object]] = [
    lambda s: board.post_answer(s.member("answerer"), s.ids["q1"], "첫 답"),
    lambda s: board.toggle_vote(s.member("other"), s.ids["q1"]),
    lambda s: ask(s.member("answerer"), _book(s, 2), title="새 질문", chapter=1),
    lambda s: board.edit_question(
        s.member("other"), s.ids["q2"], title="고친 질문", body="새 본문"
    ),
    lambda s: submit_rating(s.ids["book1"], 1, s.member("asker"), "2"),
    lambda s: board.mark_notifications_read(s.ids["asker"]),
    lambda s: notes_services.update_web_note(
        note=db.session.get(Note, s.ids["note2"]),
        editor=s.member("other"),
        text=NOTE.format(text="다시 쓴 정리"),
    ),
    lambda s: set_meeting(s.member("admin"), s.ids["book2"], date.today() + timedelta(days=1), [1]),
    lambda s: board.post_answer(s.member("other"), s.ids["q1"], "둘째 답"),
    lambda s: notes_services.soft_delete_note(db.session.get(Note, s.ids["note1"])),
]


def test_no_page_shows_stale_content_after_any_write(app, site, login):
    anonymous = app.test_client()
    asker = login(site.member("asker"), on=app.test_client())
    for write in WRITES:
        for client in (anonymous, asker):
            for url in site.pages.values():
                client.get(url)  # stored for its current version
        write(site)
        db.session.expire_all()
        for client in (anonymous, asker):
            served = {url: page_text(client, url) for url in site.pages.values()}
            app.extensions["page_cache"] = ByteBoundedCache(16 * 1024 * 1024)  # forget them all
            for url, body in served.items():
                assert page_text(client, url) == body, url


def page_text(client, url: str) -> str:
    """The page as served, without its CSRF tokens (signed afresh at each rendering)."""
    body = client.get(url).get_data(as_text=True)
    return re.sub(r"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}", "-", body)
