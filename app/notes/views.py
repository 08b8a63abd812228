"""Pages that show books, chapters, notes and members."""

from flask import Blueprint, render_template

bp = Blueprint("notes", __name__)


@bp.get("/")
def home():
    """The books, with the group's progress on each."""
    return render_template("notes/home.html", books=[])
