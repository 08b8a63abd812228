"""Flask commands: notes import/check, users, demo, search."""

from flask import Flask


def register_cli(app: Flask) -> None:
    """Attach every command group to the app."""
    from app.demo import demo_cli
    from app.notes.cli import notes_cli

    app.cli.add_command(notes_cli)
    app.cli.add_command(demo_cli)
