"""`flask notes check`: what each file yields, without a database."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath

import click
from flask import current_app
from flask.cli import with_appcontext

from app.notes.parse import NoteReadError, ParsedNote, parse_note
from app.notes.walk import read_note_file, walk_notes

DEFAULT_MAX_NOTE_BYTES = 2 * 1024 * 1024
NOT_MARKDOWN_REASON = "Markdown 파일(*.md, *.markdown)이 아니어서 읽지 않았습니다."


@dataclass
class CheckResult:
    """What one file yields, in the shape of `notes check --json`."""

    path: str
    status: str  # "ok" or "skipped"
    reason: str | None = None
    book: str | None = None
    member: str | None = None
    chapters: list[int] = field(default_factory=list)
    questions: list[dict[str, str]] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    reading_minutes: int | None = None
    warnings: list[str] = field(default_factory=list)
    # Not in the JSON: why a file was skipped, for the exit code and the text report.
    unreadable: bool = False
    not_markdown: bool = False

    def to_json(self) -> dict[str, object]:
        """The object `--json` prints for this file: every field but the two flags."""
        flags = ("unreadable", "not_markdown")
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in flags}


def result_from_note(path: str, note: ParsedNote) -> CheckResult:
    """A check result from a parsed note."""
    return CheckResult(
        path=path,
        status="skipped" if note.skip_reason else "ok",
        reason=note.skip_reason,
        book=note.book,
        member=note.member,
        chapters=list(note.chapters),
        questions=[{"title": q.title, "body": q.body} for q in note.questions],
        scores={str(chapter): score for chapter, score in sorted(note.scores.items())},
        reading_minutes=note.reading_minutes,
        warnings=list(note.warnings),
    )


def check_file(
    shown_path: str,
    disk_path: Path,
    note_path: str,
    max_bytes: int,
    *,
    book: str | None = None,
    member: str | None = None,
) -> CheckResult:
    """Read and parse one file; `note_path` is what `parse_note` sees (relative to the root)."""
    try:
        text = read_note_file(disk_path, max_bytes)
    except NoteReadError as error:
        return CheckResult(path=shown_path, status="skipped", reason=error.reason, unreadable=True)
    note = parse_note(text, PurePosixPath(note_path), book=book, member=member)
    return result_from_note(shown_path, note)


def check_paths(
    paths: list[str],
    max_bytes: int,
    *,
    book: str | None = None,
    member: str | None = None,
) -> list[CheckResult]:
    """Check every file named or found under the folders named, sorted by path. A folder's
    files are shown relative to it; a file named directly is shown as given and read as a
    lone file (whatever its name)."""
    results: list[CheckResult] = []
    for given in paths:
        shown_as_given = Path(given).is_file()
        for found in walk_notes(Path(given)):
            shown = given if shown_as_given else str(found.relative)
            if found.not_markdown:
                results.append(
                    CheckResult(
                        path=shown, status="skipped", reason=NOT_MARKDOWN_REASON, not_markdown=True
                    )
                )
                continue
            results.append(
                check_file(
                    shown, found.path, str(found.relative), max_bytes, book=book, member=member
                )
            )
    results.sort(key=lambda result: result.path)
    return results


def _describe(result: CheckResult) -> list[str]:
    """The text report's lines for one file."""
    if result.unreadable:
        return [f"✗ 읽을 수 없음  {result.path}", f"    이유: {result.reason}"]
    if result.not_markdown:
        return [f"· Markdown 아님  {result.path}"]
    head = "✓ 노트" if result.status == "ok" else "– 건너뜀"
    lines = [f"{head}  {result.path}"]
    if result.reason:
        lines.append(f"    이유: {result.reason}")
    chapters = ", ".join(f"{n}장" for n in result.chapters) or "알 수 없음"
    lines.append(
        f"    책: {result.book or '알 수 없음'} · 멤버: {result.member or '알 수 없음'}"
        f" · 장: {chapters}"
    )
    lines.append(f"    질문 {len(result.questions)}개")
    lines.extend(f"      - {question['title']}" for question in result.questions)
    if result.scores:
        scores = ", ".join(f"{chapter}장 {score:g}점" for chapter, score in result.scores.items())
        lines.append(f"    이해도: {scores}")
    if result.reading_minutes is not None:
        hours, minutes = divmod(result.reading_minutes, 60)
        spent = f"{hours}시간 {minutes}분" if hours else f"{minutes}분"
        lines.append(f"    독서 시간: {spent}")
    lines.extend(f"    ⚠ {warning}" for warning in result.warnings)
    return lines


def format_report(results: list[CheckResult]) -> str:
    """The readable Korean report: one block per file, then a summary line."""
    lines: list[str] = []
    for result in results:
        lines.extend(_describe(result))
    notes = sum(1 for r in results if r.status == "ok")
    skipped = sum(1 for r in results if r.status == "skipped" and not r.unreadable)
    unreadable = sum(1 for r in results if r.unreadable)
    warned = sum(1 for r in results if r.warnings)
    warnings = sum(len(r.warnings) for r in results)
    lines.append("")
    lines.append(
        f"파일 {len(results)}개: 노트 {notes}개 · 건너뜀 {skipped}개 · 읽을 수 없음 {unreadable}개"
        f" · 경고 {warnings}개 (파일 {warned}개)"
    )
    return "\n".join(lines)


def exit_code(results: list[CheckResult], *, strict: bool) -> int:
    """1 when a file could not be read (or, with `strict`, when any file has warnings)."""
    if any(result.unreadable for result in results):
        return 1
    if strict and any(result.warnings for result in results):
        return 1
    return 0


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="JSON 목록으로 출력")
@click.option("--strict", is_flag=True, help="경고가 있어도 실패로 끝냄")
@click.option("--book", default=None, help="책 이름 (경로 대신 이 이름을 씀)")
@click.option("--member", default=None, help="멤버 이름 (경로 대신 이 이름을 씀)")
@with_appcontext
def check_command(
    paths: tuple[str, ...], as_json: bool, strict: bool, book: str | None, member: str | None
) -> None:
    """노트가 무엇을 담고 있는지 데이터베이스 없이 보여 줍니다.

    폴더를 주면 그 아래의 *.md, *.markdown 파일을 읽습니다. 숨김 파일과 폴더(.github/ 등)는
    건너뛰고, 그 밖의 파일은 "Markdown 아님"으로 보고합니다: --json에서는 status가
    "skipped"이고 reason이 그 이유인 항목으로 들어갑니다. 파일을 직접 주면 이름과 관계없이
    읽으며, 책과 멤버는 --book, --member로 알려 줍니다.

    읽을 수 없는 파일(UTF-8/CP949가 아님, 바이너리, 빈 파일, MAX_NOTE_BYTES보다 큼)이
    있으면 종료 코드 1로 끝납니다. --strict를 주면 경고가 하나라도 있어도 1로 끝납니다.
    """
    max_bytes = int(current_app.config.get("MAX_NOTE_BYTES", DEFAULT_MAX_NOTE_BYTES))
    results = check_paths(list(paths), max_bytes, book=book, member=member)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(results))
    click.get_current_context().exit(exit_code(results, strict=strict))
