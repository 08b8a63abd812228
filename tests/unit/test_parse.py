"""The note parser, rule by rule (NOTE_FORMAT.md). Pure: no app."""

import pytest

from app.notes.parse import (
    NoteReadError,
    ParsedQuestion,
    chapters_in_name,
    decode_note,
    parse_note,
    path_facts,
    read_minutes,
    read_score,
    split_front_matter,
    strip_emphasis,
)

BOOK_PATH = "책/kim/[3장][객체지향].md"


def note(*sections: str) -> str:
    """A small note made of the given Markdown blocks."""
    return "\n\n".join(sections) + "\n"


def questions_of(section_body: str) -> list[tuple[str, str]]:
    """(title, body) of the questions a 궁금 section yields."""
    parsed = parse_note(f"## ❓ 4. 특별히 궁금했던 부분\n{section_body}", BOOK_PATH)
    return [(q.title, q.body) for q in parsed.questions]


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("# 노트\n내용".encode(), "# 노트\n내용"),
        ("\ufeff# 노트\n".encode(), "# 노트\n"),
        ("# 노트\r\n내용\r\n".encode(), "# 노트\n내용\n"),
        ("# 노트\r내용".encode(), "# 노트\n내용"),
        ("# 한글 노트\n궁금했던 부분".encode("euc-kr"), "# 한글 노트\n궁금했던 부분"),
        ("# 똠방각하 노트".encode("cp949"), "# 똠방각하 노트"),
        ("# 노트 without final newline".encode(), "# 노트 without final newline"),
    ],
    ids=["utf8", "utf8-bom", "crlf", "cr", "euc-kr", "cp949-only-syllable", "no-final-newline"],
)
def test_decode_note_reads(data, expected):
    assert decode_note(data, 10_000) == expected


@pytest.mark.parametrize(
    ("data", "max_bytes", "reason_part"),
    [
        (b"", 100, "빈 파일"),
        (b"  \r\n\t\n", 100, "빈 파일"),
        (b"\xef\xbb\xbf", 100, "빈 파일"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 100, "바이너리"),
        (b"\xff\xff\xff\xff", 100, "인코딩"),
        (bytes(range(1, 32)) * 4, 1000, "바이너리"),
        (b"a" * 101, 100, "너무 큽니다"),
    ],
    ids=["empty", "whitespace", "bom-only", "png", "undecodable", "control-chars", "too-large"],
)
def test_decode_note_refuses(data, max_bytes, reason_part):
    with pytest.raises(NoteReadError) as error:
        decode_note(data, max_bytes)
    assert reason_part in error.value.reason


def test_too_large_reason_names_both_sizes():
    with pytest.raises(NoteReadError) as error:
        decode_note(b"a" * (3 * 1024 * 1024), 2 * 1024 * 1024)
    assert "3 MB" in error.value.reason and "최대 2 MB" in error.value.reason


# --------------------------------------------------------------------------- front matter


@pytest.mark.parametrize(
    ("text", "front", "rest"),
    [
        (
            "---\nchapter: 4\nmember: 김범석\n---\n# 본문",
            {"chapter": 4, "member": "김범석"},
            "# 본문",
        ),
        ("---\nchapters: [4, 5]\nbook: '도커'\n---\nx", {"chapters": [4, 5], "book": "도커"}, "x"),
        ("---\nno closing line\n# 본문", {}, "---\nno closing line\n# 본문"),
        ("# 본문\n---\nchapter: 3\n---", {}, "# 본문\n---\nchapter: 3\n---"),
    ],
    ids=["scalars", "list-and-quotes", "unclosed", "not-leading"],
)
def test_split_front_matter(text, front, rest):
    assert split_front_matter(text) == (front, rest)


def test_front_matter_wins_over_path_and_cli_wins_over_front_matter():
    text = "---\nchapter: 7\nmember: 박이슬\nbook: 다른 책\n---\n## 📝 내용 정리\n- 내용"
    parsed = parse_note(text, "책/kim/[3장][객체지향].md")
    assert (parsed.chapters, parsed.member, parsed.book) == ([7], "박이슬", "다른 책")
    assert parsed.front_matter["member"] == "박이슬"
    assert not parsed.body.startswith("---")
    overridden = parse_note(text, "책/kim/[3장].md", book="CLI 책", member="CLI 멤버")
    assert (overridden.book, overridden.member) == ("CLI 책", "CLI 멤버")


