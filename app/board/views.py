"""The question board and its threads."""

from flask import Blueprint

bp = Blueprint("board", __name__)
