"""`flask notes import` and `flask notes check`."""

from flask.cli import AppGroup

from app.notes.checker import check_command

notes_cli = AppGroup("notes", help="노트 가져오기와 검사.")
notes_cli.add_command(check_command)
