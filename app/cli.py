"""Flask commands: notes import/check, users, demo, search, backup."""

from flask import Flask


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
