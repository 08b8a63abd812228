"""The note template, once: the editor's template for a new note, every line of every
version the group has used, and the checks "this line is template text" and "this note
is only the template"."""

from __future__ import annotations

import re

from app.notes.parse.lines import heading_text
from app.notes.parse.sections import section_of_heading

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

# The template the editor offers for a new note; {minutes} and {scores} get a line per chapter.
NOTE_TEMPLATE_HEAD = """# 📚 스터디 템플릿

## 📖 목차를 읽기 전에 든 생각
- 책을 처음 봤을 때 들었던 기대나 궁금증을 적어주세요.
- 이 책에서 배우고 싶은 점을 간단히 작성합니다.

## 📝 내용 정리
- 책의 각 장이나 섹션별로 주요 내용을 정리합니다.
- 이해한 내용을 자신의 언어로 작성하세요.

## 💡 전부 읽고 난 후기
- 책을 다 읽고 난 후 느낀 점, 배우게 된 점, 아쉬운 점을 자유롭게 적어주세요.

## ❓ 특별히 궁금했던 부분
- 읽으면서 생겼던 의문이나 더 탐구하고 싶은 부분을 정리합니다.
- 팀원들과 논의하고 싶은 내용을 포함해도 좋습니다.

## ⏳ 독서 과정 기록
- **총 독서 시간**: (예: 3시간 20분)
- **각 장별 소요 시간**:
{minutes}

## 🤔 이해도 점검 & 난이도 평가
- **어려웠던 부분 & 이유**:
  - 이해가 어려웠던 개념이나 문장이 있다면 적어보세요.
  - 왜 어려웠는지(배경지식 부족, 개념이 생소함 등) 생각해 봅니다.

- **자신의 이해도를 점수로 표현하기 (5점 만점)**
{scores}
"""
UNTOUCHED_TEMPLATE = "노트 템플릿 그대로입니다. 안내 문구 대신 내용을 채운 뒤 저장해 주세요."

PLACEHOLDER_EXAMPLE_RE = re.compile(r"\(\s*예\s*[:：][^)]*\)?")
_LINE_PREFIX_RE = re.compile(r"^(?:#{1,6}\s*)?(?:(?:[-*+]|\d{1,9}[.)])\s+)?")
_SPACES_RE = re.compile(r"\s+")
# A per-chapter line the editor writes: `Chapter 3:` before its `(예: …)` example.
_CHAPTER_EXAMPLE_RE = re.compile(r"Chapter \d{1,5}\s*:")


def note_template(chapters: list[int]) -> str:
    """The template for a new note, with a time and a score line per chapter."""
    numbers = chapters or [1]
    minutes = "\n".join(f"  - Chapter {n}: (예: 40분)" for n in numbers)
    scores = "\n".join(f"  - Chapter {n}: (예: ⭐⭐⭐⭐☆ (4/5))" for n in numbers)
    return NOTE_TEMPLATE_HEAD.format(minutes=minutes, scores=scores)


def normalize_line(line: str) -> str:
    """A line reduced for comparison with the template's lines."""
    text = _LINE_PREFIX_RE.sub("", line.strip(), count=1)
    return _SPACES_RE.sub(" ", text.replace("**", "")).strip()


TEMPLATE_NORMALIZED = frozenset(
    normalize_line(line) for line in TEMPLATE_LINES.splitlines() if line.strip()
)
_PLACEHOLDER_SENTENCES = frozenset(
    text
    for line in TEMPLATE_LINES.splitlines()
    if line.lstrip().startswith("-") and (text := normalize_line(line)).endswith(".")
)


def is_placeholder_line(line: str) -> bool:
    """Whether a line is one of the template's instruction sentences (any template version)."""
    return normalize_line(line) in _PLACEHOLDER_SENTENCES


def is_template_line(line: str) -> bool:
    """Whether a line is template text: a line of some template version, or a chapter's
    example line (`- Chapter 3: (예: 40분)`)."""
    text = normalize_line(line)
    if text in TEMPLATE_NORMALIZED:
        return True
    rest = PLACEHOLDER_EXAMPLE_RE.sub("", text).strip(" )")
    return rest != text and _CHAPTER_EXAMPLE_RE.fullmatch(rest) is not None


def is_template(lines: list[str]) -> bool:
    """Whether every non-blank line is a section heading or template text (nothing written)."""
    for line in lines:
        if not line.strip():
            continue
        heading = heading_text(line)
        if heading is not None and section_of_heading(heading):
            continue
        if not is_template_line(line):
            return False
    return True


def placeholder_only(lines: list[str]) -> bool:
    """Whether a section holds text and all of it (headings aside) is template text."""
    content = [line for line in lines if line.strip() and heading_text(line) is None]
    return bool(content) and all(is_template_line(line) for line in content)
