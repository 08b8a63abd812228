"""`flask notes import` and `flask notes check`."""

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import refresh_planner_statistics
from app.notes.checker import check_command
from app.notes.importer import ImportReport, import_path
from app.notes.walk import NoteFile

notes_cli = AppGroup("notes", help="노트 가져오기와 검사.")
notes_cli.add_command(check_command)


@notes_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--book", help="책 이름 (없으면 가져오는 폴더 바로 아래 폴더 이름)")
@click.option("--member", help="작성자 이름 (없으면 경로에서 읽음)")
def import_command(path: Path, book: str | None, member: str | None) -> None:
    """노트 폴더(또는 파일)를 가져옵니다. 여러 번 실행해도 바뀐 노트만 반영합니다."""

    report = import_path(
        path,
        book=book,
        member=member,
        max_bytes=current_app.config["MAX_NOTE_BYTES"],
        progress=with_progress,
    )
    refresh_planner_statistics()
    print_report(report)
    if report.fatal:
        raise click.ClickException(report.fatal)


@notes_cli.command("rerender")
def rerender_command() -> None:
    """저장된 노트·질문·답변을 지금의 렌더러로 다시 그립니다 (다시 가져오지 않고)."""
    from app.notes.rerender import rerender_all

    report = rerender_all()
    click.echo(f"다시 그린 노트 {report.notes} · 질문 {report.questions} · 답변 {report.answers}")
    if report.unmatched_images:
        click.echo(f"  이미지를 다시 연결하지 못한 노트 {report.unmatched_images}")


def with_progress(files: Iterable[NoteFile]) -> Iterator[NoteFile]:
    """Show a progress bar while iterating, when printing to a terminal."""
    if not sys.stdout.isatty():
        yield from files
        return
    with click.progressbar(files, label="가져오는 중", show_pos=True) as bar:
        yield from bar


def print_report(report: ImportReport) -> None:
    """Print what an import did: counts, then skipped files and warnings."""
    click.echo(
        f"새 노트 {len(report.new)} · 바뀐 노트 {len(report.updated)} · "
        f"그대로 {len(report.unchanged)} · 건너뜀 {len(report.skipped)} · "
        f"경고가 있는 노트 {len(report.warnings)}"
    )
    for name, reason in report.skipped:
        click.echo(f"  건너뜀  {name}: {reason}")
    for name, warnings in report.warnings:
        for warning in warnings:
            click.echo(f"  경고    {name}: {warning}")
