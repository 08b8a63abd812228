"""Every real note of the shared corpus, with the facts counted by hand from the files.

The corpus is test data only and is read in place (the `corpus` fixture skips when absent)."""

from pathlib import Path, PurePosixPath

import pytest

from app.notes.parse import decode_note, parse_note
from app.notes.walk import walk_notes

SYS = "가상면접 사례로 배우는 대규모 설계2"
DOCKER = "한 권으로 배우는 도커 & 쿠버네티스"
MAX = 2 * 1024 * 1024

# (book, member/file, chapters, number of questions) for each of the 76 notes.
NOTES = [
    (SYS, "김규민/[10장][실시간 게임 순위표].md", [10], 1),
    (SYS, "김규민/[11장][결제 서비스].md", [11], 2),
    (SYS, "김규민/[12장][전자 지갑].md", [12], 1),
    (SYS, "김규민/[13장][증권 거래소].md", [13], 0),
    (SYS, "김규민/[1장][근접성 서비스].md", [1], 1),
    (SYS, "김규민/[2장][주변 친구].md", [2], 2),
    (SYS, "김규민/[3장][구글 맵].md", [3], 2),
    (SYS, "김규민/[4장][분산 메시지 큐].md", [4], 1),
    (SYS, "김규민/[5장][지표 모니터링 및 경보 시스템].md", [5], 1),
    (SYS, "김규민/[6장][광고 클릭 이벤트 집계].md", [6], 2),
    (SYS, "김규민/[7장][호텔 예약 시스템].md", [7], 1),
    (SYS, "김규민/[8장][분산 이메일 서비스].md", [8], 1),
    (SYS, "김규민/[9장][S3와 유사한 객체 저장소].md", [9], 1),
    (SYS, "김범석/[10장][실시간순위표].md", [10], 1),
    (SYS, "김범석/[11장][결제 시스템].md", [11], 1),
    (SYS, "김범석/[12장][전자 지갑].md", [12], 2),
    (SYS, "김범석/[13장][증권 거래소].md", [13], 2),
    (SYS, "김범석/[1장][근접성 서비스].md", [1], 1),
    (SYS, "김범석/[2장][주변 친구].md", [2], 1),
    (SYS, "김범석/[3장][구글 맵].md", [3], 1),
    (SYS, "김범석/[4장][분산 메시지 큐].md", [4], 1),
    (SYS, "김범석/[5장][지표 모니터링 및 경보 시스템].md", [5], 1),
    (SYS, "김범석/[6장][광고 클릭 이벤트 집계].md", [6], 2),
    (SYS, "김범석/[7장][호텔 예약 시스템].md", [7], 1),
    (SYS, "김범석/[8장][분산 이메일 서비스].md", [8], 1),
    (SYS, "김범석/[9장][S3와 유사한 객체 저장소].md", [9], 0),
    (SYS, "문종운/[10장] [실시간 게임 순위표].md", [10], 2),
    (SYS, "문종운/[11장] [결제 시스템].md", [11], 1),
    (SYS, "문종운/[12장][전자지갑].md", [12], 1),
    (SYS, "문종운/[1장][근접성 서비스].md", [1], 2),
    (SYS, "문종운/[2장][주변 친구].md", [2], 5),
    (SYS, "문종운/[3장][구글 맵].md", [3], 3),
    (SYS, "문종운/[4장][분산 메세지 큐].md", [4], 3),
    (SYS, "문종운/[5장] [지표 모니터링 및 경보 시스템].md", [5], 2),
    (SYS, "문종운/[6장][광고 클릭 이벤트 집계].md", [6], 3),
    (SYS, "문종운/[7장][호텔 예약 시스템].md", [7], 3),
    (SYS, "문종운/[8장] [분산 이메일 서비스].md", [8], 1),
    (SYS, "문종운/[9장] [S3와 유사한 객체 저장소].md", [9], 1),
    (SYS, "박이슬/[10장][실시간 게임 순위표].md", [10], 0),
    (SYS, "박이슬/[11장][결제 시스템].md", [11], 0),
    (SYS, "박이슬/[12장][전자 지갑].md", [12], 5),
    (SYS, "박이슬/[1장][근접성 서비스].md", [1], 2),
    (SYS, "박이슬/[2장][주변 친구].md", [2], 1),
    (SYS, "박이슬/[3장][구글 맵].md", [3], 2),
    (SYS, "박이슬/[4장][분산 메시지 큐].md", [4], 2),
    (SYS, "박이슬/[5장][지표 모니터링 및 경보 시스템].md", [5], 1),
    (SYS, "박이슬/[6장][광고 클릭 이벤트 집계].md", [6], 2),
    (SYS, "박이슬/[7장][호텔 예약 시스템].md", [7], 4),
    (SYS, "박이슬/[8장][분산 이메일 서비스].md", [8], 2),
    (SYS, "조재현/[10장] 게임 순위표.md", [10], 1),
    (SYS, "조재현/[13장] 증권 거래소.md", [13], 3),
    (SYS, "조재현/[1장][근접성 서비스].md", [1], 4),
    (SYS, "조재현/[2장][주변 친구].md", [2], 3),
    (SYS, "조재현/[3장][구글맵].md", [3], 5),
    (SYS, "조재현/[4장][분산 메시지 큐].md", [4], 3),
    (SYS, "조재현/[5장]지표 모니터링 및 경보 시스템.md", [5], 4),
    (SYS, "조재현/[6장]광고 클릭 이벤트 집계.md", [6], 2),
    (SYS, "조재현/[7장] 호텔 예약 시스템.md", [7], 3),
    (SYS, "조재현/[8장] 분산 이메일 서비스.md", [8], 3),
    (SYS, "조재현/[9장] S3와 유사한 객체 저장소.md", [9], 3),
    (DOCKER, "김규민/[Chapter2] 도커의 개념.md", [2], 1),
    (DOCKER, "김규민/[Chapter4] 도커 기초.md", [4], 1),
    (DOCKER, "김규민/[Chapter5-7] 도커 컴포즈를 활용한 컨테이너 실행.md", [5, 6, 7], 0),
    (DOCKER, "김규민/[Chapter9] 쿠버네티스 기초.md", [9], 2),
    (DOCKER, "김범석/[Chapter2] 도커의 개념.md", [2], 1),
    (DOCKER, "김범석/[Chapter9] 쿠버네티스 기초.md", [9], 0),
    (DOCKER, "김범석/[Chatper4] 도커 기초.md", [4], 1),
    (DOCKER, "문종운/[Chapter2] 도커의 개념.md", [2], 1),
    (DOCKER, "문종운/[Chapter4] 도커 기초.md", [4], 1),
    (DOCKER, "박이슬/[Chapter2] 도커의 개념.md", [2], 0),
    (DOCKER, "박이슬/[Chapter4] 도커 기초.md", [4], 1),
    (DOCKER, "박이슬/[Chapter9] 쿠버네티스 기초.md", [9], 0),
    (DOCKER, "조재현/[Chapter 7] 쿠버네티스의 기본 구조.md", [7], 0),
    (DOCKER, "조재현/[Chapter 9] 쿠버네티스 기초.md", [9], 3),
    (DOCKER, "조재현/[Chapter2] 도커의 개념.md", [2], 2),
    (DOCKER, "조재현/[Chapter4, 5.7] 도커 컴포즈.md", [4, 5], 2),
]

