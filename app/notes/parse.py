"""Read a study note: what NOTE_FORMAT.md says a note yields. Pure: no Flask, no database."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath


class NoteReadError(Exception):
    """A file that cannot be read as a note at all (binary, empty, too large, bad encoding)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ParsedQuestion:
    """One item of the 궁금 section: its title (plain text) and body (Markdown)."""

    title: str
    body: str


@dataclass
class ParsedNote:
    """Everything read out of one note."""

    book: str | None
    member: str | None
    title: str
    chapters: list[int]
    questions: list[ParsedQuestion]
    scores: dict[int, float]
    reading_minutes: int | None
    chapter_minutes: dict[int, int]
    # Markdown text of each template section, keyed by
    # "before", "summary", "afterthoughts", "questions", "reading_log", "self_check".
    sections: dict[str, str]
    # The "어려웠던 부분 & 이유" text of the self-check section ("" when absent).
    difficulties: str
    warnings: list[str]
    front_matter: dict[str, object]
    # The note's Markdown without its front matter, with "\n" line endings.
    body: str
    # Set when the file is not a note to import (no member, no template section, the template).
    skip_reason: str | None = None
    chapter_titles: dict[int, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- constants

# (section key, keyword in the heading, Korean name for messages), in the template's order.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("before", "목차", "목차를 읽기 전에 든 생각"),
    ("summary", "내용 정리", "내용 정리"),
    ("afterthoughts", "후기", "후기"),
    ("questions", "궁금", "특별히 궁금했던 부분"),
    ("reading_log", "독서 과정", "독서 과정 기록"),
    ("self_check", "이해도", "이해도 점검"),
)
SECTION_NAMES = {key: name for key, _keyword, name in SECTIONS}

# Every line of every version of the template (Tech-Books Template.md, the per-book templates
# it replaced, the pull-request template). A note made only of these lines is the template.
TEMPLATE_LINES = """
# 📚 스터디 템플릿
## 📖 목차를 읽기 전에 든 생각
## 📖 1. 목차를 읽기 전에 든 생각
- 책을 처음 봤을 때 들었던 기대나 궁금증을 적어주세요.
- 이 책에서 배우고 싶은 점을 간단히 작성합니다.
## 📝 내용 정리
## 📝 2. 내용 정리
- 책의 각 장이나 섹션별로 주요 내용을 정리합니다.
- 이해한 내용을 자신의 언어로 작성하세요.
- 마인드맵 등으로 정리해서 이미지를 올려도 괜찮습니다.
- 마인드맵등으로 정리해서 이미지를 올려도 괜찮습니다.
- 본인이 정리한 내용을 이미지로 등록해도 괜찮습니다.
### 📌 예시
### 예시:
#### Chapter 1: [챕터 제목]
#### Chapter 2: [챕터 제목]
- **핵심 내용 1**: ...
- **핵심 내용 2**: ...
- 핵심 내용 1: ...
- 핵심 내용 2: ...
## 💡 전부 읽고 난 후기
## 💡 3. 전부 읽고 난 후기
- 책을 다 읽고 난 후 느낀 점, 배우게 된 점, 아쉬운 점을 자유롭게 적어주세요.
- 전체적인 평가나 적용하고 싶은 점도 포함될 수 있습니다.
## ❓ 특별히 궁금했던 부분
## ❓ 4. 특별히 궁금했던 부분
- 읽으면서 생겼던 의문이나 더 탐구하고 싶은 부분을 정리합니다.
- 팀원들과 논의하고 싶은 내용을 포함해도 좋습니다.
## ⏳ 독서 과정 기록
- **총 독서 시간**: (예: 3시간 20분)
- **각 장별 소요 시간**:
  - Chapter 1: (예: 40분)
  - Chapter 2: (예: 1시간)
  - ...
## 🤔 이해도 점검 & 난이도 평가
- **어려웠던 부분 & 이유**:
  - 이해가 어려웠던 개념이나 문장이 있다면 적어보세요.
  - 왜 어려웠는지(배경지식 부족, 개념이 생소함 등) 생각해 봅니다.
- **자신의 이해도를 점수로 표현하기 (5점 만점)**
  - Chapter 1: ⭐⭐⭐☆☆ (3/5)
  - Chapter 2: ⭐⭐⭐⭐☆ (4/5)
- **특별하게 깨달음을 얻은 부분**
  - 이해하기가 어려웠던 이유가 무엇 때문이었는지, 이 부분이 핵심이라고 생각되는 부분을 적어주세요.
"""

# The template's untouched example score lines: together they are a placeholder.
TEMPLATE_SCORE_EXAMPLE = frozenset({"Chapter 1: ⭐⭐⭐☆☆ (3/5)", "Chapter 2: ⭐⭐⭐⭐☆ (4/5)"})

TOTAL_TIME_LABEL = "총 독서 시간"
CHAPTER_TIME_LABEL = "장별"
DIFFICULTY_LABEL = "어려웠던 부분"
SCORE_LABEL = "점수로"
INSIGHT_LABEL = "깨달음"

