"""Flask commands: every command group attached in one place, and what their commands share."""

import click
from flask import Flask
from sqlalchemy import select

from app.books import find_book
from app.extensions import db
from app.models import Book, Member


def book_or_exit(name_or_id: str) -> Book:
    """The book named on the command line, or a Korean error that ends the command."""
    book = find_book(name_or_id)
    if book is None:
        raise click.ClickException(f"책을 찾을 수 없습니다: {name_or_id}")
    return book


def site_admin() -> Member:
    """An admin to act as from the command line, or a Korean error that ends the command."""
    admin: Member | None = db.session.scalar(select(Member).where(Member.role == "admin").limit(1))
    if admin is None:
        raise click.ClickException(
            "관리자가 없습니다. 먼저 flask users create-admin 을 실행하세요."
        )
    return admin


def register_cli(app: Flask) -> None:
    """Attach every command group to the app."""
    from app.api.cli import token_command
    from app.auth.cli import users_cli
    from app.backup.cli import backup_command, export_command, restore_command
    from app.demo import demo_cli
    from app.mail.cli import webhooks_cli, worker_command
    from app.notes.cli import notes_cli
    from app.repos.cli import repo_cli
    from app.schedule.cli import schedule_cli
    from app.search.cli import search_cli
    from app.transfer.cli import transfer_command

    app.cli.add_command(notes_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(repo_cli)
    users_cli.add_command(token_command)  # `flask users token NAME`: an API token for scripts
    app.cli.add_command(users_cli)
    for command in (backup_command, restore_command, export_command):
        app.cli.add_command(command)
    app.cli.add_command(schedule_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(webhooks_cli)
    app.cli.add_command(transfer_command)
