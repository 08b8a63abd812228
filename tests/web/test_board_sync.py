"""Threads made from notes keep their identity, history and answers across re-imports."""

from sqlalchemy import func, select

from app.board import services
from app.board.services import sync_note_questions
from app.extensions import db
from app.models import Answer, PostRevision, Question
from app.notes.parse import ParsedQuestion
from tests.web.board_helpers import make_book, make_note


def sync(note, *questions, anchor="궁금했던-부분"):
    sync_note_questions(note, [ParsedQuestion(t, b) for t, b in questions], anchor)
    db.session.commit()


def threads(note):
    return list(
        db.session.scalars(
            select(Question).where(Question.note_id == note.id).order_by(Question.id)
        )
    )


def test_first_sync_makes_one_thread_per_question(make_member):
    kim = make_member("김철수")
    book = make_book()
    note = make_note(book, kim, chapter=2)
    sync(note, ("샤딩은 언제?", "- 직접 찾아본 답: `hash`"), ("CAP 정리", ""))
    first, second = threads(note)
    assert (first.title, first.asker_id, first.book_id, first.chapter_number) == (
        "샤딩은 언제?",
        kim.id,
        book.id,
        2,
    )
    assert (first.note_position, second.note_position) == (0, 1)
    assert first.note_anchor == "궁금했던-부분"
    assert "<code>hash</code>" in first.body_html
    assert first.state == "open" and not first.removed_from_note


def test_resync_keeps_identity_history_and_answers(make_member):
    kim, lee = make_member("김철수"), make_member("이영희")
    book = make_book()
    note = make_note(book, kim)
    sync(note, ("첫 질문", "처음 본문"), ("둘째 질문", "둘째 본문"))
    first, second = threads(note)
    answer = services.post_answer(lee, first.id, "답변입니다")

    # the first question's title is edited in place; the second one's body changes
    sync(note, ("첫 질문 (고침)", "처음 본문"), ("둘째 질문", "둘째 본문 고침"))

    assert [q.id for q in threads(note)] == [first.id, second.id]
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.title == "첫 질문 (고침)" and second.body == "둘째 본문 고침"
    assert "둘째 본문 고침" in second.body_html
    revisions = db.session.scalars(select(PostRevision).order_by(PostRevision.id)).all()
    assert [(r.question_id, r.title, r.body, r.source) for r in revisions] == [
        (first.id, "첫 질문", "처음 본문", "note"),
        (second.id, "둘째 질문", "둘째 본문", "note"),
    ]
    assert db.session.get(Answer, answer.id).question_id == first.id
    assert first.answers_count == 1 and first.state == "answered"


def test_unchanged_resync_writes_no_revision(make_member):
    kim = make_member("김철수")
    note = make_note(make_book(), kim)
    sync(note, ("질문", "본문"))
    sync(note, ("질문", "본문"))
    assert db.session.scalar(select(func.count()).select_from(PostRevision)) == 0
    assert len(threads(note)) == 1


def test_reordered_questions_follow_their_titles(make_member):
    kim = make_member("김철수")
    note = make_note(make_book(), kim)
    sync(note, ("가", ""), ("나", ""))
    a, b = threads(note)
    sync(note, ("나", ""), ("가", ""))
    db.session.refresh(a)
    db.session.refresh(b)
    assert (a.title, a.note_position, b.title, b.note_position) == ("가", 1, "나", 0)


def test_removed_question_is_marked_keeps_answers_and_comes_back(client, make_member):
    kim, lee = make_member("김철수"), make_member("이영희")
    note = make_note(make_book(), kim)
    sync(note, ("남는 질문", ""), ("사라질 질문", "본문"))
    _, leaving = threads(note)
    services.post_answer(lee, leaving.id, "이 답변은 남아야 합니다")

    sync(note, ("남는 질문", ""))
    db.session.refresh(leaving)
    assert leaving.removed_from_note and leaving.deleted_at is None
    assert leaving.answers_count == 1
    page = client.get(f"/questions/{leaving.id}").get_data(as_text=True)
    assert "노트에서 삭제됨" in page and "이 답변은 남아야 합니다" in page
    assert [q.title for q in threads(note) if not q.removed_from_note] == ["남는 질문"]

    sync(note, ("남는 질문", ""), ("사라질 질문", "본문"))
    db.session.refresh(leaving)
    assert not leaving.removed_from_note and leaving.note_position == 1
    assert len(threads(note)) == 2
    page = client.get(f"/questions/{leaving.id}").get_data(as_text=True)
    assert "노트에서 삭제됨" not in page


def test_thread_links_back_to_its_place_in_the_note(client, make_member):
    kim = make_member("김철수")
    note = make_note(make_book(), kim)
    sync(note, ("질문", ""), anchor="q-section")
    (question,) = threads(note)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert f'href="/notes/{note.id}#q-section"' in page