# The 13 notes holding time and score data:
# file → (scores, reading minutes, minutes per chapter, a warning each must carry or None).
TIME_AND_SCORES = {
    f"{DOCKER}/김규민/[Chapter2] 도커의 개념.md": ({2: 5.0}, 30, {2: 30}, None),
    f"{DOCKER}/김규민/[Chapter4] 도커 기초.md": ({4: 4.0}, 120, {4: 120}, None),
    f"{DOCKER}/김규민/[Chapter5-7] 도커 컴포즈를 활용한 컨테이너 실행.md": (
        {5: 5.0},
        20,
        {5: 20},
        "이해도 점수의 장(Chapter 2)이 이 노트의 장이 아니어서 5장의 것으로 보았습니다.",
    ),
    f"{DOCKER}/김규민/[Chapter9] 쿠버네티스 기초.md": ({9: 3.5}, 180, {9: 180}, None),
    f"{DOCKER}/김범석/[Chapter2] 도커의 개념.md": ({2: 4.0}, 30, {2: 30}, "별 5개와 적힌 점수 4"),
    f"{DOCKER}/김범석/[Chapter9] 쿠버네티스 기초.md": ({}, 60, {}, "템플릿 예시(Chapter 1"),
    f"{DOCKER}/김범석/[Chatper4] 도커 기초.md": (
        {4: 5.0},
        90,
        {4: 90},
        "장별 소요 시간의 장(Chapter 2)",
    ),
    f"{DOCKER}/문종운/[Chapter2] 도커의 개념.md": ({2: 5.0}, 180, {2: 60}, "(180분)과 장별"),
    f"{DOCKER}/문종운/[Chapter4] 도커 기초.md": ({4: 4.0}, 180, {}, "장 표시가 없어 4장"),
    f"{DOCKER}/박이슬/[Chapter2] 도커의 개념.md": ({2: 4.0}, 70, {}, None),
    f"{DOCKER}/박이슬/[Chapter4] 도커 기초.md": ({4: 4.0}, 80, {}, None),
    f"{DOCKER}/박이슬/[Chapter9] 쿠버네티스 기초.md": (
        {7: 5.0, 9: 4.0},
        10,
        {7: 10},
        "이 노트가 다루지 않는 7장",
    ),
    f"{DOCKER}/조재현/[Chapter4, 5.7] 도커 컴포즈.md": (
        {4: 4.0},
        140,
        {},
        "5장" and "4장의 것으로",
    ),
}

