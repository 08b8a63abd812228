"""Generate a large study for the benchmark: 3 books, 50 members, 30 chapters, 4,500 notes,
20,000 questions, 60,000 answers (one thread with exactly 30), 4,500 ratings.

Notes are realistic Korean text on the group's template (all six sections, score lines,
reading time, questions, code blocks, tables, raw HTML). They can be written to a folder
(`<book>/<member>/[N장][title].md`, for the importer) and inserted in bulk into a fresh
SQLite database built by the real migrations (for the pages).

    .venv/bin/python bench/generate.py --db bench/out/bench.sqlite3 --folder bench/out/notes
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BOOK_COUNT = 3
MEMBER_COUNT = 50
CHAPTER_COUNT = 30
QUESTIONS_PER_NOTE = 4
QUESTION_COUNT = 20_000
ANSWER_COUNT = 60_000
BENCH_THREAD_ANSWERS = 30
# Other threads get at most this many answers, so the benchmarked thread is the longest.
MAX_ANSWERS_PER_THREAD = 12
START = datetime(2024, 1, 6, 9, 0, 0)

BOOKS = [
    "대규모 시스템 설계 실전편",
    "한 권으로 끝내는 쿠버네티스 운영",
    "데이터 중심 애플리케이션 읽기",
]

TOPICS = [
    "캐시",
    "로드 밸런서",
    "메시지 큐",
    "샤딩",
    "복제",
    "일관성 해시",
    "컨테이너",
    "파드",
    "서비스 메시",
    "인그레스",
    "리더 선출",
    "분산 트랜잭션",
    "이벤트 소싱",
    "CQRS",
    "레이트 리미터",
    "검색 색인",
    "객체 저장소",
    "지표 수집",
    "알림 시스템",
    "결제 시스템",
    "타임라인",
    "채팅 서버",
    "스트림 처리",
    "배치 처리",
    "설정 관리",
    "비밀 관리",
    "서비스 디스커버리",
    "헬스 체크",
    "오토스케일링",
    "장애 복구",
]

CHAPTER_SUFFIXES = ["의 기초", " 설계", " 심화", " 운영", " 실습", " 사례 연구"]

SURNAMES = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"]
GIVEN_NAMES = ["민준", "서연", "도윤", "하은", "시우", "지유", "예준", "수아", "주원", "지민"]

SUBJECTS = [
    "{t}는",
    "{t} 구성은",
    "이번 장의 {t}는",
    "실무에서 {t}는",
    "책에서 설명하는 {t}는",
    "{t}의 설정 값은",
    "{t}를 도입한 팀은",
]
PREDICATES = [
    "트래픽이 몰리는 시간대에 병목을 줄이는 데 효과적이다.",
    "설정 파일 하나로 동작을 바꿀 수 있어서 운영이 편하다.",
    "장애가 났을 때 원인을 추적하기 어렵다는 단점이 있다.",
    "데이터 일관성과 가용성 사이에서 선택을 강요한다.",
    "처음에는 단순하게 시작하고 규모가 커지면 나누는 편이 낫다.",
    "타임아웃과 재시도 설정을 함께 고민해야 한다.",
    "모니터링 지표 없이 운영하면 문제를 늦게 발견하게 된다.",
    "쓰기 경로와 읽기 경로를 분리하면 훨씬 단순해진다.",
    "메모리 사용량이 예상보다 빠르게 늘어날 수 있다.",
    "네트워크 지연이 전체 응답 시간의 대부분을 차지한다.",
    "팀원들과 이야기해 보니 회사마다 설정 방식이 꽤 달랐다.",
    "기본 설정 그대로 쓰면 운영 환경에서 문제가 생기기 쉽다.",
]
FEELINGS = [
    "생각보다 내용이 많아서 두 번 나누어 읽었다.",
    "예전에 회사에서 겪었던 장애가 떠올라서 더 집중해서 읽었다.",
    "그림이 많아서 흐름을 따라가기 쉬웠다.",
    "용어가 낯설어서 검색을 많이 하면서 읽었다.",
    "다음 장과 이어지는 내용이라 미리 훑어보았다.",
    "직접 설정을 바꿔 가며 실습해 보니 이해가 훨씬 잘 되었다.",
    "면접 준비에도 바로 쓸 수 있을 것 같은 내용이었다.",
]
QUESTION_STEMS = [
    "{t}에서 장애가 나면 어떻게 복구하는 것이 좋을까?",
    "{t}의 설정 값은 어떤 기준으로 정해야 할까?",
    "{t}를 직접 운영하는 것과 관리형 서비스를 쓰는 것 중 무엇이 나을까?",
    "{t}를 도입하면 데이터 일관성은 어떻게 보장할 수 있을까?",
    "**{t}**의 성능을 측정하려면 어떤 지표를 봐야 할까?",
    "책의 예시처럼 {t}를 나누면 비용은 얼마나 늘어날까?",
    "{t}를 테스트 환경에서 재현하려면 무엇이 필요할까?",
    "{t}와 다른 방식을 비교한 자료가 있을까?",
]
QUESTION_BODIES = [
    "  - 책에서는 간단히 넘어갔는데 실제로는 더 복잡할 것 같다.",
    "  - 찾아본 자료: https://example.com/articles/{n}\n  - 아직 답을 찾지 못했다.",
    "  - 내 생각에는 설정으로 해결할 수 있을 것 같지만 확신이 없다.\n  - 팀원들 의견이 궁금하다.",
    "  ```bash\n  kubectl get pods -n study-{n}\n  ```\n"
    "  - 위 명령으로 확인해 봤지만 결과가 달랐다.",
    "  - 회사에서는 다른 방식으로 하고 있어서 비교해 보고 싶다.",
]
ANSWER_BODIES = [
    "저도 같은 부분이 궁금했는데, {t}는 보통 설정 값을 작게 시작해서 지표를 보며 늘립니다.",
    "공식 문서에 관련 내용이 있습니다. 핵심은 **{t}**의 재시도 정책이에요.",
    "회사에서는 이렇게 씁니다.\n\n```yaml\n{k}:\n  timeout: 3s\n  retries: 2\n```\n\n"
    "참고만 해 주세요.",
    "| 방식 | 장점 | 단점 |\n|---|---|---|\n| 직접 운영 | 유연함 | 운영 부담 |\n"
    "| 관리형 | 편함 | 비용 |\n\n저는 관리형을 추천합니다.",
    "좋은 질문이네요! 다음 스터디에서 같이 이야기해 봐요. {t} 관련 장애 사례도 가져올게요.",
    "책 {n}쪽 그림을 다시 보면 흐름이 이해될 거예요. 쓰기 경로가 먼저입니다.",
]
CODE_SAMPLES = [
    (
        "python",
        "import time\n\n\ndef retry(call, attempts=3, delay=0.5):\n"
        '    """{t} 호출을 재시도한다."""\n'
        "    for attempt in range(attempts):\n        try:\n            return call()\n"
        "        except TimeoutError:\n            time.sleep(delay * (2 ** attempt))\n"
        '    raise RuntimeError("재시도 실패")\n',
    ),
    (
        "yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {k}\nspec:\n  replicas: 3\n"
        "  template:\n    spec:\n      containers:\n        - name: app\n"
        "          image: example/{k}:1.4.2\n          resources:\n"
        '            limits: {{ memory: "256Mi", cpu: "500m" }}\n',
    ),
    (
        "sql",
        "CREATE TABLE {k}_events (\n  id BIGINT PRIMARY KEY,\n  user_id BIGINT NOT NULL,\n"
        "  created_at TIMESTAMP NOT NULL\n);\nCREATE INDEX ix_{k}_user ON {k}_events (user_id);\n"
        "SELECT user_id, count(*) FROM {k}_events GROUP BY user_id ORDER BY 2 DESC LIMIT 10;\n",
    ),
    (
        "bash",
        "docker compose up -d --build\ndocker container ls\n"
        "curl -s http://localhost:8080/health | jq .\n",
    ),
    (
        "java",
        "public class {c}Service {{\n    private final Cache<String, String> cache;\n\n"
        "    public String get(String key) {{\n"
        "        return cache.get(key, k -> repository.load(k));\n    }}\n}}\n",
    ),
]


@dataclass(frozen=True)
class GeneratedNote:
    """One generated member note for one chapter, with what the importer should read from it."""

    book_index: int
    member_index: int
    chapter: int
    chapter_title: str
    text: str
    score: float
    minutes: int
    questions: list[tuple[str, str]]
    difficulties: str = ""
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def relative_path(self) -> str:
        """The note's path inside its book folder: `<member>/[N장][title].md`."""
        return f"{member_names()[self.member_index]}/[{self.chapter}장][{self.chapter_title}].md"


