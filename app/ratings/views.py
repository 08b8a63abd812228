"""Chapter ratings, the book dashboard and meeting prep."""

from flask import Blueprint, abort, render_template

from app.extensions import db
from app.models import Book

bp = Blueprint("ratings", __name__)


@bp.get("/books/<int:book_id>")
def book(book_id: int):
    """A book's dashboard (being built on the ratings branch)."""
    found = db.session.get(Book, book_id) or abort(404)
    return render_template("ratings/book.html", book=found)
