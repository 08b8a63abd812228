"""No text makes the parser raise; no bytes make the decoder raise anything but NoteReadError."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.notes.parse import NoteReadError, ParsedNote, decode_note, parse_note

# Pieces of real notes, so that random notes reach the parser's every branch.
FRAGMENTS = [
    "# 📚 스터디 템플릿",
    "## ❓ 4. 특별히 궁금했던 부분",
    "## 📝 내용 정리",
    "## ⏳ 독서 과정 기록",
    "## 🤔 이해도 점검 & 난이도 평가",
    "### POP",
    "- 질문?",
    "- - 질문",
    "-",
    "  - 하위",
    "1. **굵은** 질문",
    "```",
    "~~~~",
    "---",
    "chapter: [4, 5-7]",
    "- **총 독서 시간**: 1h 30",
    "- **각 장별 소요 시간**:",
    "  - Chatper2 (30m)",
    "  - Chapter 9 : (예: 3시간)",
    "- **자신의 이해도를 점수로 표현하기 (5점 만점)**",
    "  - Chapter 2: ⭐⭐⭐½☆ (3.5/5)",
    "  - Chapter 99999999: 7점",
    "- **어려웠던 부분 & 이유**: 개념",
    "읽으면서 생겼던 의문이나 더 탐구하고 싶은 부분을 정리합니다.",
    "\t\r",
    "",
]

note_texts = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=40).map(
        "\n".join
    ),
)
paths = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.sampled_from(
            ["책", "kim", "[5장][제목]", "CHAPTER 1. 소개", "README.md", "ch03.md", ".."]
        ),
        max_size=4,
    ).map("/".join),
)


@settings(max_examples=300, deadline=None)
@given(text=note_texts, path=paths, book=st.none() | st.text(max_size=5))
def test_parse_note_never_raises(text, path, book):
    parsed = parse_note(text, path, book=book)
    assert isinstance(parsed, ParsedNote)
    assert all(0.5 <= score <= 5 for score in parsed.scores.values())
    assert all(q.title for q in parsed.questions)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), max_bytes=st.integers(min_value=0, max_value=500))
def test_decode_note_raises_only_note_read_error(data, max_bytes):
    try:
        text = decode_note(data, max_bytes)
    except NoteReadError as error:
        assert error.reason
    else:
        assert text.strip() and "\r" not in text
