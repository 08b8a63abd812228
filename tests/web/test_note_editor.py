"""Writing notes in the browser: template, preview, upload, edit, delete, restore."""

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Note, NoteVersion, Question, Rating
from app.notes import editing
from app.notes.parse import parse_chapter_list
from app.notes.parse.template import note_template
from tests import factories


def _parser_ready() -> bool:
    try:
        from app.notes.parse import parse_note
        from app.notes.render import render_markdown

        parse_note("## 📝 내용 정리\n- x\n", "m/[1장].md", book="b", member="m")
        render_markdown("x")
    except NotImplementedError:
        return False
    return True


pytestmark = pytest.mark.skipif(
    not _parser_ready(), reason="the parser and renderer have not landed yet"
)

NOTE = """# 📚 스터디 템플릿

## 📝 내용 정리
- 도커 이미지는 레이어로 이루어진다.

## ❓ 특별히 궁금했던 부분
- 레이어 캐시는 언제 무효화되나요?
- **멀티 스테이지 빌드**는 왜 이미지를 줄이나요?

## ⏳ 독서 과정 기록
- **총 독서 시간**: 1시간 30분

## 🤔 이해도 점검 & 난이도 평가
- **자신의 이해도를 점수로 표현하기 (5점 만점)**
  - Chapter 3: ⭐⭐⭐⭐ (4/5)
"""


def page(response) -> str:
    return response.get_data(as_text=True)


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def book(app):
    book = factories.book("도커 & 쿠버네티스", (3,), {3: "도커 설치"})
    db.session.commit()
    return book


@pytest.fixture
def writer(make_member, login):
    member = make_member("민지")
    login(member)
    return member


def new_note(client, book, **fields):
    data = {"book_id": str(book.id), "chapters": "3", "title": "", "text": NOTE, "action": "save"}
    data.update(fields)
    return client.post("/notes/new", data=data, content_type="multipart/form-data")


def saved_note() -> Note:
    return db.session.execute(select(Note)).scalar_one()


# --- the form -------------------------------------------------------------------------------


def test_new_note_form_has_the_template_and_the_pickers(client, book, writer):
    html = page(client.get(f"/notes/new?book={book.id}&chapter=3"))
    assert '<label for="book_id">책</label>' in html and '<label for="chapters">장</label>' in html
    assert f'<option selected value="{book.id}">도커 &amp; 쿠버네티스</option>' in html
    assert "## ❓ 특별히 궁금했던 부분" in html and "Chapter 3: (예:" in html
    assert 'value="3"' in html
    assert "js/editor.js" in html and 'data-preview-url="/notes/preview"' in html


def test_the_untouched_template_yields_no_questions_or_scores(book, writer):
    preview = editing.preview_new_note(
        writer, editing.Draft(note_template([3]), chapters_text="3", book_id=book.id)
    )
    assert preview.questions == [] and preview.scores == {}
    assert preview.blocking  # the template as it is cannot be saved


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3", [3]), ("4, 5", [4, 5]), ("5-7", [5, 6, 7]), ("5 - 7", [5, 6, 7]), ("3장", [3])],
)
def test_chapter_list(text, expected):
    assert parse_chapter_list(text) == expected


@pytest.mark.parametrize("text", ["", "x", "9-3", "1-100"])
def test_chapter_list_refused(text):
    with pytest.raises(ValueError):
        parse_chapter_list(text)


# --- preview --------------------------------------------------------------------------------


def test_preview_without_javascript_renders_and_saves_nothing(client, book, writer):
    response = new_note(client, book, action="preview")
    assert response.status_code == 200
    html = page(response)
    assert "레이어 캐시는 언제 무효화되나요?" in html  # a question it will make
    assert "3장 4.0" in html  # the score it will record
    assert "<li>도커 이미지는 레이어로 이루어진다.</li>" in html  # the rendered note
    assert count(Note) == 0 and count(Question) == 0


def test_preview_shows_the_parsers_warnings(client, book, writer):
    text = NOTE.replace("(4/5)", "(7/5)")
    html = page(new_note(client, book, action="preview", text=text))
    assert "경고" in html and 'class="warnings"' in html


