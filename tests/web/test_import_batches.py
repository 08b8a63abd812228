"""The importer's batches: many notes per transaction, each in a savepoint, the search
index brought in line once per batch; a failure loses only what failed."""

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Member, Note, Question
from app.notes import importer
from app.notes.importer import import_path
from tests.web.helpers import write_note

MAX = 2 * 1024 * 1024
pytestmark = pytest.mark.usefixtures("app")


def count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def indexed(kind):
    return db.session.execute(
        text("SELECT count(*) FROM search_documents WHERE kind = :kind"), {"kind": kind}
    ).scalar_one()


def four_notes(folder):
    write_note(folder, "책", "김철수", 1)
    write_note(folder, "책", "이영희", 1)
    write_note(folder, "책", "이영희", 2)
    write_note(folder, "책", "박민수", 1)


def test_a_note_failing_mid_write_loses_only_itself(tmp_path, monkeypatch):
    from app.ratings import services as ratings

    apply_scores = ratings.apply_note_scores

    def fail_for_one(note, *args, **kwargs):
        if note.source_key == "이영희/[1장] 제목 1.md":  # after its note and threads flushed
            raise RuntimeError("boom")
        return apply_scores(note, *args, **kwargs)

    monkeypatch.setattr(ratings, "apply_note_scores", fail_for_one)
    four_notes(tmp_path / "notes")
    report = import_path(tmp_path / "notes", max_bytes=MAX)
    assert [name for name, _ in report.skipped] == ["책/이영희/[1장] 제목 1.md"]
    assert "boom" in report.skipped[0][1] and len(report.new) == 3
    db.session.expire_all()
    assert count(Note) == 3 and count(Member) == 3  # 이영희's other note made her anyway
    assert indexed("note") == 3 and indexed("question") == count(Question) > 0


def test_a_batch_failing_at_its_end_is_done_again_note_by_note(tmp_path, monkeypatch):
    from app.search import index

    apply = index._apply
    calls = []

    def fail_once(conn, changes):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("index pass failed")
        return apply(conn, changes)

    write_note(tmp_path / "notes", "책", "김철수", 9)
    import_path(tmp_path / "notes", max_bytes=MAX)  # the index is built: later writes use it
    monkeypatch.setattr(index, "_apply", fail_once)
    four_notes(tmp_path / "notes")
    report = import_path(tmp_path / "notes", max_bytes=MAX)
    assert len(report.new) == 4 and not report.skipped and report.fatal is None
    assert len(calls) == 5  # the batch, then each of its four notes
    db.session.expire_all()
    assert count(Note) == 5 and indexed("note") == 5


def test_small_batches_import_everything_once(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_NOTES", 3)
    four_notes(tmp_path / "notes")
    write_note(tmp_path / "notes", "책", "김철수", 2)
    first = import_path(tmp_path / "notes", max_bytes=MAX)
    assert len(first.new) == 5 and not first.skipped
    second = import_path(tmp_path / "notes", max_bytes=MAX)
    assert len(second.unchanged) == 5 and not second.new and not second.updated
    db.session.expire_all()
    assert count(Note) == 5 and indexed("note") == 5
    assert indexed("question") == count(Question)


@pytest.mark.parametrize("parallel_from", [1, 10**6], ids=["worker", "in-process"])
def test_notes_prepared_by_a_worker_or_in_process_import_alike(
    tmp_path, monkeypatch, parallel_from
):
    from app.notes import prepare

    folder = tmp_path / "notes"
    four_notes(folder)
    path = write_note(folder, "책", "김철수", 3, extra="\n![구조](./images/a.png)\n")
    (path.parent / "images").mkdir()
    (path.parent / "images" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    write_note(folder, "책", "김철수", 4, extra="\n![없음](./images/none.png)\n")
    (folder / "책" / "김철수" / "[5장] 빈 파일.md").write_bytes(b"")
    (folder / "책" / "김철수" / "메모.txt").write_text("x", encoding="utf-8")
    monkeypatch.setattr(prepare, "PARALLEL_FROM", parallel_from)
    monkeypatch.setattr(prepare, "AHEAD", 2)
    report = import_path(folder, max_bytes=MAX)
    assert len(report.new) == 6
    assert sorted(name for name, _ in report.skipped) == [
        "책/김철수/[5장] 빈 파일.md",
        "책/김철수/images/a.png",
        "책/김철수/메모.txt",
    ]
    image_warnings = [name for name, found in report.warnings if any("이미지" in w for w in found)]
    assert image_warnings == ["책/김철수/[4장] 제목 4.md"]
    with_image = db.session.execute(select(Note).where(Note.html.contains("/assets/"))).scalar()
    assert with_image is not None and with_image.source_key == "김철수/[3장] 제목 3.md"
    assert indexed("note") == 6 and indexed("question") == count(Question)
    again = import_path(folder, max_bytes=MAX)
    assert len(again.unchanged) == 6 and not again.new and not again.updated