SKIPPED = {
    "README.md": "템플릿 섹션",
    "Template.md": "템플릿 그대로",
}


def read(root: Path, relative: str, *, as_path: str | None = None):
    data = (root / relative).read_bytes()
    return parse_note(decode_note(data, MAX), PurePosixPath(as_path or relative))


@pytest.fixture
def tech_books(corpus) -> Path:
    return corpus / "real" / "Tech-Books"


def test_walk_finds_the_76_notes_and_the_2_visible_non_notes(tech_books):
    found = [str(item.relative) for item in walk_notes(tech_books) if not item.not_markdown]
    expected = sorted([f"{book}/{name}" for book, name, _c, _q in NOTES] + list(SKIPPED))
    assert found == expected
    assert len(NOTES) == 76


@pytest.mark.parametrize(("book", "name", "chapters", "count"), NOTES, ids=[n[1] for n in NOTES])
def test_every_note(tech_books, book, name, chapters, count):
    parsed = read(tech_books, f"{book}/{name}")
    assert parsed.skip_reason is None
    assert parsed.book == book
    assert parsed.member == name.split("/")[0]
    assert parsed.chapters == chapters
    assert len(parsed.questions) == count
    assert all(q.title and "\r" not in q.title + q.body for q in parsed.questions)
    expected = TIME_AND_SCORES.get(f"{book}/{name}")
    if expected is None:
        assert (parsed.scores, parsed.reading_minutes, parsed.chapter_minutes) == ({}, None, {})
    else:
        scores, minutes, per_chapter, warning = expected
        assert parsed.scores == scores
        assert parsed.reading_minutes == minutes
        assert parsed.chapter_minutes == per_chapter
        if warning:
            assert any(warning in w for w in parsed.warnings), parsed.warnings


def test_thirteen_notes_hold_time_and_score_data(tech_books):
    holding = [
        f"{book}/{name}"
        for book, name, _c, _q in NOTES
        if (parsed := read(tech_books, f"{book}/{name}")).reading_minutes is not None
        or parsed.scores
    ]
    assert sorted(holding) == sorted(TIME_AND_SCORES)


@pytest.mark.parametrize(("name", "reason_part"), SKIPPED.items())
def test_files_that_are_not_notes_are_skipped(tech_books, name, reason_part):
    parsed = read(tech_books, name)
    assert parsed.skip_reason and reason_part in parsed.skip_reason
    assert parsed.warnings == []


def test_pull_request_template_read_directly_is_the_template(tech_books):
    parsed = read(
        tech_books, ".github/PULL_REQUEST_TEMPLATE.md", as_path="PULL_REQUEST_TEMPLATE.md"
    )
    assert parsed.skip_reason and "템플릿 그대로" in parsed.skip_reason