def test_preview_is_sanitized(client, book, writer):
    attack = "\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n"
    text = NOTE.replace("레이어로 이루어진다.", "레이어로 이루어진다." + attack)
    html = page(
        client.post("/notes/preview", data={"book_id": book.id, "chapters": "3", "text": text})
    )
    assert "<script" not in html and "onerror" not in html
    assert "<li>도커 이미지는 레이어로 이루어진다.</li>" in html


def test_fetch_preview_with_csrf_header(app, client, book, writer):
    app.config["WTF_CSRF_ENABLED"] = True
    form = page(client.get("/notes/new"))
    token = form.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    data = {"book_id": book.id, "chapters": "3", "text": NOTE}
    response = client.post("/notes/preview", data=data, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert "레이어 캐시는 언제 무효화되나요?" in page(response)
    assert client.post("/notes/preview", data=data).status_code == 400


# --- saving ---------------------------------------------------------------------------------


def test_saving_a_note_makes_questions_and_a_rating(client, book, writer):
    response = new_note(client, book)
    note = saved_note()
    assert response.status_code == 302 and response.location == f"/notes/{note.id}"
    assert note.origin == "web" and note.member_id == writer.id and note.version_count == 1
    version = db.session.execute(select(NoteVersion)).scalar_one()
    assert version.author_id == writer.id and version.origin == "web"
    titles = db.session.execute(select(Question.title).order_by(Question.note_position)).scalars()
    assert list(titles) == [
        "레이어 캐시는 언제 무효화되나요?",
        "멀티 스테이지 빌드는 왜 이미지를 줄이나요?",
    ]
    rating = db.session.execute(select(Rating)).scalar_one()
    assert rating.score == 4.0 and rating.member_id == writer.id
    chapter_page = page(client.get(f"/books/{book.id}/chapters/3"))
    assert note.title in chapter_page and "레이어 캐시는 언제 무효화되나요?" in chapter_page


def test_uploaded_markdown_file_is_used(client, book, writer):
    upload = (io.BytesIO(NOTE.encode("cp949", errors="ignore")), "3장.md")
    response = new_note(client, book, text="", upload=upload)
    assert response.status_code == 302
    assert "레이어 캐시" in saved_note().source


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "노트 내용이 비어 있습니다."),
        ({"chapters": "x"}, "장 번호를 읽을 수 없습니다"),
        ({"book_id": "0"}, "책을 골라 주세요."),
        ({"text": note_template([3])}, "노트 템플릿 그대로입니다"),
        ({"text": note_template([3]).replace("\n", "\r\n")}, "노트 템플릿 그대로입니다"),
        ({"upload": (io.BytesIO(b"\x00\x01binary"), "a.md")}, "올린 파일을 읽을 수 없습니다"),
        ({"upload": (io.BytesIO(b"# x"), "a.exe")}, "Markdown 파일(.md)만"),
    ],
)
def test_refused_notes_say_why_and_save_nothing(client, book, writer, fields, message):
    response = new_note(client, book, **fields)
    assert response.status_code == 400
    assert message in page(response)
    assert count(Note) == 0


def test_too_long_note_is_refused(app, client, book, writer):
    app.config["MAX_NOTE_BYTES"] = 200
    response = new_note(client, book)
    assert response.status_code == 400 and "노트가 너무 깁니다" in page(response)


def test_save_without_csrf_token_saves_nothing(app, client, book, writer):
    app.config["WTF_CSRF_ENABLED"] = True
    response = new_note(client, book)
    assert response.status_code == 400
    assert "보안 확인 토큰이 없거나 만료되었습니다" in page(response)
    assert count(Note) == 0


# --- editing --------------------------------------------------------------------------------


@pytest.fixture
def note(client, book, writer):
    new_note(client, book)
    return saved_note()


def test_edit_makes_a_new_version_with_a_diff(client, note):
    form = page(client.get(f"/notes/{note.id}/edit"))
    assert "레이어 캐시는 언제 무효화되나요?" in form
    text = NOTE.replace("레이어로 이루어진다", "읽기 전용 레이어로 이루어진다")
    response = client.post(
        f"/notes/{note.id}/edit", data={"title": note.title, "text": text, "action": "save"}
    )
    assert response.status_code == 302
    db.session.refresh(note)
    assert note.version_count == 2 and "읽기 전용" in note.source
    diff = page(client.get(f"/notes/{note.id}/versions/2"))
    assert "읽기 전용 레이어로" in diff and "diff-add" in diff


