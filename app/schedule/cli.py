"""`flask schedule ...`: set, list and remove meetings from the command line."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.errors import ServiceError
from app.extensions import db
from app.models import Book, Member
from app.schedule import queries, services

schedule_cli = AppGroup("schedule", help="읽기 일정: 모임 날짜와 다룰 장.")


def _book_or_exit(name: str) -> Book:
    book = services.find_book(name)
    if book is None:
        raise click.ClickException(f"책을 찾을 수 없습니다: {name}")
    return book


def _an_admin() -> Member:
    admin: Member | None = db.session.scalar(select(Member).where(Member.role == "admin").limit(1))
    if admin is None:
        raise click.ClickException(
            "관리자가 없습니다. 먼저 flask users create-admin 을 실행하세요."
        )
    return admin


@schedule_cli.command("set")
@click.argument("book")
@click.option("--meeting", "day", required=True, help="모임 날짜 (2026-12-07)")
@click.option("--chapters", required=True, help="다룰 장 (5,6)")
def set_command(book: str, day: str, chapters: str) -> None:
    """Set BOOK's meeting on a date to cover some chapters."""
    found = _book_or_exit(book)
    try:
        meeting = services.set_meeting(
            _an_admin(), found.id, services.parse_date(day), services.parse_chapters(chapters)
        )
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{found.title}: {meeting.date.isoformat()} 모임, {meeting.chapters}장")


@schedule_cli.command("list")
@click.argument("book", required=False)
def list_command(book: str | None) -> None:
    """List the meetings (of BOOK, or of every book)."""
    meetings = queries.book_meetings(_book_or_exit(book).id) if book else queries.all_meetings()
    for meeting in meetings:
        click.echo(f"{meeting.date.isoformat()}\t{meeting.book.title}\t{meeting.chapters}장")
    if not meetings:
        click.echo("잡힌 모임이 없습니다.")


@schedule_cli.command("remove")
@click.argument("book")
@click.option("--meeting", "day", required=True, help="지울 모임 날짜 (2026-12-07)")
def remove_command(book: str, day: str) -> None:
    """Remove BOOK's meeting on a date."""
    found = _book_or_exit(book)
    wanted = services.parse_date(day)
    meeting = next((m for m in queries.book_meetings(found.id) if m.date == wanted), None)
    if meeting is None:
        raise click.ClickException(f"{wanted.isoformat()}에는 모임이 없습니다.")
    services.remove_meeting(_an_admin(), meeting.id)
    click.echo(f"{found.title}: {wanted.isoformat()} 모임을 지웠습니다.")
