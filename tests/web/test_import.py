"""The importer: idempotent, keeps versions, reports bad files and loses nothing."""

import re

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Book, Chapter, Member, Note, NoteVersion, Question
from app.notes.importer import import_path
from tests.web.helpers import write_note

MAX = 2 * 1024 * 1024
pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def notes_dir(tmp_path):
    """A folder of notes (tmp_path itself also holds the test database)."""
    folder = tmp_path / "notes"
    folder.mkdir()
    return folder


def count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_import_creates_books_members_chapters_notes(notes_dir):
    write_note(notes_dir, "책", "김철수", 1)
    write_note(notes_dir, "책", "이영희", 1)
    write_note(notes_dir, "책", "이영희", 2)
    report = import_path(notes_dir, max_bytes=MAX)
    assert len(report.new) == 3 and not report.skipped
    assert count(Book) == 1 and count(Member) == 2 and count(Chapter) == 2 and count(Note) == 3
    note = db.session.execute(select(Note).join(Member).where(Member.name == "김철수")).scalar_one()
    assert [link.chapter.number for link in note.note_chapters] == [1]
    assert note.reading_minutes == 70
    assert "<h2" in note.html


def test_second_import_changes_nothing(notes_dir):
    write_note(notes_dir, "책", "김철수", 1)
    write_note(notes_dir, "책", "김철수", 2)
    import_path(notes_dir, max_bytes=MAX)
    before = [(n.id, n.updated_at, n.version_count) for n in db.session.scalars(select(Note))]
    report = import_path(notes_dir, max_bytes=MAX)
    assert len(report.unchanged) == 2 and not report.new and not report.updated
    after = [(n.id, n.updated_at, n.version_count) for n in db.session.scalars(select(Note))]
    assert before == after
    assert count(NoteVersion) == 2


def test_changed_note_keeps_earlier_version(notes_dir):
    path = write_note(notes_dir, "책", "김철수", 1, minutes=10)
    import_path(notes_dir, max_bytes=MAX)
    first = path.read_text(encoding="utf-8")
    write_note(notes_dir, "책", "김철수", 1, minutes=40)
    report = import_path(notes_dir, max_bytes=MAX)
    assert len(report.updated) == 1
    note = db.session.execute(select(Note)).scalar_one()
    assert note.version_count == 2 and note.reading_minutes == 100
    assert [v.source for v in note.versions] == [first, path.read_text(encoding="utf-8")]


def test_earlier_version_then_current_keeps_both(notes_dir, corpus):
    history = corpus / "real" / "Tech-Books__history" / "aaf850f"
    current = corpus / "real" / "Tech-Books"
    relative = "가상면접 사례로 배우는 대규모 설계2/문종운/[1장][근접성 서비스].md"
    import_path(history / relative, book="대규모 설계2", member="문종운", max_bytes=MAX)
    import_path(current / relative, book="대규모 설계2", member="문종운", max_bytes=MAX)
    note = db.session.execute(select(Note)).scalar_one()
    assert note.version_count == 2
    assert note.versions[0].source != note.versions[1].source
    assert note.source == note.versions[1].source