def member_names() -> list[str]:
    """The 50 members' unique Korean names."""
    names = [s + g for g in GIVEN_NAMES for s in SURNAMES]
    return names[:MEMBER_COUNT]


def chapter_title(book_index: int, chapter: int) -> str:
    """The title of a chapter of a generated book."""
    topic = TOPICS[(chapter - 1 + book_index * 7) % len(TOPICS)]
    return topic + CHAPTER_SUFFIXES[(chapter + book_index) % len(CHAPTER_SUFFIXES)]


def stars(score: float) -> str:
    """A score as the template writes it: `⭐⭐⭐½☆ (3.5/5)`."""
    full = int(score)
    half = "½" if score != full else ""
    empty = "☆" * (5 - full - (1 if half else 0))
    shown = f"{score:g}"
    return f"{'⭐' * full}{half}{empty} ({shown}/5)"


def minutes_text(minutes: int) -> str:
    """Minutes as a Korean duration: `2시간 20분`, `45분`, `3시간`."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}시간 {rest}분"
    return f"{hours}시간" if hours else f"{rest}분"


def _sentence(rng: random.Random, topic: str) -> str:
    return rng.choice(SUBJECTS).format(t=topic) + " " + rng.choice(PREDICATES)


def _paragraph(rng: random.Random, topic: str, count: int) -> str:
    return " ".join(_sentence(rng, topic) for _ in range(count))


def _code_block(rng: random.Random, topic: str, key: str) -> str:
    language, code = rng.choice(CODE_SAMPLES)
    filled = code.format(t=topic, k=key, c=key.title().replace("-", ""))
    return f"```{language}\n{filled}```"


def _table(rng: random.Random, topics: list[str]) -> str:
    rows = ["| 항목 | 장점 | 단점 | 설정 포인트 |", "|---|---|---|---|"]
    for topic in topics:
        rows.append(
            f"| {topic} | {rng.choice(PREDICATES)[:18]} | {rng.choice(PREDICATES)[:16]} "
            f"| `{rng.choice(['timeout', 'replicas', 'ttl', 'max_conn'])}` |"
        )
    return "\n".join(rows)


def _raw_html(rng: random.Random, topic: str) -> str:
    return (
        f"<details>\n<summary>더 보기: {topic} 정리</summary>\n\n"
        f"{_paragraph(rng, topic, 2)}<br>\n<kbd>Ctrl</kbd> + <kbd>C</kbd> 로 중단한다.\n"
        "</details>\n\n"
        "<table>\n<tr>\n    <td>용어</td>\n    <td>정의</td>\n</tr>\n<tr>\n"
        f"    <td>{topic}</td>\n    <td>{_sentence(rng, topic)}<br>\n"
        f"        {_sentence(rng, topic)}</td>\n</tr>\n</table>"
    )


def compose_note(book_index: int, member_index: int, chapter: int, seed: int = 0) -> GeneratedNote:
    """Build one member's note for one chapter, deterministic for the same arguments."""
    rng = random.Random(f"{seed}:{book_index}:{member_index}:{chapter}")
    title = chapter_title(book_index, chapter)
    topic = TOPICS[(chapter - 1 + book_index * 7) % len(TOPICS)]
    others = rng.sample(TOPICS, 3)
    key = f"study-{book_index}-{chapter}"
    score = rng.choice([2.0, 2.5, 3.0, 3.5, 4.0, 4.0, 4.5, 5.0])
    minutes = rng.choice([30, 45, 60, 80, 90, 100, 120, 140, 180])

    before = "\n".join(f"- {_sentence(rng, topic)}" for _ in range(2))
    summary_parts = [
        f"### {chapter}.1 {topic} 개요",
        "\n".join(
            f"- **핵심 내용 {i}**: {_sentence(rng, rng.choice([topic, *others]))}"
            for i in range(1, 5)
        ),
        _paragraph(rng, topic, 4),
        f"### {chapter}.2 코드로 보기",
        _code_block(rng, topic, key),
        _paragraph(rng, others[0], 3),
        f"### {chapter}.3 비교",
        _table(rng, [topic, *others]),
        _raw_html(rng, topic),
        f"#### {others[1]}와의 관계",
        "\n".join(f"1. {_sentence(rng, others[1])}" for _ in range(3)),
        _paragraph(rng, others[2], 3),
    ]
    summary = "\n\n".join(summary_parts)
    afterthoughts = "\n".join(f"- {rng.choice(FEELINGS)}" for _ in range(3))
    questions: list[tuple[str, str]] = []
    question_lines = []
    for _ in range(QUESTIONS_PER_NOTE):
        q_topic = rng.choice([topic, *others])
        q_title = rng.choice(QUESTION_STEMS).format(t=q_topic)
        body = rng.choice(QUESTION_BODIES).format(n=rng.randint(1, 400))
        questions.append((q_title.replace("**", ""), _dedent_body(body)))
        question_lines.append(f"- {q_title}\n{body}")
    questions_text = "\n".join(question_lines)
    reading_log = (
        f"- **총 독서 시간**: {minutes_text(minutes)}\n"
        f"- **각 장별 소요 시간**:\n  - Chapter {chapter}: {minutes_text(minutes)}"
    )
    difficulties = f"  - {_sentence(rng, topic)}\n  - {_sentence(rng, others[0])}"
    self_check = (
        f"- **어려웠던 부분 & 이유**:\n{difficulties}\n\n"
        f"- **자신의 이해도를 점수로 표현하기 (5점 만점)**\n"
        f"  - Chapter {chapter}: {stars(score)}\n\n"
        f"- **특별하게 깨달음을 얻은 부분**\n  - {_sentence(rng, topic)}"
    )
    sections = {
        "before": before,
        "summary": summary,
        "afterthoughts": afterthoughts,
        "questions": questions_text,
        "reading_log": reading_log,
        "self_check": self_check,
    }
    text = (
        "# 📚 스터디 템플릿\n\n"
        f"## 📖 1. 목차를 읽기 전에 든 생각\n{before}\n\n"
        f"## 📝 2. 내용 정리\n\n{summary}\n\n"
        f"## 💡 3. 전부 읽고 난 후기\n{afterthoughts}\n\n"
        f"## ❓ 4. 특별히 궁금했던 부분\n{questions_text}\n\n"
        f"## ⏳ 5. 독서 과정 기록\n{reading_log}\n\n"
        f"## 🤔 6. 이해도 점검 & 난이도 평가\n{self_check}\n"
    )
    return GeneratedNote(
        book_index=book_index,
        member_index=member_index,
        chapter=chapter,
        chapter_title=title,
        text=text,
        score=score,
        minutes=minutes,
        questions=questions,
        difficulties=_dedent_body(difficulties),
        sections=sections,
    )