MAX_TITLE_CHARS = 500
# Threads one note may make: keeps an import's write transaction short (real notes have <30).
MAX_QUESTIONS = 1000
MAX_PLAIN_CHARS = 2000
MAX_CHAPTER = 10_000
MAX_RANGE = 50

# --------------------------------------------------------------------------- small helpers

HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")
LIST_ITEM_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?:[ \t]+(?P<text>.*)|[ \t]*$)"
)
PLACEHOLDER_EXAMPLE_RE = re.compile(r"\(\s*예\s*[:：][^)]*\)?")


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR to "\\n", without a leading byte-order mark."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _indent_width(line: str) -> int:
    """Columns of leading whitespace (a tab counts as four)."""
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4
        else:
            break
    return width


def _heading(line: str) -> str | None:
    """The text of an ATX heading line (closing #s removed), or None for other lines."""
    match = HEADING_RE.match(line)
    if not match:
        return None
    text = (match.group(2) or "").rstrip()
    without_closing = text.rstrip("#")
    if without_closing != text and (not without_closing or without_closing[-1] in " \t"):
        text = without_closing
    return text.strip()


def _code_mask(lines: list[str]) -> list[bool]:
    """For each line, whether it is part of a fenced code block (the fences included)."""
    mask = []
    fence: str | None = None
    for line in lines:
        match = FENCE_RE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
            mask.append(fence is not None)
        else:
            mask.append(True)
            closes = (
                match
                and match.group(1)[0] == fence[0]
                and len(match.group(1)) >= len(fence)
                and not line.strip().lstrip(fence[0]).strip()
            )
            if closes:
                fence = None
    return mask


def section_of_heading(text: str) -> str | None:
    """The template section a heading's text names, or None."""
    for key, keyword, _name in SECTIONS:
        if keyword in text:
            return key
    return None


# (pattern, replacement) pairs that turn a Markdown line into plain text, in order.
PLAIN_TEXT_RULES = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"!\[([^\]]*)\]\([^)]*\)", r"\1"),  # images: their alt text
        (r"\[([^\]]+)\]\([^)]*\)", r"\1"),  # links: their text
        (r"`+([^`]*)`+", r"\1"),  # inline code
        (r"\*\*|~~", ""),  # bold, strike-through
        (r"(?<![\w_])__(\S(?:.*?\S)?)__(?![\w_])", r"\1"),
        (r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])", r"\1"),
        (r"(?<![\w_])_(\S(?:.*?\S)?)_(?![\w_])", r"\1"),  # not inside snake_case names
        (r"\s+", " "),
    )
)
LINE_PREFIX_RE = re.compile(r"^(?:#{1,6}\s*)?(?:(?:[-*+]|\d+[.)])\s+)?")
SPACES_RE = re.compile(r"\s+")


def strip_emphasis(text: str) -> str:
    """Plain text of a Markdown line: emphasis, inline code, links and images removed.
    Only the first MAX_PLAIN_CHARS characters are read (titles are cut shorter anyway)."""
    text = text[:MAX_PLAIN_CHARS]
    for pattern, replacement in PLAIN_TEXT_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


def _normalize_line(line: str) -> str:
    """A line reduced for comparison with the template's lines."""
    text = LINE_PREFIX_RE.sub("", line.strip(), count=1)
    return SPACES_RE.sub(" ", text.replace("**", "")).strip()


TEMPLATE_NORMALIZED = frozenset(
    _normalize_line(line) for line in TEMPLATE_LINES.splitlines() if line.strip()
)
_PLACEHOLDER_SENTENCES = frozenset(
    text
    for line in TEMPLATE_LINES.splitlines()
    if line.lstrip().startswith("-") and (text := _normalize_line(line)).endswith(".")
)


def is_placeholder_line(line: str) -> bool:
    """Whether a line is one of the template's instruction sentences (any template version)."""
    return _normalize_line(line) in _PLACEHOLDER_SENTENCES


def _dedent(lines: list[str]) -> list[str]:
    """Remove the whitespace common to all non-blank lines."""
    widths = [_indent_width(line) for line in lines if line.strip()]
    if not widths:
        return []
    cut = min(widths)
    out = []
    for line in lines:
        expanded = line.expandtabs(4)
        out.append(expanded[cut:] if expanded[:cut].strip() == "" else expanded.lstrip())
    return out


def _outdent(lines: list[str], columns: int) -> list[str]:
    """Remove up to `columns` leading spaces from each line (a list item's content column);
    a fenced code block loses only what its opening fence line loses, so code keeps its shape."""
    out = []
    mask = _code_mask(lines)
    block_cut: int | None = None
    for line, in_code in zip(lines, mask, strict=True):
        expanded = line.expandtabs(4)
        leading = len(expanded) - len(expanded.lstrip(" "))
        if not in_code:
            block_cut = None
            cut = min(columns, leading)
        else:
            if block_cut is None:
                block_cut = min(columns, leading)
            cut = min(block_cut, leading)
        out.append(expanded[cut:])
    return out