def test_bad_files_are_reported_and_the_rest_imports(notes_dir):
    write_note(notes_dir, "책", "김철수", 1)
    folder = notes_dir / "책" / "이영희"
    folder.mkdir(parents=True)
    (folder / "[2장] 바이너리.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    (folder / "[3장] 빈 파일.md").write_bytes(b"")
    (folder / "[4장] 큰 파일.md").write_bytes(b"# big\n" + b"a" * (20 * 1024 * 1024))
    euc_kr = "## 내용 정리\n- 박민수의 5장 정리\n\n## 궁금한 점\n- 한글 인코딩은?\n"
    (notes_dir / "책" / "박민수").mkdir()
    (notes_dir / "책" / "박민수" / "[5장] 제목 5.md").write_bytes(euc_kr.encode("euc-kr"))
    report = import_path(notes_dir, max_bytes=MAX)
    skipped = dict(report.skipped)
    assert set(skipped) == {
        "책/이영희/[2장] 바이너리.md",
        "책/이영희/[3장] 빈 파일.md",
        "책/이영희/[4장] 큰 파일.md",
    }
    assert all(reason for reason in skipped.values())
    assert sorted(report.new) == ["책/김철수/[1장] 제목 1.md", "책/박민수/[5장] 제목 5.md"]
    korean = db.session.execute(
        select(Note).join(Member).where(Member.name == "박민수")
    ).scalar_one()
    assert "박민수의 5장 정리" in korean.source


def test_failed_note_does_not_damage_saved_one(notes_dir):
    path = write_note(notes_dir, "책", "김철수", 1)
    import_path(notes_dir, max_bytes=MAX)
    saved = db.session.execute(select(Note)).scalar_one().source
    path.write_bytes(b"\x00\x01\x02 binary now")
    report = import_path(notes_dir, max_bytes=MAX)
    assert report.skipped and not report.updated
    db.session.expire_all()
    assert db.session.execute(select(Note)).scalar_one().source == saved


def test_questions_keep_identity_across_reimport(notes_dir):
    path = write_note(notes_dir, "책", "김철수", 1)
    import_path(notes_dir, max_bytes=MAX)
    question = db.session.execute(select(Question)).scalar_one()
    path.write_text(path.read_text(encoding="utf-8") + "\n추가 문장\n", encoding="utf-8")
    import_path(notes_dir, max_bytes=MAX)
    again = db.session.execute(select(Question)).scalar_one()
    assert again.id == question.id


def test_single_file_needs_member_or_is_skipped(notes_dir):
    path = notes_dir / "[3장] 혼자.md"
    path.write_text("# 📚 스터디 템플릿\n\n## 📝 내용 정리\n- 내용\n", encoding="utf-8")
    report = import_path(path, max_bytes=MAX)
    assert report.skipped and not report.new
    report = import_path(path, book="책", member="홍길동", max_bytes=MAX)
    assert len(report.new) == 1


def test_real_corpus_imports(corpus):
    report = import_path(corpus / "real" / "Tech-Books", max_bytes=MAX)
    assert len(report.new) == 76
    assert {name for name, _ in report.skipped} == {"README.md", "Template.md"}
    assert count(Member) == 5 and count(Book) == 2
    again = import_path(corpus / "real" / "Tech-Books", max_bytes=MAX)
    assert len(again.unchanged) == 76 and not again.new and not again.updated


def test_import_command_prints_report(runner, notes_dir):
    write_note(notes_dir, "책", "김철수", 1)
    result = runner.invoke(args=["notes", "import", str(notes_dir)])
    assert result.exit_code == 0, result.output
    assert "새 노트 1" in result.output
    result = runner.invoke(args=["notes", "import", str(notes_dir)])
    assert "그대로 1" in result.output


def test_images_next_to_notes_are_imported_and_served(notes_dir, client):
    path = write_note(
        notes_dir,
        "책",
        "김철수",
        1,
        extra="\n![구조](./images/구조도.png)\n![외부](https://example.com/a.png)\n",
    )
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    (path.parent / "images").mkdir()
    (path.parent / "images" / "구조도.png").write_bytes(png)
    import_path(notes_dir, max_bytes=MAX)
    note = db.session.execute(select(Note)).scalar_one()
    served = re.search(r'src="(/assets/\d+/[^"]+)"', note.html).group(1)
    assert 'src="https://example.com/a.png"' in note.html
    response = client.get(served)
    assert response.status_code == 200 and response.data == png
    assert response.mimetype == "image/png"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_missing_image_is_a_warning(notes_dir):
    write_note(notes_dir, "책", "김철수", 1, extra="\n![없음](./images/none.png)\n")
    report = import_path(notes_dir, max_bytes=MAX)
    assert any("none.png" in w for _, warnings in report.warnings for w in warnings)


def test_import_command_gives_sqlite_planner_statistics(runner, notes_dir):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's autovacuum analyzes tables by itself")
    for chapter in (1, 2, 3):
        write_note(notes_dir, "책", "김철수", chapter)
    db.session.execute(text("DELETE FROM sqlite_stat1"))
    db.session.commit()
    result = runner.invoke(args=["notes", "import", str(notes_dir)])
    assert result.exit_code == 0, result.output
    analyzed = set(db.session.execute(text("SELECT tbl FROM sqlite_stat1")).scalars())
    assert {"notes", "questions", "note_chapters"} <= analyzed