QUESTION_TITLES = {
    f"{SYS}/문종운/[3장][구글 맵].md": ["POP(Point Of Presence)", "사고지점 탐색", "ETA"],
    f"{SYS}/문종운/[4장][분산 메세지 큐].md": [
        "WAL이란 무엇인가?",
        "리더 선출 기준",
        "기존의 전통 메시지 큐에서도 부가적인 기능을 통해서 이벤트 스트림즈처럼 제공해주고 있다. "
        "그렇다면 선택 기준은 비용이 되어야 할까?",
    ],
    f"{SYS}/조재현/[9장] S3와 유사한 객체 저장소.md": [
        "S3는 디렉토리 형태로 구현되어 있는줄 알았는데, 이것도 접두어 형태로 구성된 거일듯",
        "오브젝트 스토리지, 파일 스토리지, 블록 스토리지 차이",
        "아이 노드란?",
    ],
    f"{SYS}/조재현/[7장] 호텔 예약 시스템.md": [
        "따닥 이슈 어떻게 해결? (네이버 블로그 깃헙도 따닥 안막아져 있다.)",
        "예전에 데이터가 중복 유입되는 문제가 있었음 (전체가 유입된 게 아니라 일부만)",
        "gRPC 고성능 원격 프로세저 호출 프레임 워크?",
    ],
    f"{SYS}/조재현/[10장] 게임 순위표.md": ["Redis hash"],
    f"{SYS}/김범석/[2장][주변 친구].md": [
        "기존 레디스 펍/섭 서버를 새 서버로 교체할 때 운영 문제가 발생할 가능성은 클러스터 크기를 "
        "조정할 때 보다 훨씬 낮다"
    ],
    f"{DOCKER}/조재현/[Chapter 9] 쿠버네티스 기초.md": [
        "서비스 - ClusterIP : Private IP를 사용하는 개념과 같은지?",
        "로드밸런서 와 Gateway차이..? :",
        "인그레스 서비스와 서비스의 차이",
    ],
    f"{DOCKER}/조재현/[Chapter2] 도커의 개념.md": [
        "OS레벨과 어떻게 연관되어 있을까?",
        "커널과 바이너리 파일의 역할",
    ],
    f"{SYS}/김규민/[1장][근접성 서비스].md": [
        "구글 S2 알고리즘에 대해 조금 더 구체적으로 알고 싶어졌다."
    ],
}


@pytest.mark.parametrize(("name", "titles"), QUESTION_TITLES.items())
def test_question_titles(tech_books, name, titles):
    assert [q.title for q in read(tech_books, name).questions] == titles


def test_question_bodies_keep_nested_lists_urls_and_code(tech_books):
    quadtree = read(tech_books, f"{SYS}/문종운/[1장][근접성 서비스].md").questions[0]
    assert quadtree.body.startswith("- 루트 노드로 부터")
    assert quadtree.body.count("```") == 4 and "Ln = 3n + 1" in quadtree.body
    links = read(tech_books, f"{DOCKER}/조재현/[Chapter2] 도커의 개념.md").questions[0]
    assert links.body == "https://www.youtube.com/watch?v=lVtgqmjv4BQ"
    mapreduce = read(tech_books, f"{SYS}/박이슬/[6장][광고 클릭 이벤트 집계].md").questions[0]
    assert mapreduce.body.splitlines() == [
        "- https://ko.wikipedia.org/wiki/%EB%A7%B5%EB%A6%AC%EB%93%80%EC%8A%A4",
        "- https://smart.science.go.kr/upload_data/subject/bigdata/pdf/B_E_09.pdf",
    ]
    grpc = read(tech_books, f"{SYS}/조재현/[7장] 호텔 예약 시스템.md").questions[2]
    assert grpc.body.startswith("원격 프로시저 호출 (Remote Procedure Call)")
    assert 'syntax = "proto3";' in grpc.body