def _trim_blank(lines: list[str]) -> list[str]:
    """Drop blank lines at both ends."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return [line.rstrip() for line in lines[start:end]]


def _join(lines: list[str]) -> str:
    return "\n".join(_trim_blank(lines))


# --------------------------------------------------------------------------- decoding


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} 바이트"


def too_large_error(size: int, max_bytes: int) -> NoteReadError:
    """The error for a file larger than the configured limit."""
    return NoteReadError(
        f"파일이 너무 큽니다: {_human_size(size)} (최대 {_human_size(max_bytes)})."
    )


def decode_note(data: bytes, max_bytes: int) -> str:
    """Decode a note's bytes (UTF-8 with or without BOM, or CP949/EUC-KR) or raise NoteReadError."""
    if len(data) > max_bytes:
        raise too_large_error(len(data), max_bytes)
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise NoteReadError("빈 파일입니다.")
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    elif b"\x00" in data:
        raise NoteReadError("바이너리 파일입니다 (NUL 바이트가 들어 있어 글로 읽을 수 없습니다).")
    if text is None:
        for encoding in ("utf-8-sig", "cp949"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise NoteReadError("글자 인코딩을 알 수 없습니다: UTF-8도 CP949(EUC-KR)도 아닙니다.")
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in "\t\n\r\x0c"
    )
    if "\x00" in text or controls > max(8, len(text) // 20):
        raise NoteReadError("바이너리 파일입니다 (제어 문자가 많아 글로 읽을 수 없습니다).")
    text = normalize_newlines(text)
    if not text.strip():
        raise NoteReadError("빈 파일입니다.")
    return text


# --------------------------------------------------------------------------- front matter


def _scalar(value: str) -> object:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if re.fullmatch(r"-?\d{1,9}", value):
        return int(value)
    return value


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """A leading `---` block of `key: value` / `key: [a, b]` lines, and the text after it."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return {}, text
    data: dict[str, object] = {}
    for line in lines[1:end]:
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            data[key] = [_scalar(part) for part in value[1:-1].split(",") if part.strip()]
        else:
            data[key] = _scalar(value)
    return data, "\n".join(lines[end + 1 :])


# --------------------------------------------------------------------------- chapters

CHAPTER_WORD = r"(?:chapter|chatper|chaper|chpater|chap|ch)"
NUMBER_LIST = r"\d{1,5}(?:\.\d{1,5})?(?:\s*(?:[-~–]|,|&)\s*\d{1,5}(?:\.\d{1,5})?)*"
CHAPTER_TOKEN_RE = re.compile(
    rf"(?<![a-z]){CHAPTER_WORD}\.?[\s_-]*(?P<en>{NUMBER_LIST})"
    rf"|제?\s*(?P<ko>\d{{1,5}}(?:\s*[-~–,]\s*\d{{1,5}})*)\s*장"
    rf"|(?P<week>\d{{1,5}})\s*주차",
    re.IGNORECASE,
)


def _parse_number_list(text: str) -> list[int]:
    """`5-7` → 5, 6, 7; `4, 5.7` → 4, 5 (5.7 is section 7 of chapter 5)."""
    numbers: list[int] = []
    for part in re.split(r"\s*(?:,|&)\s*", text.strip()):
        bounds = re.split(r"\s*[-~–]\s*", part)
        try:
            values = [int(bound.split(".")[0]) for bound in bounds if bound]
        except ValueError:
            continue
        if len(values) == 2 and 0 <= values[1] - values[0] <= MAX_RANGE:
            numbers.extend(range(values[0], values[1] + 1))
        elif values:
            numbers.append(values[0])
    unique = sorted({n for n in numbers if 0 <= n <= MAX_CHAPTER})
    return unique


def chapters_in_name(name: str) -> tuple[list[int], str | None]:
    """The chapters a file or folder name names, and the title that follows them
    (`[5장][지표 모니터링]` → [5], "지표 모니터링"; `ch03` → [3], None)."""
    match = CHAPTER_TOKEN_RE.search(name)
    if not match:
        return [], None
    numbers = _parse_number_list(match.group("en") or match.group("ko") or match.group("week"))
    if not numbers:
        return [], None
    start, end = match.span()
    for bracket in re.finditer(r"\[[^\]]*\]", name):
        if bracket.start() <= start and end <= bracket.end():
            start, end = bracket.span()
            break
    rest = (name[:start] + " " + name[end:]).strip(" \t.-_:·,")
    whole = re.fullmatch(r"\[([^\]]*)\]", rest)
    if whole:
        rest = whole.group(1)
    rest = re.sub(r"\s+", " ", rest).strip(" \t.-_:·,")
    return numbers, (rest or None)


def chapters_in_label(text: str) -> list[int]:
    """Chapters named in a score or time label (`Chapter 2`, `Chatper2`, `3장`)."""
    return chapters_in_name(text)[0]


def _front_matter_chapters(front: dict[str, object]) -> list[int] | None:
    value = front.get("chapters", front.get("chapter"))
    if value is None or value == "":
        return None
    items = value if isinstance(value, list) else [value]
    numbers: list[int] = []
    for item in items:
        numbers.extend(_parse_number_list(str(item)))
    return sorted(set(numbers)) or None


# --------------------------------------------------------------------------- path layout

NOT_MEMBER_STEMS = {"readme", "index"}


@dataclass
class PathFacts:
    """What a note's path says: book, member, chapters and the title of the chapter part."""

    book: str | None = None
    member: str | None = None
    chapters: list[int] = field(default_factory=list)
    chapter_title: str | None = None
    file_title: str | None = None


def path_facts(path: str | PurePosixPath, *, book_given: bool) -> PathFacts:
    """Read book, member and chapters out of a path relative to the imported root."""
    parts = [
        p for p in PurePosixPath(str(path).replace("\\", "/")).parts if p not in ("", ".", "/")
    ]
    facts = PathFacts()
    if not parts:
        return facts
    folders, filename = parts[:-1], parts[-1]
    stem = filename.rsplit(".", 1)[0] if "." in filename[1:] else filename
    folder_chapters = [chapters_in_name(folder) for folder in folders]

    if not book_given and folders and not folder_chapters[0][0]:
        facts.book = folders[0].strip() or None
        candidates = list(range(1, len(folders)))
    else:
        candidates = list(range(len(folders)))

    file_chapters, file_title = chapters_in_name(stem)
    if file_chapters:
        facts.chapters, facts.chapter_title = file_chapters, file_title
    else:
        for index in reversed(candidates):
            if folder_chapters[index][0]:
                facts.chapters, facts.chapter_title = folder_chapters[index]
                break
    facts.file_title = file_title if file_chapters else None

    # The member: the nearest part that is neither a chapter part nor README/index. The file
    # name itself only names a member inside a chapter folder (`[3장] 객체지향/sanha.md`).
    parent_is_chapter = bool(folders) and bool(folder_chapters[-1][0])
    if (
        parent_is_chapter
        and not file_chapters
        and stem.lower() not in NOT_MEMBER_STEMS
        and (len(folders) - 1) in candidates
    ):
        facts.member = stem.strip() or None
        return facts
    for index in reversed(candidates):
        if not folder_chapters[index][0] and folders[index].lower() not in NOT_MEMBER_STEMS:
            facts.member = folders[index].strip() or None
            break
    return facts


# --------------------------------------------------------------------------- sections


@dataclass
class _Sections:
    preamble: list[str]
    texts: dict[str, list[str]]
    found: list[str]


def _split_sections(lines: list[str]) -> _Sections:
    """Cut the note at the headings that name a template section (never inside code)."""
    mask = _code_mask(lines)
    result = _Sections(preamble=[], texts={}, found=[])
    current: list[str] = result.preamble
    for line, in_code in zip(lines, mask, strict=True):
        heading = None if in_code else _heading(line)
        key = section_of_heading(heading) if heading else None
        if key is not None:
            if key not in result.texts:
                result.texts[key] = []
                result.found.append(key)
            current = result.texts[key]
            continue
        current.append(line)
    return result


# --------------------------------------------------------------------------- questions


@dataclass
class _Draft:
    title: str
    body: list[str]
    kind: str  # "item", "heading" or "paragraph"
    raw_title: str = ""
    # Columns where a list item's content starts: its body is read relative to them.
    content_indent: int = 0


def _item_title(text: str) -> str:
    """The title of a list item's first line; `- - text` is titled `text`."""
    inner = re.match(r"^(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(.*)|[ \t]*$)", text.strip())
    if inner:
        text = inner.group(1) or ""
    return strip_emphasis(text)


def parse_questions(section: list[str], warnings: list[str]) -> list[ParsedQuestion]:
    """Questions of the 궁금 section: list items, headings and paragraphs (NOTE_FORMAT.md).
    HTML comments (invisible on the page) never become questions."""
    lines = re.sub(r"<!--.*?(?:-->|\Z)", "", "\n".join(section), flags=re.DOTALL).split("\n")
    mask = _code_mask(lines)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    base_indent: int | None = None
    previous_blank = True
    placeholder_count = 0

    for line, in_code in zip(lines, mask, strict=True):
        blank = not line.strip()
        heading = None if in_code else _heading(line)
        if heading is not None and heading:
            current = _Draft(strip_emphasis(heading), [], "heading", heading)
            drafts.append(current)
            previous_blank = False
            continue
        if current is not None and current.kind == "heading":
            current.body.append(line)
            continue
        item = None if in_code else LIST_ITEM_RE.match(line)
        if item is not None:
            indent = _indent_width(item.group("indent"))
            if base_indent is None:
                base_indent = indent
            if indent <= base_indent + 1:
                text = item.group("text") or ""
                if is_placeholder_line(line):
                    placeholder_count += 1
                    current = None
                else:
                    marker_end = item.end("marker")
                    spaces = len(line[marker_end:]) - len(line[marker_end:].lstrip(" "))
                    content = marker_end + max(1, min(spaces, 4))
                    current = _Draft(_item_title(text), [], "item", text, content)
                    drafts.append(current)
                previous_blank = False
                continue
        if blank:
            if current is not None and current.kind == "paragraph":
                current = None
            elif current is not None:
                current.body.append(line)
            previous_blank = True
            continue
        indented = _indent_width(line) >= 2
        continues_item = (
            current is not None
            and current.kind == "item"
            and (in_code or indented or not previous_blank or FENCE_RE.match(line))
        )
        if current is not None and (continues_item or current.kind == "paragraph"):
            current.body.append(line)
        elif (in_code or FENCE_RE.match(line)) and drafts and drafts[-1].kind == "item":
            current = drafts[-1]
            current.body.append(line)
        elif is_placeholder_line(line):
            placeholder_count += 1
        else:
            quoted = re.sub(r"^\s*(?:>\s*)+", "", line)
            current = _Draft(strip_emphasis(quoted), [], "paragraph", quoted)
            drafts.append(current)
        previous_blank = False

    if placeholder_count:
        warnings.append(
            f"'특별히 궁금했던 부분'에 템플릿 안내 문구 {placeholder_count}줄이 남아 있어 "
            "질문으로 만들지 않았습니다."
        )
    questions: list[ParsedQuestion] = []
    empty_items = 0
    for draft in drafts:
        body = _trim_blank(_dedent(_outdent(draft.body, draft.content_indent)))
        title = draft.title
        if not title or title in ("-", "*", "+"):
            content = [line for line in body if line.strip()]
            if not content:
                empty_items += 1
                continue
            title = _item_title(content[0])
            body = _trim_blank(_dedent(body[body.index(content[0]) + 1 :]))
            if not title:
                empty_items += 1
                continue
        if len(title) > MAX_TITLE_CHARS:
            warnings.append(f"질문 제목이 {MAX_TITLE_CHARS}자보다 길어 잘랐습니다: {title[:30]}…")
            body = [draft.raw_title.strip() or title, "", *body]
            title = title[: MAX_TITLE_CHARS - 1] + "…"
        questions.append(ParsedQuestion(title=title, body="\n".join(body)))
    if empty_items:
        warnings.append(f"'특별히 궁금했던 부분'의 빈 항목 {empty_items}개를 건너뛰었습니다.")
    return questions


# --------------------------------------------------------------------------- labelled blocks


def _label_blocks(lines: list[str], labels: Iterable[str]) -> dict[str, tuple[str, list[str]]]:
    """For each label (`총 독서 시간`, `점수로`…) found on a top-level line: the text after
    the label on that line, and the lines under it up to the next label."""
    labels = list(labels)
    mask = _code_mask(lines)
    blocks: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    for line, in_code in zip(lines, mask, strict=True):
        found = None
        if not in_code and _indent_width(line) < 2:
            found = next((label for label in labels if label in line), None)
        if found is not None and found not in blocks:
            after = line.split(found, 1)[1]
            after = re.sub(r"^[^*:：]*\*\*", "", after) if "**" in after else after
            after = re.sub(r"\(\s*5\s*점\s*만점\s*\)", "", after)
            after = after.replace("**", "").strip().lstrip(":：").strip()
            current = []
            blocks[found] = (after, current)
            continue
        if found is not None or (not in_code and _heading(line) is not None):
            current = None
            continue
        if current is not None:
            current.append(line)
    return blocks


def _strip_marker(line: str) -> str:
    return re.sub(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s+|$)", "", line).strip()


@dataclass
class _Entry:
    """One score or time line: its chapter label (None when unlabelled) and its raw text."""

    label: list[int] | None
    label_text: str
    value: str
    raw: str


def _split_label(text: str) -> _Entry:
    """`Chapter 2: ⭐⭐⭐⭐☆ (4/5)` → label [2], value `⭐⭐⭐⭐☆ (4/5)`;
    `Chatper2 (30m)` → [2], `(30m)`; `⭐⭐⭐⭐☆ (4/5)` → unlabelled."""
    raw = text
    lead = re.match(
        rf"^\s*\[?\s*((?:{CHAPTER_WORD})\.?\s*\d{{1,5}}(?:\.\d{{1,5}})?|제?\s*\d{{1,5}}\s*장|"
        rf"\d{{1,5}}\s*주차)\s*\]?\s*[:：\-–]?\s*(.*)$",
        text,
        re.IGNORECASE,
    )
    if lead:
        return _Entry(chapters_in_label(lead.group(1)) or None, lead.group(1), lead.group(2), raw)
    head, sep, tail = PLACEHOLDER_EXAMPLE_RE.sub("", text).partition(":")
    if sep and not re.search(r"[⭐☆★½]|\d\s*/\s*5", head):
        label = chapters_in_label(head) or None
        return _Entry(label, head.strip(), text.split(":", 1)[1] if ":" in text else tail, raw)
    return _Entry(None, "", text, raw)


def _attribute(
    entries: list[tuple[_Entry, float]],
    chapters: list[int],
    what: str,
    warnings: list[str],
    written_lines: int,
) -> dict[int, float]:
    """Give each value its chapter (NOTE_FORMAT.md's rules for score and time lines).
    `written_lines` counts the lines written, readable or not: the one-line rule only
    applies when the writer wrote a single line."""
    result: dict[int, float] = {}
    if len(entries) == 1 and written_lines <= 1:
        entry, value = entries[0]
        label = entry.label[0] if entry.label else None
        if label is not None and (label in chapters or not chapters):
            result[label] = value
        elif chapters:
            target = chapters[0]
            if label is None:
                warnings.append(f"{what}에 장 표시가 없어 {target}장의 것으로 보았습니다.")
            else:
                warnings.append(
                    f"{what}의 장({entry.label_text.strip()})이 이 노트의 장이 아니어서 "
                    f"{target}장의 것으로 보았습니다."
                )
            result[target] = value
        else:
            warnings.append(f"{what}가 어느 장의 것인지 알 수 없어 버렸습니다.")
        return result
    for entry, value in entries:
        label = entry.label[0] if entry.label else None
        if label is None:
            warnings.append(f"{what} 줄 '{entry.raw.strip()}'에 장 표시가 없어 버렸습니다.")
            continue
        if label in result:
            warnings.append(f"{label}장의 {what}가 여러 번 적혀 있어 처음 것을 썼습니다.")
            continue
        if chapters and label not in chapters:
            warnings.append(f"{what}에 이 노트가 다루지 않는 {label}장이 있습니다.")
        result[label] = value
    return result


# --------------------------------------------------------------------------- scores

# Digit runs are bounded and start only where a number starts, so a long run of digits
# costs linear time (an unbounded `\d+` retried at every digit is quadratic).
SCORE_FRACTION_RE = re.compile(r"(?<![\d.])(\d{1,4}(?:\.\d{1,4})?)\s*/\s*5(?!\d)")
SCORE_POINTS_RE = re.compile(r"(?<![\d.])(\d{1,4}(?:\.\d{1,4})?)\s*점")


def read_score(value: str) -> tuple[float | None, str | None]:
    """A score from `⭐⭐⭐½☆ (3.5/5)`, `4점`, `4/5`, or stars alone: (score, problem)."""
    value = PLACEHOLDER_EXAMPLE_RE.sub("", value)
    explicit = SCORE_FRACTION_RE.search(value) or SCORE_POINTS_RE.search(value)
    stars = value.count("⭐") + value.count("★") + 0.5 * value.count("½")
    has_stars = bool(stars) or "☆" in value
    if explicit:
        score = float(explicit.group(1))
        problem = None
        if has_stars and stars != score:
            problem = f"별 {stars:g}개와 적힌 점수 {score:g}가 달라 적힌 점수를 썼습니다"
    elif has_stars:
        score, problem = stars, None
    elif not value.strip(" -:()"):
        return None, "비어 있습니다"
    else:
        return None, f"'{value.strip()}'을(를) 점수로 읽을 수 없습니다"
    if not (0.5 <= score <= 5) or (score * 2) != int(score * 2):
        return None, f"{score:g}점은 0.5~5점(0.5점 단위)이 아니어서 버렸습니다"
    return score, problem


def _parse_scores(
    self_check: list[str], warnings: list[str]
) -> tuple[list[tuple[_Entry, float]], int]:
    """Score lines of the self-check section, read; and how many score lines were written."""
    blocks = _label_blocks(self_check, [DIFFICULTY_LABEL, SCORE_LABEL, INSIGHT_LABEL])
    if SCORE_LABEL in blocks:
        inline, block = blocks[SCORE_LABEL]
        lines = ([inline] if inline else []) + block
    else:
        lines = [
            line
            for line in self_check
            if re.search(r"[⭐★½]|\d\s*/\s*5(?!\d)", line) and DIFFICULTY_LABEL not in line
        ]
    texts = [_strip_marker(line) for line in lines]
    texts = [text for text in texts if text and text.strip(". …")]
    if texts and set(texts) == TEMPLATE_SCORE_EXAMPLE:
        warnings.append(
            "이해도 점수가 템플릿 예시(Chapter 1: 3/5, Chapter 2: 4/5) 그대로여서 점수로 보지 "
            "않았습니다."
        )
        return [], 0
    entries: list[tuple[_Entry, float]] = []
    for text in texts:
        entry = _split_label(text)
        score, problem = read_score(entry.value)
        if problem:
            warnings.append(f"이해도 점수 '{text}': {problem}.")
        if score is not None:
            entries.append((entry, score))
    return entries, len(texts)


# --------------------------------------------------------------------------- reading time

HOURS_RE = re.compile(
    r"(?<![\d.])(\d{1,4}(?:\.\d{1,4})?)\s*(?:시간|hours?|hrs?|h)(?![a-z])", re.IGNORECASE
)
MINUTES_RE = re.compile(r"(?<!\d)(\d{1,5})\s*(?:분|minutes?|mins?|m)(?![a-z])", re.IGNORECASE)


def read_minutes(value: str) -> tuple[int | None, str | None]:
    """Minutes in `2시간 20분`, `1.5시간`, `90분`, `1h 30`, `1h30m`, `30m`, `(1시간)`:
    (minutes, problem). `(예: …)` placeholders count as nothing."""
    had_placeholder = bool(PLACEHOLDER_EXAMPLE_RE.search(value))
    text = PLACEHOLDER_EXAMPLE_RE.sub(" ", value).strip()
    text = text.strip(" ()[]-:：~")
    if not text:
        return None, ("템플릿 예시 '(예: …)'만 있습니다" if had_placeholder else None)
    total = 0.0
    found = False
    rest = text
    hours = HOURS_RE.search(rest)
    if hours:
        total += float(hours.group(1)) * 60
        found = True
        rest = rest[: hours.start()] + " " + rest[hours.end() :]
        tail = re.match(r"^\s*(\d{1,2})\s*$", text[hours.end() :])
        if tail:
            total += int(tail.group(1))
            rest = rest.replace(tail.group(1), " ", 1)
    for minutes in MINUTES_RE.finditer(rest):
        total += int(minutes.group(1))
        found = True
    if not found:
        bare = re.fullmatch(r"(\d{1,4})", text)
        if bare:
            return int(bare.group(1)), "단위가 없어 분으로 읽었습니다"
        return None, f"'{value.strip()}'을(를) 시간으로 읽을 수 없습니다"
    minutes_total = round(total)
    if minutes_total <= 0 or minutes_total > 100 * 60:
        return None, f"'{value.strip()}'은(는) 믿기 어려운 시간이어서 버렸습니다"
    return minutes_total, None


@dataclass
class _Reading:
    total: int | None = None
    chapter_minutes: dict[int, int] = field(default_factory=dict)


def _parse_reading(reading_log: list[str], chapters: list[int], warnings: list[str]) -> _Reading:
    """Total and per-chapter reading minutes of the 독서 과정 section."""
    result = _Reading()
    blocks = _label_blocks(reading_log, [TOTAL_TIME_LABEL, CHAPTER_TIME_LABEL])
    placeholders = 0
    if TOTAL_TIME_LABEL in blocks:
        inline, _under = blocks[TOTAL_TIME_LABEL]
        minutes, problem = read_minutes(inline)
        if problem and "예" in problem:
            placeholders += 1
        elif problem:
            warnings.append(f"총 독서 시간: {problem}.")
        result.total = minutes
    entries: list[tuple[_Entry, float]] = []
    written = 0
    if CHAPTER_TIME_LABEL in blocks:
        inline, under = blocks[CHAPTER_TIME_LABEL]
        for line in ([inline] if inline else []) + under:
            text = _strip_marker(line)
            if not text or not text.strip(". …"):
                continue
            entry = _split_label(text)
            written += 1
            minutes, problem = read_minutes(entry.value)
            if problem and "예" in problem:
                placeholders += 1
            elif problem:
                warnings.append(f"장별 소요 시간 '{text}': {problem}.")
            elif minutes is None:
                warnings.append(f"장별 소요 시간 '{text}'이(가) 비어 있습니다.")
            if minutes is not None:
                entries.append((entry, minutes))
    if placeholders:
        warnings.append(
            f"독서 시간에 템플릿 예시 '(예: …)' {placeholders}개가 남아 있어 무시했습니다."
        )
    attributed = _attribute(entries, chapters, "장별 소요 시간", warnings, written)
    result.chapter_minutes = {chapter: int(value) for chapter, value in attributed.items()}
    per_chapter_sum = sum(result.chapter_minutes.values())
    if result.total is None and result.chapter_minutes:
        result.total = per_chapter_sum
    elif result.total is not None and result.chapter_minutes and per_chapter_sum != result.total:
        warnings.append(
            f"총 독서 시간({result.total}분)과 장별 소요 시간의 합({per_chapter_sum}분)이 "
            "다릅니다. 총 독서 시간을 썼습니다."
        )
    return result


def _parse_difficulties(self_check: list[str], warnings: list[str]) -> str:
    """The "어려웠던 부분 & 이유" text, without the template's placeholder lines."""
    blocks = _label_blocks(self_check, [DIFFICULTY_LABEL, SCORE_LABEL, INSIGHT_LABEL])
    if DIFFICULTY_LABEL not in blocks:
        return ""
    inline, under = blocks[DIFFICULTY_LABEL]
    inline = re.sub(r"^[^:：]*?이유\s*", "", inline).lstrip(":： ").strip()
    kept = [line for line in _dedent(under) if not is_placeholder_line(line)]
    if len(kept) < len(under):
        warnings.append("'어려웠던 부분 & 이유'에 템플릿 안내 문구가 남아 있어 빼고 읽었습니다.")
    lines = ([inline] if inline else []) + _trim_blank(kept)
    return "\n".join(lines).strip()


# --------------------------------------------------------------------------- the note


def _is_template(lines: list[str]) -> bool:
    """Whether every non-blank line is a line of some version of the template."""
    content = [line for line in lines if line.strip()]
    if not content:
        return True
    for line in content:
        heading = _heading(line)
        if heading is not None and section_of_heading(heading):
            continue
        if _normalize_line(line) not in TEMPLATE_NORMALIZED:
            return False
    return True


def _first_free_heading(lines: list[str]) -> str | None:
    """The first heading that is neither a template section nor the template's own text."""
    mask = _code_mask(lines)
    for line, in_code in zip(lines, mask, strict=True):
        heading = None if in_code else _heading(line)
        if not heading or section_of_heading(heading):
            continue
        if _normalize_line(line) in TEMPLATE_NORMALIZED:
            continue
        text = strip_emphasis(heading)
        if text:
            return text
    return None


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _placeholder_only(lines: list[str]) -> bool:
    content = [line for line in lines if line.strip() and _heading(line) is None]
    return bool(content) and all(_normalize_line(line) in TEMPLATE_NORMALIZED for line in content)


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

    sections = _split_sections(lines)
    chapters = _front_matter_chapters(front) or list(facts.chapters)
    chapter_titles: dict[int, str] = {}
    if not _front_matter_chapters(front) and facts.chapter_title and len(chapters) == 1:
        chapter_titles[chapters[0]] = facts.chapter_title
    front_title = _text_or_none(front.get("chapter_title"))
    if front_title and len(chapters) == 1:
        chapter_titles[chapters[0]] = front_title

    self_check = sections.texts.get("self_check", [])
    reading_log = sections.texts.get("reading_log", [])
    score_warnings: list[str] = []
    score_entries, score_lines = _parse_scores(self_check, score_warnings)
    if not chapters:
        labelled = sorted({entry.label[0] for entry, _ in score_entries if entry.label})
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
    scores = _attribute(score_entries, chapters, "이해도 점수", warnings, score_lines)
    reading = _parse_reading(reading_log, chapters, warnings)

    difficulties = _parse_difficulties(self_check, warnings)
    questions = parse_questions(sections.texts.get("questions", []), warnings)
    if len(questions) > MAX_QUESTIONS:
        warnings.append(
            f"'특별히 궁금했던 부분'의 질문이 {len(questions):,}개로 너무 많아 "
            f"앞의 {MAX_QUESTIONS:,}개만 게시판에 올립니다."
        )
        questions = questions[:MAX_QUESTIONS]
    for key in ("before", "summary", "afterthoughts"):
        if _placeholder_only(sections.texts.get(key, [])):
            warnings.append(f"'{SECTION_NAMES[key]}' 섹션에 템플릿 안내 문구만 있습니다.")

    title = (
        _text_or_none(front.get("title"))
        or facts.file_title
        or facts.chapter_title
        or _first_free_heading(lines)
        or PurePosixPath(str(path)).stem
        or "제목 없는 노트"
    )

    skip_reason = None
    is_template = bool(sections.found) and _is_template(lines)
    if not sections.found:
        skip_reason = "템플릿 섹션(목차·내용 정리·후기·궁금…)이 하나도 없어 노트가 아닙니다."
    elif is_template:
        skip_reason = "노트 템플릿 그대로입니다 (안내 문구만 있고 쓴 내용이 없습니다)."
    elif note_member is None:
        skip_reason = (
            "누가 쓴 노트인지 알 수 없습니다: 책 폴더나 가져온 폴더 바로 아래에 있는 파일입니다. "
            "front matter에 member:를 쓰거나 --member로 지정하세요."
        )
    elif note_book is None:
        warnings.append("책 이름을 경로에서 알 수 없습니다 (--book으로 지정하세요).")
    if not sections.found or is_template:
        warnings = []  # not a note: what its text would yield means nothing to its writer

    return ParsedNote(
        book=note_book,
        member=note_member,
        title=title[:300],
        chapters=chapters,
        questions=questions,
        scores={chapter: float(score) for chapter, score in scores.items()},
        reading_minutes=reading.total,
        chapter_minutes=reading.chapter_minutes,
        sections={key: _join(sections.texts.get(key, [])) for key, _k, _n in SECTIONS},
        difficulties=difficulties,
        warnings=_unique(warnings),
        front_matter=front,
        body=body,
        skip_reason=skip_reason,
        chapter_titles=chapter_titles,
    )


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [item for item in items if not (item in seen or seen.add(item))]


__all__ = [
    "NoteReadError",
    "ParsedNote",
    "ParsedQuestion",
    "chapters_in_name",
    "decode_note",
    "normalize_newlines",
    "parse_note",
    "path_facts",
    "read_minutes",
    "read_score",
    "split_front_matter",
    "strip_emphasis",
    "too_large_error",
]
