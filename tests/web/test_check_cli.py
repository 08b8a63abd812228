"""`flask notes check`: what each file yields, without a database."""

import json

import pytest

from app import create_app
from app.notes.parse import NoteReadError
from app.notes.walk import read_note_file, walk_notes

SYS = "가상면접 사례로 배우는 대규모 설계2"
DOCKER = "한 권으로 배우는 도커 & 쿠버네티스"

GOOD_NOTE = """# 📚 스터디 템플릿

## 📖 1. 목차를 읽기 전에 든 생각
- 기대된다

## ❓ 4. 특별히 궁금했던 부분
- 캐시는 언제 비우나요?
  - 내 생각: TTL

## 🤔 이해도 점검 & 난이도 평가
- **자신의 이해도를 점수로 표현하기 (5점 만점)**
  - Chapter 3: ⭐⭐⭐⭐☆ (4/5)
"""

WARNED_NOTE = GOOD_NOTE.replace("Chapter 3:", "Chapter 9:")

# What a Korean Windows editor saves: no emoji (EUC-KR has none), a score in 점.
EUC_KR_NOTE = """# 스터디 템플릿

## 1. 목차를 읽기 전에 든 생각
- 기대된다

## 4. 특별히 궁금했던 부분
- 캐시는 언제 비우나요?
  - 내 생각: TTL

## 이해도 점검 & 난이도 평가
- **자신의 이해도를 점수로 표현하기 (5점 만점)**
  - Chapter 3: ★★★★☆ 4점
"""


def check(runner, *args):
    return runner.invoke(args=["notes", "check", *map(str, args)])


def check_json(runner, *args):
    result = check(runner, *args, "--json")
    return result, json.loads(result.output)


@pytest.fixture
def tech_books(corpus):
    return corpus / "real" / "Tech-Books"


def test_real_corpus_json_agrees_with_note_format(runner, tech_books):
    result, items = check_json(runner, tech_books)
    assert result.exit_code == 0
    assert [item["path"] for item in items] == sorted(item["path"] for item in items)
    assert len(items) == 78  # 76 notes, README.md, Template.md (.github/ is hidden)
    assert all(
        set(item)
        == {
            "path",
            "status",
            "reason",
            "book",
            "member",
            "chapters",
            "questions",
            "scores",
            "reading_minutes",
            "warnings",
        }
        for item in items
    )
    by_path = {item["path"]: item for item in items}
    notes = [item for item in items if item["status"] == "ok"]
    assert len(notes) == 76
    assert {item["member"] for item in notes} == {"김규민", "김범석", "문종운", "박이슬", "조재현"}
    assert {item["book"] for item in notes} == {SYS, DOCKER}
    assert by_path["README.md"]["status"] == "skipped" and by_path["README.md"]["reason"]
    assert by_path["Template.md"]["status"] == "skipped"
    assert "템플릿" in by_path["Template.md"]["reason"]

    compose = by_path[f"{DOCKER}/김규민/[Chapter5-7] 도커 컴포즈를 활용한 컨테이너 실행.md"]
    assert compose["chapters"] == [5, 6, 7]
    assert compose["scores"] == {"5": 5.0}
    assert compose["reading_minutes"] == 20
    assert compose["questions"] == []
    assert compose["warnings"]

    list_and_section = by_path[f"{DOCKER}/조재현/[Chapter4, 5.7] 도커 컴포즈.md"]
    assert list_and_section["chapters"] == [4, 5]
    assert list_and_section["scores"] == {"4": 4.0}
    assert list_and_section["reading_minutes"] == 140

    pop = by_path[f"{SYS}/문종운/[3장][구글 맵].md"]
    assert [q["title"] for q in pop["questions"]] == [
        "POP(Point Of Presence)",
        "사고지점 탐색",
        "ETA",
    ]
    assert pop["questions"][0]["body"].startswith("- 통신하는 엔티티")

    with_data = [item for item in notes if item["scores"] or item["reading_minutes"] is not None]
    assert len(with_data) == 13
    assert sum(len(item["questions"]) for item in notes) == 129


def test_text_report_is_korean_and_summarises(runner, tech_books):
    result = check(runner, tech_books)
    assert result.exit_code == 0
    assert "✓ 노트  " + f"{SYS}/김규민/[1장][근접성 서비스].md" in result.output
    assert "멤버: 김규민" in result.output and "장: 1장" in result.output
    assert "– 건너뜀  README.md" in result.output
    assert "파일 78개: 노트 76개 · 건너뜀 2개 · 읽을 수 없음 0개" in result.output


def test_strict_fails_on_the_real_corpus_warnings(runner, tech_books):
    assert check(runner, tech_books, "--strict").exit_code == 1


