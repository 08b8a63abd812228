"""Sign-in, sign-out, invites and profiles."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