def test_front_matter_chapters_list():
    parsed = parse_note("---\nchapters: [4, 5]\n---\n## 📝 내용 정리\n- x", "책/kim/note.md")
    assert parsed.chapters == [4, 5]


# --------------------------------------------------------------------------- sections


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("## 📖 1. 목차를 읽기 전에 든 생각", "before"),
        ("## 📖 목차를 읽기 전에 든 생각", "before"),
        ("# 내용 정리", "summary"),
        ("### 💡 3. 전부 읽고 난 후기", "afterthoughts"),
        ("#### 궁금한 점", "questions"),
        ("## 독서 과정 기록", "reading_log"),
        ("## 🤔 이해도 점검 & 난이도 평가", "self_check"),
        ("## 4) 궁금했던 부분 ##", "questions"),
    ],
)
def test_sections_found_by_heading_keyword(heading, key):
    parsed = parse_note(f"{heading}\n본문 한 줄\n", BOOK_PATH)
    assert parsed.sections[key] == "본문 한 줄"


def test_section_runs_to_next_template_heading_and_keeps_other_headings():
    text = note(
        "## 📝 2. 내용 정리\n### 지오해시\n- 격자",
        "## 지오해시 심화\n- 더",
        "## 💡 3. 전부 읽고 난 후기\n- 좋았다",
    )
    parsed = parse_note(text, BOOK_PATH)
    assert parsed.sections["summary"] == "### 지오해시\n- 격자\n\n## 지오해시 심화\n- 더"
    assert parsed.sections["afterthoughts"] == "- 좋았다"
    assert parsed.sections["questions"] == ""


@pytest.mark.parametrize(
    "text",
    [
        "## 📝 내용 정리\n- 궁금한 점은 없었다\n**궁금** 굵게 써도 본문",
        "## 📝 내용 정리\n```bash\n# 궁금 (코드 안의 주석)\n```",
        "## 📝 내용 정리\n#궁금 (샵 뒤에 띄어쓰기가 없으면 제목이 아님)",
    ],
    ids=["body-text", "code-comment", "no-space-after-hash"],
)
def test_keyword_counts_only_in_heading_lines(text):
    parsed = parse_note(text, BOOK_PATH)
    assert parsed.sections["questions"] == ""
    assert "궁금" in parsed.sections["summary"]


def test_missing_fixed_title_is_fine():
    parsed = parse_note("## ❓ 궁금\n- 질문?", BOOK_PATH)
    assert parsed.skip_reason is None
    assert [q.title for q in parsed.questions] == ["질문?"]


