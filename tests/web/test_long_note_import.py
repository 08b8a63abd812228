"""A note with 10,000 questions: it imports (its threads capped, with a warning) while other
writers keep writing, and editing a question near the top of a long list keeps its thread."""

import os
import threading
from pathlib import Path

from sqlalchemy import func, select, text

from app.board.services import post_answer
from app.extensions import db
from app.models import Answer, Question
from app.notes.checker import check_file
from app.notes.importer import import_path
from app.notes.parse import MAX_QUESTIONS
from app.search import rebuild_index
from tests.web.board_helpers import ask, make_book, quick_member

COUNT = 10_000


def note_text(count: int, *, shifted: bool = False) -> str:
    """A note of `count` questions; `shifted`: one inserted on top and the 4th retitled."""
    lines = ["# 📚 스터디 템플릿", "", "## 특별히 궁금했던 부분", ""]
    if shifted:
        lines += ["- 맨 위에 새로 넣은 질문", ""]
    for index in range(count):
        title = f"질문 {index}번: 샤딩 키는 어떻게 고르나요?"
        if shifted and index == 3:
            title = "질문 3번을 고쳐 씀: 샤딩 키를 고르는 기준"
        lines += [f"- {title}", f"  - 직접 찾아본 답 {index}: 해시와 범위 중 고른다.", ""]
    return "\n".join(lines)


def write_note(root: Path, text_: str) -> Path:
    path = root / "책" / "멤버" / "[1장] 긴 노트.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text_, encoding="utf-8")
    os.utime(path)
    return path


def live_threads() -> dict[int, str]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Question.id, Question.title).where(
            Question.note_id.is_not(None), Question.removed_from_note.is_(False)
        )
    )
    return dict(rows.all())


def test_a_10000_question_note_imports_while_another_member_answers(app, tmp_path):
    asker = quick_member("asker")
    question_id = ask(asker, make_book("다른 책")).id
    write_note(tmp_path / "notes", note_text(COUNT))
    done = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def keep_answering() -> None:
        with app.app_context():
            member = db.session.get(type(asker), asker.id)
            while not done.is_set() or not written:
                try:
                    written.append(post_answer(member, question_id, f"답 {len(written)}").id)
                except BaseException as error:  # "database is locked" would land here
                    errors.append(error)
                    return
            db.session.remove()

    writer = threading.Thread(target=keep_answering)
    writer.start()
    try:
        report = import_path(tmp_path / "notes", max_bytes=64 * 1024 * 1024)
    finally:
        done.set()
        writer.join()

    assert errors == []
    assert report.new == ["책/멤버/[1장] 긴 노트.md"] and report.fatal is None
    assert len(live_threads()) == MAX_QUESTIONS
    assert any("1,000개만" in warning for warning in report.warnings[0][1])
    answers = db.session.scalar(select(func.count()).select_from(Answer))
    assert answers == len(written) >= 1


def test_editing_near_the_top_of_a_long_note_keeps_the_thread(app, tmp_path):
    count = MAX_QUESTIONS - 1  # room for the inserted one
    write_note(tmp_path / "notes", note_text(count))
    import_path(tmp_path / "notes", max_bytes=64 * 1024 * 1024)
    before = live_threads()
    fourth = next(i for i, title in before.items() if title.startswith("질문 3번:"))

    write_note(tmp_path / "notes", note_text(count, shifted=True))
    report = import_path(tmp_path / "notes", max_bytes=64 * 1024 * 1024)

    assert report.updated
    after = live_threads()
    assert after[fourth] == "질문 3번을 고쳐 씀: 샤딩 키를 고르는 기준"
    assert set(before) <= set(after) and len(after) == count + 1
    assert db.session.get(Question, fourth).note_position == 4


def test_bulk_inserted_threads_are_indexed_as_a_rebuild_would(app, tmp_path):
    write_note(tmp_path / "notes", note_text(30))
    import_path(tmp_path / "notes", max_bytes=64 * 1024 * 1024)
    query = text(
        "SELECT kind, ref_id, book_id, member_id, question_id, chapters, updated_at, title, body "
        "FROM search_documents WHERE kind = 'question' ORDER BY ref_id"
    )
    incremental = db.session.execute(query).all()
    connection = db.session.connection()
    rebuild_index(connection)
    db.session.commit()
    assert len(incremental) == 30
    assert db.session.execute(query).all() == incremental


def test_the_checker_warns_of_a_note_with_too_many_questions(tmp_path):
    path = write_note(tmp_path, note_text(MAX_QUESTIONS + 5))
    result = check_file("긴 노트.md", path, "책/멤버/[1장] 긴 노트.md", 64 * 1024 * 1024)
    assert len(result.questions) == MAX_QUESTIONS
    assert any(f"{MAX_QUESTIONS + 5:,}개" in warning for warning in result.warnings)