def test_chapter_titles_and_note_titles_from_file_names(tech_books):
    parsed = read(tech_books, f"{SYS}/김범석/[5장][지표 모니터링 및 경보 시스템].md")
    assert parsed.chapter_titles == {5: "지표 모니터링 및 경보 시스템"}
    assert parsed.title == "지표 모니터링 및 경보 시스템"
    spaced = read(tech_books, f"{SYS}/문종운/[10장] [실시간 게임 순위표].md")
    assert spaced.chapter_titles == {10: "실시간 게임 순위표"}
    glued = read(tech_books, f"{SYS}/조재현/[5장]지표 모니터링 및 경보 시스템.md")
    assert glued.chapter_titles == {5: "지표 모니터링 및 경보 시스템"}


def test_crlf_notes_read_like_lf_notes(tech_books):
    name = f"{SYS}/김규민/[5장][지표 모니터링 및 경보 시스템].md"
    assert b"\r\n" in (tech_books / name).read_bytes()
    parsed = read(tech_books, name)
    assert "\r" not in parsed.body
    assert [q.title for q in parsed.questions] == [
        "모니터링 시스템을 구축할 때 초기에 꼭 필요한 지표는 무엇일까요? "
        "서비스 운영 초기에는 어떤 지표를 중점적으로 모니터링 하는 것이 좋을까요?"
    ]


def test_difficulties_of_the_self_check_notes(tech_books):
    kept = read(tech_books, f"{DOCKER}/박이슬/[Chapter2] 도커의 개념.md").difficulties
    assert kept.startswith("개념 부족\n- 하이퍼바이저\n  - 단일 물리적 머신에서")
    placeholder = read(tech_books, f"{DOCKER}/김범석/[Chapter9] 쿠버네티스 기초.md")
    assert placeholder.difficulties == ""
    assert any("어려웠던 부분 & 이유" in w for w in placeholder.warnings)


def test_placeholder_questions_are_dropped_with_a_warning(tech_books):
    parsed = read(tech_books, f"{DOCKER}/박이슬/[Chapter9] 쿠버네티스 기초.md")
    assert parsed.questions == []
    assert any("안내 문구 2줄" in w for w in parsed.warnings)


# --------------------------------------------------------------------------- history

HISTORY_QUESTIONS = {
    f"63a7a45/{SYS}/조재현/[10장] 게임 순위표.md": 3,
    f"46145cc/{SYS}/문종운/[3장][구글 맵].md": 2,
    f"7863880/{SYS}/문종운/[4장][분산 메세지 큐].md": 0,
    f"0ecb22f/{SYS}/박이슬/[4장][분산 메시지 큐].md": 0,
    f"f6f3343/{SYS}/김범석/[13장][증권 거래소].md": 2,
    f"70b6f20/{DOCKER}/조재현/[Chapter 9] 쿠버네티스 기초.md": 3,
}


def history_notes(corpus) -> list[tuple[str, Path]]:
    root = corpus / "real" / "Tech-Books__history"
    return [(str(item.relative), item.path) for item in walk_notes(root)]


def test_every_history_version_parses(corpus):
    found = history_notes(corpus)
    assert len(found) == 33
    skipped = {}
    for relative, absolute in found:
        parsed = parse_note(
            decode_note(absolute.read_bytes(), MAX), PurePosixPath(*relative.split("/")[1:])
        )
        if parsed.skip_reason:
            skipped[relative] = parsed.skip_reason
        else:
            assert parsed.member and parsed.chapters and parsed.book in (SYS, DOCKER)
    assert sorted(skipped) == [f"362bcbb/{SYS}/Template.md", f"c587518/{DOCKER}/Template.md"]
    assert all("템플릿 그대로" in reason for reason in skipped.values())


@pytest.mark.parametrize(("relative", "count"), HISTORY_QUESTIONS.items())
def test_history_question_counts(corpus, relative, count):
    root = corpus / "real" / "Tech-Books__history"
    parsed = read(root, relative, as_path="/".join(relative.split("/")[1:]))
    assert len(parsed.questions) == count


def test_history_draft_with_template_example_scores_has_none(corpus):
    root = corpus / "real" / "Tech-Books__history"
    parsed = read(
        root,
        f"61f32ae/{DOCKER}/문종운/[Chapter4] 도커 기초.md",
        as_path=f"{DOCKER}/문종운/[Chapter4] 도커 기초.md",
    )
    assert parsed.skip_reason is None
    assert (parsed.scores, parsed.reading_minutes) == ({}, None)
    assert any("템플릿 예시" in w for w in parsed.warnings)