# --------------------------------------------------------------------------- questions


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- 첫 질문?\n- 둘째 질문?", [("첫 질문?", ""), ("둘째 질문?", "")]),
        ("* 별표\n+ 더하기", [("별표", ""), ("더하기", "")]),
        ("1. 하나\n2) 둘", [("하나", ""), ("둘", "")]),
        ("- **굵은** 질문과 `코드`", [("굵은 질문과 코드", "")]),
        (
            "1. **WAL이란 무엇인가?**  \n   (개념 학습 필요)",
            [("WAL이란 무엇인가?", "(개념 학습 필요)")],
        ),
        ("- 질문\n  - 내 답 1\n    - 더 깊게", [("질문", "- 내 답 1\n  - 더 깊게")]),
        ("- 질문\n  이어지는 줄", [("질문", "이어지는 줄")]),
        ("1. 질문\nhttps://example.com/a", [("질문", "https://example.com/a")]),
        (
            "- 질문\n```\ncode\n```\n- 다음",
            [("질문", "```\ncode\n```"), ("다음", "")],
        ),
        ("- 질문\n\n  - 빈 줄 뒤의 하위 항목", [("질문", "- 빈 줄 뒤의 하위 항목")]),
        ("- - 로드밸런서 차이?", [("로드밸런서 차이?", "")]),
        ("-\n- \n- 진짜 질문", [("진짜 질문", "")]),
        ("문단 질문\n둘째 줄", [("문단 질문", "둘째 줄")]),
        ("문단 하나\n\n문단 둘", [("문단 하나", ""), ("문단 둘", "")]),
        (
            "### POP\n- 설명\n\n### ETA\n- 도착 시간",
            [("POP", "- 설명"), ("ETA", "- 도착 시간")],
        ),
        (
            "- 먼저 항목\n### 제목 질문\n본문\n- 제목 아래 항목",
            [("먼저 항목", ""), ("제목 질문", "본문\n- 제목 아래 항목")],
        ),
        ("문단 질문\n#### 제목", [("문단 질문", ""), ("제목", "")]),
        (
            "- 읽으면서 생겼던 의문이나 더 탐구하고 싶은 부분을 정리합니다.\n"
            "- 팀원들과 논의하고 싶은 내용을 포함해도 좋습니다.",
            [],
        ),
        ("- 질문\n  - 답: snake_case_name 그대로", [("질문", "- 답: snake_case_name 그대로")]),
        ("- room_type_rate 는 왜?", [("room_type_rate 는 왜?", "")]),
        ("- [링크 제목](https://x.y) 질문", [("링크 제목 질문", "")]),
        ("<!-- 질문을 적어 주세요 -->\n- 질문", [("질문", "")]),
        ("<!--\n여러 줄 주석\n-->\n> 인용한 질문", [("인용한 질문", "")]),
    ],
    ids=[
        "dash-items",
        "star-plus",
        "numbered",
        "emphasis-removed",
        "numbered-bold-continuation",
        "nested-list-body",
        "continuation-line",
        "lazy-url",
        "code-block-under-item",
        "blank-then-nested",
        "dash-dash",
        "empty-items-dropped",
        "paragraph",
        "two-paragraphs",
        "headings",
        "items-then-heading",
        "paragraph-then-heading",
        "placeholders-dropped",
        "underscores-kept-in-body",
        "underscores-kept-in-title",
        "link-text",
        "html-comment",
        "multi-line-comment-and-quote",
    ],
)
def test_questions(body, expected):
    assert questions_of(body) == expected


def test_placeholder_and_empty_questions_are_warned():
    parsed = parse_note(
        "## ❓ 궁금\n- 읽으면서 생겼던 의문이나 더 탐구하고 싶은 부분을 정리합니다.\n- \n- 진짜?",
        BOOK_PATH,
    )
    assert parsed.questions == [ParsedQuestion("진짜?", "")]
    assert any("안내 문구 1줄" in w for w in parsed.warnings)
    assert any("빈 항목 1개" in w for w in parsed.warnings)


def test_crlf_note_gives_same_questions():
    text = "## ❓ 궁금\r\n- 질문\r\n  - 답\r\n"
    assert parse_note(text, BOOK_PATH).questions == [ParsedQuestion("질문", "- 답")]


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("**굵게** *기울임* _밑줄_ __두 번__ ~~취소~~", "굵게 기울임 밑줄 두 번 취소"),
        ("`code` 와 ![그림](a.png)", "code 와 그림"),
        ("ad_id 와 2 * 3 * 4", "ad_id 와 2 * 3 * 4"),
    ],
)
def test_strip_emphasis(text, plain):
    assert strip_emphasis(text) == plain


# --------------------------------------------------------------------------- chapters


@pytest.mark.parametrize(
    ("name", "chapters", "title"),
    [
        ("[1장][근접성 서비스]", [1], "근접성 서비스"),
        ("[10장] [실시간 게임 순위표]", [10], "실시간 게임 순위표"),
        ("[5장]지표 모니터링 및 경보 시스템", [5], "지표 모니터링 및 경보 시스템"),
        ("[Chapter2] 도커의 개념", [2], "도커의 개념"),
        ("[Chapter 7] 쿠버네티스의 기본 구조", [7], "쿠버네티스의 기본 구조"),
        ("[Chatper4] 도커 기초", [4], "도커 기초"),
        (
            "[Chapter5-7] 도커 컴포즈를 활용한 컨테이너 실행",
            [5, 6, 7],
            "도커 컴포즈를 활용한 컨테이너 실행",
        ),
        ("[Chapter4, 5.7] 도커 컴포즈", [4, 5], "도커 컴포즈"),
        ("CHAPTER 1. 소개", [1], "소개"),
        ("ch03", [3], None),
        ("3주차", [3], None),
        ("[3장] 객체지향", [3], "객체지향"),
        ("김범석", [], None),
        ("README", [], None),
        ("search03", [], None),
        ("2024-01-03 정리", [], None),
    ],
)
def test_chapters_in_name(name, chapters, title):
    assert chapters_in_name(name) == (chapters, title)