def _dedent_body(body: str) -> str:
    return "\n".join(line[2:] if line.startswith("  ") else line for line in body.splitlines())


def generate_notes(seed: int = 0) -> list[GeneratedNote]:
    """Every note of the study: book by book, member by member, chapter by chapter."""
    return [
        compose_note(book, member, chapter, seed)
        for book in range(BOOK_COUNT)
        for member in range(MEMBER_COUNT)
        for chapter in range(1, CHAPTER_COUNT + 1)
    ]


def write_folder(notes: Iterable[GeneratedNote], root: Path) -> int:
    """Write the notes as `<root>/<book>/<member>/[N장][title].md`; return how many."""
    count = 0
    for note in notes:
        path = root / BOOKS[note.book_index] / note.relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note.text, encoding="utf-8")
        count += 1
    return count


# --- the database ------------------------------------------------------------------------


def html_renderer() -> Callable[[str], tuple[str, str]]:
    """`render(markdown) -> (html, toc_html)` from app.notes.render, or a plain escaped
    paragraph while the renderer is not implemented yet."""
    from app.notes.render import render_markdown

    try:
        render_markdown("시험")
    except NotImplementedError:
        print("  (render_markdown not implemented yet: storing escaped <p> HTML)", flush=True)

        def fallback(text: str) -> tuple[str, str]:
            return f"<p>{html.escape(text)}</p>", ""

        return fallback

    def render(text: str) -> tuple[str, str]:
        rendered = render_markdown(text)
        return rendered.html, rendered.toc_html

    return render


