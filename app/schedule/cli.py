"""`flask schedule ...`: set, list and remove meetings from the command line."""

import click
from flask.cli import AppGroup

from app.cli import book_or_exit, site_admin
from app.errors import ServiceError
from app.schedule import queries, services

schedule_cli = AppGroup("schedule", help="읽기 일정: 모임 날짜와 다룰 장.")


@schedule_cli.command("set")
@click.argument("book")
@click.option("--meeting", "day", required=True, help="모임 날짜 (2026-12-07)")
@click.option("--chapters", required=True, help="다룰 장 (5,6)")
def set_command(book: str, day: str, chapters: str) -> None:
    """Set BOOK's meeting on a date to cover some chapters."""
    found = book_or_exit(book)
    try:
        meeting = services.set_meeting(
            site_admin(), found.id, services.parse_date(day), services.parse_chapters(chapters)
        )
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{found.title}: {meeting.date.isoformat()} 모임, {meeting.chapters}장")


@schedule_cli.command("list")
@click.argument("book", required=False)
def list_command(book: str | None) -> None:
    """List the meetings (of BOOK, or of every book)."""
    meetings = queries.book_meetings(book_or_exit(book).id) if book else queries.all_meetings()
    for meeting in meetings:
        click.echo(f"{meeting.date.isoformat()}\t{meeting.book.title}\t{meeting.chapters}장")
    if not meetings:
        click.echo("잡힌 모임이 없습니다.")


@schedule_cli.command("remove")
@click.argument("book")
@click.option("--meeting", "day", required=True, help="지울 모임 날짜 (2026-12-07)")
def remove_command(book: str, day: str) -> None:
    """Remove BOOK's meeting on a date."""
    found = book_or_exit(book)
    wanted = services.parse_date(day)
    meeting = next((m for m in queries.book_meetings(found.id) if m.date == wanted), None)
    if meeting is None:
        raise click.ClickException(f"{wanted.isoformat()}에는 모임이 없습니다.")
    services.remove_meeting(site_admin(), meeting.id)
    click.echo(f"{found.title}: {wanted.isoformat()} 모임을 지웠습니다.")