@pytest.mark.parametrize(
    ("path", "book_given", "book", "member", "chapters"),
    [
        ("가상면접 2/김범석/[5장][지표 모니터링].md", False, "가상면접 2", "김범석", [5]),
        ("CHAPTER 1. 소개/shkim/README.md", True, None, "shkim", [1]),
        ("책/CHAPTER 1. 소개/shkim/README.md", False, "책", "shkim", [1]),
        ("[3장] 객체지향/sanha.md", True, None, "sanha", [3]),
        ("책/[3장] 객체지향/sanha.md", False, "책", "sanha", [3]),
        ("kim/ch03.md", True, None, "kim", [3]),
        ("책/kim/ch03.md", False, "책", "kim", [3]),
        ("책/kim/3주차/index.md", False, "책", "kim", [3]),
        ("Template.md", False, None, None, []),
        ("책/[5장].md", False, "책", None, [5]),
        ("[5장].md", True, None, None, [5]),
        ("CHAPTER 1. 소개/shkim/README.md", False, None, "shkim", [1]),
    ],
    ids=[
        "book/member/chapter-file",
        "chapter-folder/member/README (book given)",
        "book/chapter-folder/member/README",
        "chapter-folder/member.md (book given)",
        "book/chapter-folder/member.md",
        "member/chapter-file (book given)",
        "book/member/chapter-file ch03",
        "week folder",
        "file in root",
        "file in book folder",
        "lone file",
        "chapter folder at top is not a book",
    ],
)
def test_path_facts(path, book_given, book, member, chapters):
    facts = path_facts(path, book_given=book_given)
    assert (facts.book, facts.member, facts.chapters) == (book, member, chapters)


def test_file_name_wins_over_folder_for_chapters():
    parsed = parse_note("## 📝 내용 정리\n- x", "책/CHAPTER 1. 소개/kim/[2장] 다른 장.md")
    assert parsed.chapters == [2]
    assert parsed.chapter_titles == {2: "다른 장"}


def test_chapter_title_only_for_a_single_chapter():
    parsed = parse_note("## 📝 내용 정리\n- x", "책/kim/[Chapter5-7] 컴포즈.md")
    assert parsed.chapters == [5, 6, 7]
    assert parsed.chapter_titles == {}
    assert parsed.title == "컴포즈"


def test_lone_file_takes_chapters_from_score_labels_with_a_warning():
    text = note(
        "## 📝 내용 정리\n- 내용",
        "## 🤔 이해도\n- **자신의 이해도를 점수로 표현하기 (5점 만점)**\n"
        "  - Chapter 3: ⭐⭐⭐ (3/5)\n  - Chapter 4: ⭐⭐⭐⭐ (4/5)",
    )
    parsed = parse_note(text, "note.md", member="kim")
    assert parsed.chapters == [3, 4]
    assert parsed.scores == {3: 3.0, 4: 4.0}
    assert any("이해도 점수 줄의 장" in w for w in parsed.warnings)


def test_unknown_chapter_is_warned():
    parsed = parse_note("## 📝 내용 정리\n- 내용", "책/kim/메모.md")
    assert parsed.chapters == []
    assert any("몇 장의 노트인지" in w for w in parsed.warnings)


# --------------------------------------------------------------------------- title


@pytest.mark.parametrize(
    ("path", "text", "title"),
    [
        (
            "책/kim/[5장][지표 모니터링].md",
            "# 📚 스터디 템플릿\n## 📝 내용 정리\n- x",
            "지표 모니터링",
        ),
        ("책/CHAPTER 1. 소개/kim/README.md", "# 📚 스터디 템플릿\n## 📝 내용 정리", "소개"),
        ("책/kim/ch03.md", "# 📚 스터디 템플릿\n# 3장 정리 노트\n## 📝 내용 정리", "3장 정리 노트"),
        ("책/kim/ch03.md", "# 📚 스터디 템플릿\n## 📝 내용 정리\n- x", "ch03"),
        ("책/kim/ch03.md", "---\ntitle: 직접 단 제목\n---\n## 📝 내용 정리", "직접 단 제목"),
    ],
    ids=["file-name", "chapter-folder", "first-free-heading", "file-stem", "front-matter"],
)
def test_title(path, text, title):
    assert parse_note(text, path).title == title


