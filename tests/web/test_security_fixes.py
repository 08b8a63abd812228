"""Issue 13, security: open redirects, deleted versions, invite and login races, names,
sessions that end, symlinked notes and imported ratings."""

import pytest

from app.extensions import db
from app.models import Book, Chapter
from app.notes import editing

NOTE = """# 📚 스터디 템플릿

## 📝 내용 정리
- 비밀스러운 정리 문장.

## ⏳ 독서 과정 기록
- **총 독서 시간**: 1시간 30분
"""


def sign_in(client, username, password, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password})


# --- 1. open redirect -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/x",
        "/%0A/x",
        "/%0D%0ALocation:%20//evil.example",
        "/\\evil.example",
        "/%5Cevil.example",
        "///evil.example",
        "/%20/evil.example",
    ],
)
def test_next_never_leaves_the_site(client, make_member, login, target):
    make_member("민지", password="correct-horse")
    response = sign_in(client, "민지", "correct-horse", next_url=target)
    assert response.status_code == 302 and response.location == "/"
    # Signed in already: the GET answers a redirect too, never off-site and never a 500.
    response = client.get(f"/login?next={target}")
    assert response.status_code == 302 and response.location == "/"


def test_a_local_next_is_still_followed(client, make_member):
    make_member("민지", password="correct-horse")
    assert sign_in(client, "민지", "correct-horse", next_url="/board?page=2").location == (
        "/board?page=2"
    )


# --- 4. a deleted note's versions -----------------------------------------------------------


@pytest.fixture
def deleted_note(app, make_member):
    book = Book(title="도커")
    db.session.add_all([book, Chapter(book=book, number=3, title="설치")])
    db.session.commit()
    writer = make_member("작성자")
    note = editing.write_note(writer, editing.Draft(NOTE, chapters_text="3", book_id=book.id))
    editing.delete_note(note.id, writer)
    return note


def test_deleted_note_versions_are_hidden_from_members_and_the_public(
    client, deleted_note, make_member, login
):
    url = f"/notes/{deleted_note.id}/versions/1"
    assert client.get(url).status_code == 404  # PUBLIC_READ is on in tests
    login(make_member("다른멤버"))
    response = client.get(url)
    assert response.status_code == 404 and "비밀스러운" not in response.get_data(as_text=True)


def test_an_admin_still_reads_a_deleted_notes_versions(client, deleted_note, make_member, login):
    login(make_member("운영자", role="admin"))
    response = client.get(f"/notes/{deleted_note.id}/versions/1")
    assert response.status_code == 200 and "비밀스러운" in response.get_data(as_text=True)