@pytest.fixture
def bad_folder(tmp_path):
    """A book folder with a good EUC-KR note and every kind of unreadable file."""
    tmp_path = tmp_path / "repo"
    member = tmp_path / "책" / "kim"
    member.mkdir(parents=True)
    (member / "[3장] 캐시.md").write_bytes(EUC_KR_NOTE.encode("euc-kr"))
    (member / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (member / "empty.md").write_bytes(b"")
    with (member / "huge.md").open("wb") as huge:
        huge.write(b"# big\n" + b"a" * (20 * 1024 * 1024))
    (member / "diagram.png").write_bytes(b"\x89PNG\r\n")
    hidden = tmp_path / ".github"
    hidden.mkdir()
    (hidden / "PULL_REQUEST_TEMPLATE.md").write_text("## ❓ 궁금\n- x", encoding="utf-8")
    (member / ".draft.md").write_text("## ❓ 궁금\n- x", encoding="utf-8")
    return tmp_path


def test_bad_files_are_reported_and_the_rest_read(runner, bad_folder):
    result, items = check_json(runner, bad_folder)
    assert result.exit_code == 1
    by_path = {item["path"]: item for item in items}
    assert sorted(by_path) == [
        "책/kim/[3장] 캐시.md",
        "책/kim/binary.md",
        "책/kim/diagram.png",
        "책/kim/empty.md",
        "책/kim/huge.md",
    ]
    good = by_path["책/kim/[3장] 캐시.md"]
    assert good["status"] == "ok"
    assert (good["book"], good["member"], good["chapters"]) == ("책", "kim", [3])
    assert good["questions"] == [{"title": "캐시는 언제 비우나요?", "body": "- 내 생각: TTL"}]
    assert good["scores"] == {"3": 4.0}
    assert "바이너리" in by_path["책/kim/binary.md"]["reason"]
    assert "빈 파일" in by_path["책/kim/empty.md"]["reason"]
    assert "너무 큽니다" in by_path["책/kim/huge.md"]["reason"]
    assert "Markdown" in by_path["책/kim/diagram.png"]["reason"]
    for name in ("binary.md", "empty.md", "huge.md", "diagram.png"):
        item = by_path[f"책/kim/{name}"]
        assert item["status"] == "skipped" and item["questions"] == [] and item["book"] is None


def test_bad_files_in_the_text_report(runner, bad_folder):
    result = check(runner, bad_folder)
    assert result.exit_code == 1
    assert "✗ 읽을 수 없음  책/kim/huge.md" in result.output
    assert "· Markdown 아님  책/kim/diagram.png" in result.output
    assert "읽을 수 없음 3개" in result.output


def test_limit_comes_from_configuration(runner, app, tmp_path):
    tmp_path = tmp_path / "repo"
    member = tmp_path / "책" / "kim"
    member.mkdir(parents=True)
    (member / "[3장].md").write_text(GOOD_NOTE, encoding="utf-8")
    app.config["MAX_NOTE_BYTES"] = 100
    result, items = check_json(runner, tmp_path)
    assert result.exit_code == 1
    assert "너무 큽니다" in items[0]["reason"]


def test_strict_fails_only_on_warnings(runner, tmp_path):
    tmp_path = tmp_path / "repo"
    member = tmp_path / "책" / "kim"
    member.mkdir(parents=True)
    (member / "[3장].md").write_text(GOOD_NOTE, encoding="utf-8")
    assert check(runner, tmp_path, "--strict").exit_code == 0
    (member / "[4장].md").write_text(WARNED_NOTE, encoding="utf-8")
    assert check(runner, tmp_path).exit_code == 0
    strict = check(runner, tmp_path, "--strict")
    assert strict.exit_code == 1
    assert "⚠" in strict.output


def test_file_named_directly_is_read_whatever_its_name(runner, tmp_path):
    note = tmp_path / "notes.txt"
    note.write_text(GOOD_NOTE, encoding="utf-8")
    result, items = check_json(runner, note, "--member", "kim", "--book", "캐시 책")
    assert result.exit_code == 0
    (item,) = items
    assert item["path"] == str(note)
    assert (item["status"], item["member"], item["book"]) == ("ok", "kim", "캐시 책")
    assert item["scores"] == {"3": 4.0}


def test_lone_file_without_member_is_skipped_but_reported(runner, tmp_path):
    note = tmp_path / "[3장] 캐시.md"
    note.write_text(GOOD_NOTE, encoding="utf-8")
    result, items = check_json(runner, note)
    assert result.exit_code == 0
    (item,) = items
    assert item["status"] == "skipped" and item["member"] is None
    assert "누가 쓴 노트인지" in item["reason"]
    assert item["chapters"] == [3] and len(item["questions"]) == 1


def test_check_works_without_a_migrated_database(tmp_path):
    missing = tmp_path / "nowhere" / "db.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    member = tmp_path / "책" / "kim"
    member.mkdir(parents=True)
    (member / "[3장].md").write_text(GOOD_NOTE, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["notes", "check", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["member"] == "kim"
    assert not missing.exists()


def test_walk_notes_rules(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Note.MD").write_text("x")
    (tmp_path / "a.markdown").write_text("x")
    (tmp_path / "c.txt").write_text("x")
    (tmp_path / ".hidden.md").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("x")
    found = [(str(item.relative), item.not_markdown) for item in walk_notes(tmp_path)]
    assert found == [("a.markdown", False), ("b/Note.MD", False), ("c.txt", True)]


def test_read_note_file_refuses_a_large_file_from_its_size(tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(NoteReadError, match="너무 큽니다"):
        read_note_file(big, 1024)
    with pytest.raises(NoteReadError, match="열 수 없습니다"):
        read_note_file(tmp_path / "missing.md", 1024)
    assert read_note_file(big, 4096) == "a" * 2048