# --------------------------------------------------------------------------- skips


@pytest.mark.parametrize(
    ("path", "text", "reason_part"),
    [
        ("README.md", "# ✨ 저장소\n## 📌 목적\n1. **목차를 읽기 전에 든 생각**", "템플릿 섹션"),
        ("책/kim/README.md", "그냥 글", "템플릿 섹션"),
        (
            "Template.md",
            "# 📚 스터디 템플릿\n\n## ❓ 특별히 궁금했던 부분\n"
            "- 읽으면서 생겼던 의문이나 더 탐구하고 싶은 부분을 정리합니다.\n",
            "템플릿 그대로",
        ),
        (
            "책/kim/[1장].md",
            "## 📝 2. 내용 정리\n- 마인드맵등으로 정리해서 이미지를 올려도 괜찮습니다.\n\n"
            "### 예시:\n#### Chapter 1: [챕터 제목]\n- 핵심 내용 1: ...\n",
            "템플릿 그대로",
        ),
        ("책/[1장].md", "## 📝 내용 정리\n- 진짜 내용", "누가 쓴 노트인지"),
        ("[1장].md", "## 📝 내용 정리\n- 진짜 내용", "누가 쓴 노트인지"),
    ],
    ids=["repo-readme", "plain-text", "template", "older-template", "book-folder", "root"],
)
def test_skip_reasons(path, text, reason_part):
    parsed = parse_note(text, path)
    assert parsed.skip_reason is not None and reason_part in parsed.skip_reason


def test_file_without_member_still_reports_what_it_yields():
    parsed = parse_note("## ❓ 궁금\n- 질문?", "책/[1장].md")
    assert parsed.member is None and parsed.skip_reason
    assert [q.title for q in parsed.questions] == ["질문?"]
    assert parse_note("## ❓ 궁금\n- 질문?", "책/[1장].md", member="kim").skip_reason is None


# --------------------------------------------------------------------------- scores


@pytest.mark.parametrize(
    ("value", "score", "problem_part"),
    [
        ("⭐⭐⭐⭐☆ (4/5)", 4.0, None),
        ("⭐⭐⭐½☆ (3.5/5)", 3.5, None),
        ("⭐⭐⭐⭐⭐ (4/5)", 4.0, "달라"),
        ("⭐⭐⭐⭐⭐", 5.0, None),
        ("⭐⭐½", 2.5, None),
        ("☆☆☆☆☆", None, "0점"),
        ("4점", 4.0, None),
        ("4/5", 4.0, None),
        ("4.5 / 5", 4.5, None),
        ("6/5", None, "0.5~5점"),
        ("3.3/5", None, "0.5~5점"),
        ("", None, "비어"),
        ("잘 모르겠음", None, "읽을 수 없"),
    ],
)
def test_read_score(value, score, problem_part):
    got, problem = read_score(value)
    assert got == score
    assert (problem is None) if problem_part is None else (problem_part in problem)


def self_check(*score_lines: str) -> str:
    lines = "\n".join(f"  - {line}" for line in score_lines)
    return (
        "## 🤔 이해도 점검 & 난이도 평가\n- **어려웠던 부분 & 이유**:\n  - 없음\n\n"
        f"- **자신의 이해도를 점수로 표현하기 (5점 만점)**\n{lines}\n\n"
        "- **특별하게 깨달음을 얻은 부분**\n  - 많음"
    )


