"""`flask notes import` and `flask notes check`."""

from flask.cli import AppGroup

notes_cli = AppGroup("notes", help="노트 가져오기와 검사.")
