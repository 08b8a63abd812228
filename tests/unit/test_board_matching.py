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


# --- content similarity on long lists ---------------------------------------------------------


def long_list(count=1000):
    """Known threads of a long note: distinct titles, bodies that tell them apart."""
    return [
        KnownQuestion(f"q{i}", f"질문 {i}: 샤딩 키는?", i, body=f"내가 찾은 답 {i}: 해시 {i * 7}")
        for i in range(count)
    ]


def incoming(known_list):
    return [q.title for q in known_list], [q.body for q in known_list]


def edit(titles, bodies, index, title=None, body=None):
    titles, bodies = list(titles), list(bodies)
    titles[index] = title if title is not None else titles[index]
    bodies[index] = body if body is not None else bodies[index]
    return titles, bodies


def test_an_edit_near_the_top_of_a_long_list_keeps_its_thread_when_the_list_shifts():
    existing = long_list()
    titles, bodies = edit(*incoming(existing), 3, title="3번 질문을 고쳐 씀: 샤딩 키 고르기")
    titles, bodies = ["맨 위에 새로 넣은 질문", *titles], ["새 본문", *bodies]
    result = match_questions(existing, titles, bodies)
    assert result[0] is None
    assert result[4] == "q3"
    assert result[1:] == [f"q{i}" for i in range(1000)]


def test_an_edited_title_and_body_near_the_top_after_one_was_deleted_keeps_its_thread():
    existing = long_list()
    titles, bodies = incoming(existing)
    titles, bodies = edit(titles, bodies, 5, title="질문 5 고침: 샤딩 키는?")
    bodies[5] += " (덧붙임)"
    del titles[1], bodies[1]
    result = match_questions(existing, titles, bodies)
    assert result == [f"q{i}" for i in range(1000) if i != 1]


def test_a_long_list_reordered_and_one_edited_keeps_every_thread():
    existing = long_list(300)
    titles, bodies = incoming(existing)
    order = list(range(150, 300)) + list(range(150))
    titles, bodies = [titles[i] for i in order], [bodies[i] for i in order]
    titles[160] = "고친 제목"  # the question that was at 10, now at 160
    result = match_questions(existing, titles, bodies)
    assert result == [f"q{i}" for i in order]


def test_one_added_in_the_middle_of_a_long_list_is_new_and_the_rest_keep_theirs():
    existing = long_list()
    titles, bodies = incoming(existing)
    titles.insert(500, "전혀 다른 새 질문")
    bodies.insert(500, "CAP 정리와 PACELC의 차이")
    result = match_questions(existing, titles, bodies)
    assert result[500] is None
    assert [k for k in result if k is not None] == [f"q{i}" for i in range(1000)]


def test_a_retitled_question_with_the_same_body_keeps_its_thread():
    body = "Raft 에서 리더가 바뀌는 동안 들어온 쓰기는 어떻게 되는지, 로그 인덱스로 따라가 봤다."
    existing = [
        KnownQuestion("a", "A", 0, body="첫 질문의 본문입니다"),
        KnownQuestion("b", "리더 선출이 궁금", 1, body=body),
        KnownQuestion("c", "C", 2, body="셋째 질문의 본문"),
    ]
    titles = ["선출 중 쓰기의 운명", "A", "C"]
    bodies = [body, "첫 질문의 본문입니다", "셋째 질문의 본문"]
    assert match_questions(existing, titles, bodies) == ["b", "a", "c"]


def test_a_different_question_is_not_taken_for_a_deleted_one_by_content():
    existing = [
        KnownQuestion("a", "A", 0, body="첫 본문"),
        KnownQuestion("b", "B", 1, body="카프카 파티션 리밸런싱"),
    ]
    # B left and a new, unrelated question arrived at the top: no place or content fits
    assert match_questions(existing, ["새 질문", "A"], ["레디스 캐시 만료 정책", "첫 본문"]) == [
        None,
        "a",
    ]


def test_content_matching_compares_a_bounded_window_not_all_pairs(monkeypatch):
    from app.board import matching

    calls = []
    real = matching._jaccard
    monkeypatch.setattr(matching, "_jaccard", lambda a, b: calls.append(1) or real(a, b))
    existing = long_list(2000)
    titles = [f"모두 고친 제목 {i}" for i in range(2000)]  # no title matches at all
    result = match_questions(existing, titles, [q.body for q in existing])
    assert result == [f"q{i}" for i in range(2000)]
    assert len(calls) <= 2000 * (2 * matching.WINDOW + 1)


@pytest.mark.parametrize(
    ("first", "second", "alike"),
    [("CAP 정리란?", "cap 정리란", True), ("샤딩 키", "레디스 캐시", False), ("", "", False)],
)
def test_similarity(first, second, alike):
    from app.board.matching import SIMILARITY_THRESHOLD, similarity

    assert (similarity(first, second) >= SIMILARITY_THRESHOLD) is alike