def test_edit_without_change_makes_no_version(client, note):
    client.post(
        f"/notes/{note.id}/edit", data={"title": note.title, "text": NOTE, "action": "save"}
    )
    db.session.refresh(note)
    assert note.version_count == 1


def test_edit_preview_saves_nothing(client, note):
    text = NOTE.replace("레이어 캐시는", "새 질문은")
    response = client.post(f"/notes/{note.id}/edit", data={"text": text, "action": "preview"})
    assert response.status_code == 200 and "새 질문은 언제 무효화되나요?" in page(response)
    db.session.refresh(note)
    assert note.version_count == 1


def test_other_member_cannot_edit_or_delete(client, note, make_member, login):
    login(make_member("남"))
    data = {"text": "## 📝 내용 정리\n- 덮어쓰기", "action": "save"}
    assert client.get(f"/notes/{note.id}/edit").status_code == 403
    assert client.post(f"/notes/{note.id}/edit", data=data).status_code == 403
    assert client.post(f"/notes/{note.id}/delete").status_code == 403
    db.session.refresh(note)
    assert note.version_count == 1 and note.deleted_at is None
    assert "편집" not in page(client.get(f"/notes/{note.id}")).split("note-actions")[-1][:200]


def test_admin_edit_is_recorded_as_the_admins(client, note, make_member, login):
    admin = make_member("운영자", role="admin")
    login(admin)
    text = NOTE + "\n오타 수정\n"
    client.post(f"/notes/{note.id}/edit", data={"text": text, "action": "save"})
    versions = db.session.execute(select(NoteVersion).order_by(NoteVersion.number)).scalars().all()
    assert [v.author_id for v in versions] == [note.member_id, admin.id]
    db.session.refresh(note)
    assert note.member_id != admin.id  # still the writer's note


# --- delete and restore ---------------------------------------------------------------------


def test_delete_hides_the_note_and_an_admin_restores_it(client, note, make_member, login):
    assert "삭제할까요?" in page(client.get(f"/notes/{note.id}/delete"))
    assert client.post(f"/notes/{note.id}/delete").status_code == 302
    db.session.refresh(note)
    assert note.deleted_at is not None
    assert client.get(f"/notes/{note.id}").status_code == 404
    assert client.post(f"/notes/{note.id}/restore").status_code == 403

    login(make_member("운영자", role="admin"))
    admin_page = page(client.get("/admin"))
    assert note.title in admin_page and "되살리기" in admin_page
    assert client.post(f"/notes/{note.id}/restore").status_code == 302
    db.session.refresh(note)
    assert note.deleted_at is None
    assert count(Question) == 2  # the note's threads were never touched


def test_note_page_shows_actions_to_the_writer(client, note):
    html = page(client.get(f"/notes/{note.id}"))
    assert f'href="/notes/{note.id}/edit"' in html and f'href="/notes/{note.id}/delete"' in html


def test_a_long_note_typed_in_the_editor_is_accepted(client, book, writer):
    text = NOTE + "\n" + ("긴 정리 문장입니다. " * 80 + "\n") * 300  # about 700 kB
    response = new_note(client, book, text=text)
    assert response.status_code == 302
    assert len(saved_note().source.encode()) > 600_000


@pytest.mark.parametrize(
    ("chapters", "title"),
    [([3], "3장 도커 설치"), ([4], "4장 노트"), ([4, 5], "4–5장 노트"), ([2, 4], "2, 4장 노트")],
)
def test_untitled_notes_are_named_after_their_chapters(book, chapters, title):
    assert editing.default_title(book, chapters) == title


def test_a_given_title_is_kept(client, book, writer):
    new_note(client, book, title="레이어 이야기")
    assert saved_note().title == "레이어 이야기"


def test_an_untitled_note_gets_its_chapters_title(client, book, writer):
    new_note(client, book)
    assert saved_note().title == "3장 도커 설치"