@pytest.mark.parametrize(
    ("path", "lines", "scores", "warning_part"),
    [
        ("책/kim/[Chapter2] x.md", ["Chapter 2: ⭐⭐⭐⭐⭐ (5/5)"], {2: 5.0}, None),
        ("책/kim/[Chapter4] x.md", ["⭐⭐⭐⭐☆ (4/5)"], {4: 4.0}, "장 표시가 없어"),
        (
            "책/kim/[Chapter5-7] x.md",
            ["Chapter 2: ⭐⭐⭐⭐⭐ (5/5)"],
            {5: 5.0},
            "노트의 장이 아니어서",
        ),
        (
            "책/kim/[Chapter9] x.md",
            ["Chapter 7: ⭐⭐⭐⭐⭐ (5/5)", "Chapter 9: ⭐⭐⭐⭐☆ (4/5)"],
            {7: 5.0, 9: 4.0},
            "다루지 않는 7장",
        ),
        (
            "책/kim/[Chapter9] x.md",
            ["Chapter 1: ⭐⭐⭐☆☆ (3/5)", "Chapter 2: ⭐⭐⭐⭐☆ (4/5)"],
            {},
            "템플릿 예시",
        ),
        ("책/kim/[3장] x.md", ["3장: 7점"], {}, "0.5~5점"),
        ("책/kim/[3장] x.md", ["Chapter 3: 4점"], {3: 4.0}, None),
    ],
    ids=[
        "labelled",
        "unlabelled",
        "copy-pasted-label",
        "several",
        "template-example",
        "out-of-range",
        "points",
    ],
)
def test_scores(path, lines, scores, warning_part):
    parsed = parse_note(self_check(*lines), path)
    assert parsed.scores == scores
    if warning_part is None:
        assert not [w for w in parsed.warnings if "점수" in w]
    else:
        assert any(warning_part in w for w in parsed.warnings)


def test_five_point_scale_label_is_not_a_score():
    parsed = parse_note(self_check(), "책/kim/[3장] x.md")
    assert parsed.scores == {}


# --------------------------------------------------------------------------- reading time


@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        ("2시간 20분", 140),
        ("1시간 10분", 70),
        ("30분", 30),
        ("3시간", 180),
        ("1.5시간", 90),
        ("90분", 90),
        ("1h 30", 90),
        ("1h30m", 90),
        ("30m", 30),
        ("(1시간)", 60),
        ("(30m)", 30),
        ("(예: 3시간 20분)", None),
        ("", None),
    ],
)
def test_read_minutes(value, minutes):
    assert read_minutes(value)[0] == minutes


def test_unreadable_time_is_a_problem():
    assert read_minutes("오래")[1] is not None
    assert read_minutes("45") == (45, "단위가 없어 분으로 읽었습니다")


def reading_log(total: str | None, *chapter_lines: str) -> str:
    lines = ["## 📝 내용 정리", "- 읽은 내용", "## ⏳ 독서 과정 기록"]
    if total is not None:
        lines.append(f"- **총 독서 시간**: {total}")
    if chapter_lines:
        lines.append("- **각 장별 소요 시간**:")
        lines.extend(f"  - {line}" for line in chapter_lines)
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("path", "log", "total", "per_chapter", "warning_part"),
    [
        ("책/k/[Chapter2] x.md", reading_log("30분", "Chapter 2: 30분"), 30, {2: 30}, None),
        ("책/k/[Chapter9] x.md", reading_log("", "Chapter 9 : 3시간"), 180, {9: 180}, None),
        ("책/k/[Chapter2] x.md", reading_log("30m", "Chatper2 (30m)"), 30, {2: 30}, None),
        (
            "책/k/[Chapter2] x.md",
            reading_log("3시간", "Chapter 2: 1시간"),
            180,
            {2: 60},
            "다릅니다",
        ),
        (
            "책/k/[Chapter9] x.md",
            reading_log("(1시간)", "Chapter 9: (예: 1시간)"),
            60,
            {},
            "(예: …)",
        ),
        (
            "책/k/[Chapter9] x.md",
            reading_log("", "Chapter 7: 10분", "Chapter 9: ", "..."),
            10,
            {7: 10},
            "비어 있습니다",
        ),
        (
            "책/k/[Chapter4] x.md",
            reading_log("1h 30", "Chapter 2: 1h 30"),
            90,
            {4: 90},
            "노트의 장이 아니어서",
        ),
        ("책/k/[Chapter4] x.md", reading_log("한참"), None, {}, "읽을 수 없습니다"),
        (
            "책/k/[Chapter4] x.md",
            reading_log(
                "(예: 3시간 20분)", "Chapter 1: (예: 40분)", "Chapter 2: (예: 1시간)", "..."
            ),
            None,
            {},
            "(예: …)' 3개",
        ),
        ("책/k/[5장] x.md", reading_log("2시간 20분"), 140, {}, None),
    ],
    ids=[
        "total-and-chapter",
        "empty-total-sums",
        "typo-label",
        "disagreement",
        "placeholder-chapter",
        "empty-chapter-line",
        "copy-pasted-label",
        "unreadable-total",
        "template",
        "total-only",
    ],
)
def test_reading_minutes(path, log, total, per_chapter, warning_part):
    parsed = parse_note(log, path)
    assert parsed.reading_minutes == total
    assert parsed.chapter_minutes == per_chapter
    if warning_part is None:
        assert parsed.warnings == []
    else:
        assert any(warning_part in w for w in parsed.warnings)


