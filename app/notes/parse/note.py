"""A whole note: its path and front matter, sections, scores, reading times and questions."""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath

from app.notes.parse.chapters import front_matter_chapters
from app.notes.parse.decoding import normalize_newlines
from app.notes.parse.frontmatter import split_front_matter
from app.notes.parse.labels import attribute
from app.notes.parse.lines import code_mask, heading_text, join_lines, strip_emphasis
from app.notes.parse.paths import PathFacts, path_facts
from app.notes.parse.questions import parse_questions
from app.notes.parse.reading import parse_reading
from app.notes.parse.scores import parse_difficulties, parse_scores
from app.notes.parse.sections import (
    SECTION_KEYS,
    SECTION_NAMES,
    Sections,
    section_of_heading,
    split_sections,
)
from app.notes.parse.template import (
    TEMPLATE_NORMALIZED,
    is_template,
    normalize_line,
    placeholder_only,
)
from app.notes.parse.types import ParsedNote

NO_SECTION = "템플릿 섹션(목차·내용 정리·후기·궁금…)이 하나도 없어 노트가 아닙니다."
ONLY_TEMPLATE = "노트 템플릿 그대로입니다 (안내 문구만 있고 쓴 내용이 없습니다)."
NO_MEMBER = (
    "누가 쓴 노트인지 알 수 없습니다: 책 폴더나 가져온 폴더 바로 아래에 있는 파일입니다. "
    "front matter에 member:를 쓰거나 --member로 지정하세요."
)


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _first_free_heading(lines: list[str]) -> str | None:
    """The first heading that is neither a template section nor the template's own text."""
    for line, in_code in zip(lines, code_mask(lines), strict=True):
        heading = None if in_code else heading_text(line)
        if not heading or section_of_heading(heading):
            continue
        if normalize_line(line) in TEMPLATE_NORMALIZED:
            continue
        text = strip_emphasis(heading)
        if text:
            return text
    return None


def _chapters(front: dict[str, object], facts: PathFacts) -> tuple[list[int], dict[int, str]]:
    """The note's chapters (front matter over path) and the titles the path or front give."""
    from_front = front_matter_chapters(front)
    chapters = from_front or list(facts.chapters)
    titles: dict[int, str] = {}
    if not from_front and facts.chapter_title and len(chapters) == 1:
        titles[chapters[0]] = facts.chapter_title
    front_title = _text_or_none(front.get("chapter_title"))
    if front_title and len(chapters) == 1:
        titles[chapters[0]] = front_title
    return chapters, titles


def _scores(
    sections: Sections, chapters: list[int], warnings: list[str]
) -> tuple[list[int], dict[int, float]]:
    """The scores by chapter; a note without chapters takes those its score lines name."""
    score_warnings: list[str] = []
    entries, written = parse_scores(sections.lines("self_check"), score_warnings)
    if not chapters:
        labelled = sorted({entry.label[0] for entry, _ in entries if entry.label})
        if labelled:
            chapters = labelled
            warnings.append(
                "경로에 장 번호가 없어 이해도 점수 줄의 장("
                + ", ".join(str(n) for n in labelled)
                + ")을 노트의 장으로 보았습니다."
            )
    if not chapters:
        warnings.append(
            "이 노트가 몇 장의 노트인지 알 수 없습니다 (파일 이름이나 front matter의 chapter:)."
        )
    warnings.extend(score_warnings)
    scores = attribute(entries, chapters, "이해도 점수", warnings, written)
    return chapters, {chapter: float(score) for chapter, score in scores.items()}


def _skip_reason(
    sections: Sections, lines: list[str], member: str | None, book: str | None, warnings: list[str]
) -> str | None:
    """Why the file is not a note to import (None when it is one); clears the warnings of
    a file that is no note at all."""
    if not sections.found or is_template(lines):
        warnings.clear()  # not a note: what its text would yield means nothing to its writer
        return NO_SECTION if not sections.found else ONLY_TEMPLATE
    if member is None:
        return NO_MEMBER
    if book is None:
        warnings.append("책 이름을 경로에서 알 수 없습니다 (--book으로 지정하세요).")
    return None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def parse_note(
    text: str,
    path: str | PurePosixPath,
    *,
    book: str | None = None,
    member: str | None = None,
) -> ParsedNote:
    """Parse a decoded note. `path` is relative to the imported root (or to the book when
    `book` is given); `book`/`member` from the command line override the path."""
    warnings: list[str] = []
    # macOS writes Hangul file names (and sometimes text) decomposed (NFD): compose them.
    text = unicodedata.normalize("NFC", normalize_newlines(text))
    path = unicodedata.normalize("NFC", str(path))
    front, body = split_front_matter(text)
    lines = body.split("\n")
    facts = path_facts(path, book_given=book is not None)
    note_book = _text_or_none(book) or _text_or_none(front.get("book")) or facts.book
    note_member = _text_or_none(member) or _text_or_none(front.get("member")) or facts.member
    sections = split_sections(lines)
    chapters, chapter_titles = _chapters(front, facts)
    chapters, scores = _scores(sections, chapters, warnings)
    reading = parse_reading(sections.lines("reading_log"), chapters, warnings)
    difficulties = parse_difficulties(sections.lines("self_check"), warnings)
    questions = parse_questions(sections.lines("questions"), warnings)
    for key in ("before", "summary", "afterthoughts"):
        if placeholder_only(sections.lines(key)):
            warnings.append(f"'{SECTION_NAMES[key]}' 섹션에 템플릿 안내 문구만 있습니다.")
    title = (
        _text_or_none(front.get("title"))
        or facts.file_title
        or facts.chapter_title
        or _first_free_heading(lines)
        or PurePosixPath(path).stem
        or "제목 없는 노트"
    )
    skip_reason = _skip_reason(sections, lines, note_member, note_book, warnings)
    return ParsedNote(
        book=note_book,
        member=note_member,
        title=title[:300],
        chapters=chapters,
        questions=questions,
        scores=scores,
        reading_minutes=reading.total,
        chapter_minutes=reading.chapter_minutes,
        sections={key: join_lines(sections.lines(key)) for key in SECTION_KEYS},
        difficulties=difficulties,
        warnings=_unique(warnings),
        front_matter=front,
        body=body,
        skip_reason=skip_reason,
        chapter_titles=chapter_titles,
    )