def _render_all(texts: list[str], processes: int) -> list[tuple[str, str]]:
    render = html_renderer()
    if processes <= 1 or len(texts) < 200:
        return [render(text) for text in texts]
    from multiprocessing import get_context

    with get_context("fork").Pool(processes) as pool:
        return pool.map(_render_in_worker, texts, chunksize=50)


def _render_in_worker(text: str) -> tuple[str, str]:
    global _WORKER_RENDER
    if _WORKER_RENDER is None:
        _WORKER_RENDER = html_renderer()
    return _WORKER_RENDER(text)


_WORKER_RENDER: Callable[[str], tuple[str, str]] | None = None


def migrate_fresh(db_path: Path):
    """A Studyhall app on a new SQLite file upgraded by the real migrations."""
    from flask_migrate import upgrade

    from app import create_app

    db_path = db_path.resolve()
    if db_path.exists():
        db_path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
    return app


def build_database(db_path: Path, notes: list[GeneratedNote], processes: int = 2) -> dict:
    """Create the benchmark database with every row inserted in bulk; return the ids the
    benchmark needs (the 30-answer thread, a note, a book) and the row counts."""
    from sqlalchemy import func, insert, select

    from app import models
    from app.extensions import db

    rng = random.Random(20261129)
    db_path = db_path.resolve()
    app = migrate_fresh(db_path)
    names = member_names()
    started = time.perf_counter()
    note_html = _render_all([note.text for note in notes], processes)
    print(f"  rendered {len(notes)} notes in {time.perf_counter() - started:.1f} s", flush=True)
    render = html_renderer()
    cache: dict[str, str] = {}

    def cached_html(text: str) -> str:
        if text not in cache:
            cache[text] = render(text)[0]
        return cache[text]

    members = [
        {"id": i + 1, "name": name, "role": "admin" if i == 0 else "member", "created_at": START}
        for i, name in enumerate(names)
    ]
    books = [
        {"id": i + 1, "title": title, "created_at": START, "updated_at": START}
        for i, title in enumerate(BOOKS)
    ]
    chapters = [
        {
            "id": b * CHAPTER_COUNT + n,
            "book_id": b + 1,
            "number": n,
            "title": chapter_title(b, n),
        }
        for b in range(BOOK_COUNT)
        for n in range(1, CHAPTER_COUNT + 1)
    ]
    note_rows, note_chapters, versions, ratings, events, questions = [], [], [], [], [], []
    for note_id, (note, (body_html, toc_html)) in enumerate(zip(notes, note_html, strict=True), 1):
        when = START + timedelta(days=7 * note.chapter, hours=note.member_index)
        chapter_id = note.book_index * CHAPTER_COUNT + note.chapter
        digest = hashlib.sha256(note.text.encode()).hexdigest()
        member_id = note.member_index + 1
        note_rows.append(
            {
                "id": note_id,
                "book_id": note.book_index + 1,
                "member_id": member_id,
                "source_key": note.relative_path,
                "origin": "import",
                "title": note.chapter_title,
                "source": note.text,
                "content_hash": digest,
                "html": body_html,
                "toc_html": toc_html,
                "reading_minutes": note.minutes,
                "warnings": [],
                "parsed": {
                    "chapters": [note.chapter],
                    "scores": {str(note.chapter): note.score},
                    "chapter_minutes": {str(note.chapter): note.minutes},
                    "difficulties": note.difficulties,
                    "front_matter": {},
                },
                "version_count": 1,
                "created_at": when,
                "updated_at": when,
            }
        )
        note_chapters.append(
            {"note_id": note_id, "chapter_id": chapter_id, "position": 0, "minutes": note.minutes}
        )
        versions.append(
            {
                "note_id": note_id,
                "number": 1,
                "source": note.text,
                "content_hash": digest,
                "origin": "import",
                "author_id": member_id,
                "created_at": when,
            }
        )
        rating = {
            "member_id": member_id,
            "chapter_id": chapter_id,
            "score": note.score,
            "source": "note",
            "note_id": note_id,
        }
        ratings.append({**rating, "updated_at": when})
        events.append({**rating, "created_at": when})
        for position, (title, body) in enumerate(note.questions):
            questions.append(
                {
                    "id": len(questions) + 1,
                    "book_id": note.book_index + 1,
                    "chapter_number": note.chapter,
                    "asker_id": member_id,
                    "note_id": note_id,
                    "note_position": position,
                    "note_anchor": None,
                    "title": title,
                    "body": body,
                    "body_html": cached_html(body),
                    "created_at": when,
                }
            )
    while len(questions) < QUESTION_COUNT:
        book = rng.randrange(BOOK_COUNT)
        chapter = rng.randint(1, CHAPTER_COUNT)
        topic = TOPICS[(chapter - 1 + book * 7) % len(TOPICS)]
        body = rng.choice(QUESTION_BODIES).format(n=rng.randint(1, 400))
        questions.append(
            {
                "id": len(questions) + 1,
                "book_id": book + 1,
                "chapter_number": chapter,
                "asker_id": rng.randint(1, MEMBER_COUNT),
                "note_id": None,
                "note_position": None,
                "note_anchor": None,
                "title": rng.choice(QUESTION_STEMS).format(t=topic).replace("**", ""),
                "body": _dedent_body(body),
                "body_html": cached_html(_dedent_body(body)),
                "created_at": START + timedelta(days=rng.randint(7, 7 * CHAPTER_COUNT)),
            }
        )

    # The benchmarked thread: the first question of the first note, with exactly 30 answers.
    bench_thread = 1
    counts = [0] * (len(questions) + 1)
    counts[bench_thread] = BENCH_THREAD_ANSWERS
    remaining = ANSWER_COUNT - BENCH_THREAD_ANSWERS
    while remaining:
        qid = rng.randint(2, len(questions))
        if counts[qid] < MAX_ANSWERS_PER_THREAD:
            counts[qid] += 1
            remaining -= 1
    answers = []
    for question in questions:
        qid = question["id"]
        topic = rng.choice(TOPICS)
        accepted_index = rng.randrange(counts[qid]) if counts[qid] and rng.random() < 0.3 else -1
        last = question["created_at"]
        for i in range(counts[qid]):
            body = rng.choice(ANSWER_BODIES).format(
                t=topic, k="study-cache", n=rng.randint(10, 400)
            )
            last = last + timedelta(hours=rng.randint(1, 48))
            answers.append(
                {
                    "question_id": qid,
                    "author_id": rng.randint(1, MEMBER_COUNT),
                    "body": body,
                    "body_html": cached_html(body),
                    "accepted": i == accepted_index,
                    "created_at": last,
                    "updated_at": last,
                }
            )
        question["answers_count"] = counts[qid]
        question["state"] = (
            "resolved" if accepted_index >= 0 else ("answered" if counts[qid] else "open")
        )
        question["updated_at"] = question["created_at"]
        question["last_activity_at"] = last
    votes = []
    for question in questions:
        voters = rng.sample(range(1, MEMBER_COUNT + 1), rng.choice([0, 0, 1, 1, 2, 3]))
        question["votes_count"] = len(voters)
        votes.extend(
            {"question_id": question["id"], "member_id": m, "created_at": question["created_at"]}
            for m in voters
        )

    started = time.perf_counter()
    with app.app_context():
        with db.engine.begin() as connection:
            for model, rows in [
                (models.Member, members),
                (models.Book, books),
                (models.Chapter, chapters),
                (models.Note, note_rows),
                (models.NoteChapter, note_chapters),
                (models.NoteVersion, versions),
                (models.Question, questions),
                (models.Answer, answers),
                (models.Vote, votes),
                (models.Rating, ratings),
                (models.RatingEvent, events),
            ]:
                for start in range(0, len(rows), 5000):
                    connection.execute(insert(model.__table__), rows[start : start + 5000])
        _rebuild_search_index(app)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
            counts_by_table = {
                model.__tablename__: connection.execute(
                    select(func.count()).select_from(model.__table__)
                ).scalar_one()
                for model in (
                    models.Member,
                    models.Book,
                    models.Chapter,
                    models.Note,
                    models.Question,
                    models.Answer,
                    models.Rating,
                )
            }
        db.engine.dispose()
    print(f"  inserted rows in {time.perf_counter() - started:.1f} s", flush=True)
    return {
        "db": str(db_path),
        "thread_id": bench_thread,
        "note_id": 1,
        "book_id": 1,
        "chapter_number": 1,
        "counts": counts_by_table,
    }