# --------------------------------------------------------------------------- difficulties


@pytest.mark.parametrize(
    ("block", "difficulties"),
    [
        ("- **어려웠던 부분 & 이유**:\n  - 네트워크\n    - CS 부족", "- 네트워크\n  - CS 부족"),
        ("- **어려웠던 부분 & 이유**: 개념 부족\n  - 하이퍼바이저", "개념 부족\n- 하이퍼바이저"),
        (
            "- **어려웠던 부분 & 이유**:\n"
            "  - 이해가 어려웠던 개념이나 문장이 있다면 적어보세요.\n"
            "  - 왜 어려웠는지(배경지식 부족, 개념이 생소함 등) 생각해 봅니다.\n",
            "",
        ),
        ("- **자신의 이해도를 점수로 표현하기**\n  - 4/5", ""),
    ],
    ids=["nested", "inline", "placeholder", "absent"],
)
def test_difficulties(block, difficulties):
    parsed = parse_note(f"## 📝 내용 정리\n- 내용\n## 🤔 이해도 점검\n{block}", "책/k/[1장].md")
    assert parsed.difficulties == difficulties
    placeholder_warned = any("어려웠던 부분 & 이유" in w for w in parsed.warnings)
    assert placeholder_warned == ("적어보세요" in block)


# --------------------------------------------------------------------------- warnings


def test_placeholder_only_sections_are_warned():
    text = note(
        "## 📖 1. 목차를 읽기 전에 든 생각\n- 기대된다",
        "## 📝 2. 내용 정리\n- 책의 각 장이나 섹션별로 주요 내용을 정리합니다.",
    )
    parsed = parse_note(text, "책/k/[1장].md")
    assert parsed.skip_reason is None
    assert parsed.warnings == ["'내용 정리' 섹션에 템플릿 안내 문구만 있습니다."]


def test_very_long_question_title_is_cut_with_a_warning():
    long_line = "가" * 600
    parsed = parse_note(f"## ❓ 궁금\n- {long_line}", BOOK_PATH)
    (question,) = parsed.questions
    assert len(question.title) == 500 and question.title.endswith("…")
    assert question.body.startswith(long_line)
    assert any("잘랐습니다" in w for w in parsed.warnings)


def test_decomposed_hangul_names_and_text_are_read():
    import unicodedata

    text = unicodedata.normalize("NFD", "## ❓ 특별히 궁금했던 부분\n- 질문?")
    path = unicodedata.normalize("NFD", "책/김범석/[5장][지표 모니터링].md")
    parsed = parse_note(text, path)
    assert (parsed.member, parsed.chapters, parsed.title) == ("김범석", [5], "지표 모니터링")
    assert [q.title for q in parsed.questions] == ["질문?"]


@pytest.mark.parametrize(
    "text",
    [
        "## ❓ 궁금\n- " + "_a " * 20_000,
        "## ❓ 궁금\n- " + "*a" * 30_000,
        "# a" + " " * 50_000 + "b\n## ❓ 궁금\n- x",
        "## ❓ 궁금\n" + "<!-- " * 10_000,
        "## ❓ 궁금\n- " + "[a](" * 10_000,
    ],
    ids=["underscores", "stars", "spaces-in-heading", "open-comments", "open-links"],
)
def test_pathological_lines_are_read(text):
    parsed = parse_note(text, BOOK_PATH)
    assert all(len(q.title) <= 500 for q in parsed.questions)
