"""Deleting and restoring a note carries its threads along, answers kept."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Note, Question
from app.notes.importer import import_path
from app.notes.services import restore_note, soft_delete_note
from tests.web.helpers import write_note

pytestmark = pytest.mark.usefixtures("app")


def test_deleted_note_marks_its_threads_and_restore_brings_them_back(tmp_path):
    write_note(tmp_path / "notes", "책", "김철수", 1)
    import_path(tmp_path / "notes", max_bytes=2**21)
    note = db.session.execute(select(Note)).scalar_one()
    question = db.session.execute(select(Question)).scalar_one()
    anchor = question.note_anchor

    soft_delete_note(note)
    assert question.removed_from_note is True

    restore_note(note)
    assert note.deleted_at is None
    assert question.removed_from_note is False
    assert question.note_anchor == anchor
    assert db.session.execute(select(Question)).scalars().all() == [question]