# What the generated database depends on: a change to any of these builds it again.
KEY_SOURCES = [
    "bench/generate.py",
    "app/models.py",
    "app/notes/render.py",
    "app/search",
    "migrations/versions",
]


def generator_key() -> str:
    """A hash of the generator, the schema, the renderer and the search index code."""
    digest = hashlib.sha256()
    for name in KEY_SOURCES:
        path = ROOT / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(str(file.relative_to(ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def ensure_database(db_path: Path, notes: list[GeneratedNote], *, fresh: bool = False) -> dict:
    """The benchmark database: the one built earlier when nothing it depends on changed
    (rendering 4,500 notes takes minutes), else a new one. Info as from build_database."""
    info_path = db_path.with_suffix(".json")
    key = generator_key()
    if not fresh and db_path.exists() and info_path.exists():
        info = json.loads(info_path.read_text())
        if info.get("key") == key:
            info["reused"] = True
            return info
    info_path.unlink(missing_ok=True)
    info = build_database(db_path, notes)
    info["key"] = key
    info_path.write_text(json.dumps(info, ensure_ascii=False, indent=2))
    return {**info, "reused": False}


def _rebuild_search_index(app) -> None:
    """Fill the search index when the search feature has one (bulk inserts bypass the
    session events that keep it in sync)."""
    from app.extensions import db

    try:
        from app.search import rebuild_index
    except ImportError:
        return
    started = time.perf_counter()
    with app.app_context(), db.engine.begin() as connection:
        documents = rebuild_index(connection)
    print(
        f"  indexed {documents} documents for search in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def main(argv: list[str] | None = None) -> dict:
    """Generate the notes, then the database and/or the folder named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite file to create (replaced if present)")
    parser.add_argument("--folder", type=Path, help="folder to write the notes into")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    notes = generate_notes()
    print(f"  composed {len(notes)} notes in {time.perf_counter() - started:.1f} s", flush=True)
    info: dict = {}
    if args.folder:
        write_folder(notes, args.folder)
        info["folder"] = str(args.folder)
    if args.db:
        info.update(build_database(args.db, notes, args.processes))
    print(json.dumps(info, ensure_ascii=False, indent=2))
    return info


if __name__ == "__main__":
    main()
