"""Importing the real corpus puts every question on the board; re-importing keeps answers."""

import shutil
from collections import Counter

import pytest
from sqlalchemy import select

from app.board import services
from app.board.matching import clean_title
from app.extensions import db
from app.models import Answer, Book, Member, Question
from app.notes.importer import import_path
from app.notes.parse import NoteReadError, decode_note, parse_note
from app.notes.walk import walk_notes
from tests.web.board_helpers import quick_member

MAX = 2 * 1024 * 1024


def require_parser_and_renderer():
    """Skip while the parser or renderer (built on other branches) are still stubs."""
    from app.notes.render import render_markdown

    try:
        parse_note("# x", "a/b/c.md")
        render_markdown("x")
    except NotImplementedError:
        pytest.skip("the note parser or renderer is not on this branch yet")


def expected_questions(root):
    """(book, member, first chapter, title) of every question the parser reads in `root`."""
    expected = Counter()
    for note_file in walk_notes(root):
        if note_file.not_markdown:
            continue
        try:
            text = decode_note(note_file.path.read_bytes(), MAX)
        except NoteReadError:
            continue
        parsed = parse_note(text, note_file.relative)
        if parsed.skip_reason or not parsed.member or not parsed.book:
            continue
        chapter = parsed.chapters[0] if parsed.chapters else None
        for question in parsed.questions:
            expected[(parsed.book, parsed.member, chapter, clean_title(question.title))] += 1
    return expected


def board_questions():
    rows = db.session.execute(
        select(Book.title, Member.name, Question.chapter_number, Question.title)
        .join(Book, Question.book_id == Book.id)
        .join(Member, Question.asker_id == Member.id)
        .where(Question.removed_from_note.is_(False))
    )
    return Counter(tuple(row) for row in rows)


def test_corpus_import_puts_every_question_on_the_board(app, corpus, tmp_path):
    require_parser_and_renderer()
    root = tmp_path / "Tech-Books"
    shutil.copytree(corpus / "real" / "Tech-Books", root)
    import_path(root, max_bytes=MAX)
    expected = expected_questions(root)
    assert sum(expected.values()) > 20
    assert board_questions() == expected

    # someone answers one thread; its note then changes and is imported again
    question = db.session.scalars(
        select(Question).where(Question.note_id.is_not(None)).order_by(Question.id)
    ).first()
    answer = services.post_answer(quick_member("답변자"), question.id, "답변은 남아야 합니다")
    question_id, answer_id = question.id, answer.id
    note_file = next(
        f.path for f in walk_notes(root) if f.relative.as_posix().endswith(question.note.source_key)
    )
    with note_file.open("a", encoding="utf-8") as handle:
        handle.write("\n\n바뀐 내용입니다.\n")
    report = import_path(root, max_bytes=MAX)
    assert len(report.updated) == 1

    db.session.expire_all()
    kept = db.session.get(Question, question_id)
    assert not kept.removed_from_note
    assert db.session.get(Answer, answer_id).question_id == question_id
    assert kept.answers_count == 1 and kept.state == "answered"
