"""Matching a note's questions to its earlier threads (pure)."""

import pytest

from app.board.matching import KnownQuestion, clean_title, match_questions, normalize_title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("CAP 정리란?", "cap 정리란"),
        ("  CAP   정리란 ? ", "cap 정리란"),
        ("ＣＡＰ 정리란", "cap 정리란"),  # full-width letters (NFKC)
        ("왜 그럴까요...", "왜 그럴까요"),
        ("샤딩 vs 파티셔닝", "샤딩 vs 파티셔닝"),
        ("", ""),
    ],
)
def test_normalize_title(title, expected):
    assert normalize_title(title) == expected


def known(*titles, removed=()):
    return [KnownQuestion(f"q{i}", t, i, i in removed) for i, t in enumerate(titles)]


@pytest.mark.parametrize(
    ("existing", "incoming", "expected"),
    [
        # unchanged note: every title keeps its thread
        (known("A", "B", "C"), ["A", "B", "C"], ["q0", "q1", "q2"]),
        # reordered: titles win over positions
        (known("A", "B", "C"), ["C", "A", "B"], ["q2", "q0", "q1"]),
        # title edited in place: matched by position
        (known("A", "B", "C"), ["A", "B 고침", "C"], ["q0", "q1", "q2"]),
        # spacing / punctuation differences still match by title
        (known("A 질문?", "B"), ["B", "a  질문"], ["q1", "q0"]),
        # a question added at the end is new
        (known("A", "B"), ["A", "B", "C"], ["q0", "q1", None]),
        # a question removed: the rest keep their threads, nothing takes the removed one
        (known("A", "B", "C"), ["A", "C"], ["q0", "q2"]),
        # duplicates pair up one to one, in order
        (known("같음", "같음"), ["같음", "같음", "같음"], ["q0", "q1", None]),
        # a thread that left the note comes back by title...
        (known("A", "B", removed=(1,)), ["A", "B"], ["q0", "q1"]),
        # ...but never by position
        (known("A", "B", removed=(1,)), ["A", "새 질문"], ["q0", None]),
        # nothing known yet
        ([], ["A", "B"], [None, None]),
        # every question removed from the note
        (known("A", "B"), [], []),
    ],
)
def test_match_questions(existing, incoming, expected):
    assert match_questions(existing, incoming) == expected


def test_title_match_prefers_a_thread_still_in_the_note():
    existing = [KnownQuestion("old", "A", 0, True), KnownQuestion("live", "A", 3, False)]
    assert match_questions(existing, ["A"]) == ["live"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("  두 줄\n  제목  ", "두 줄 제목"),
        ("", "(제목 없음)"),
        ("   ", "(제목 없음)"),
        ("가" * 600, "가" * 500),
    ],
)
def test_clean_title(title, expected):
    assert clean_title(title) == expected
