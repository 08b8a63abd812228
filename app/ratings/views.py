"""Chapter ratings, the book dashboard and meeting prep."""

from flask import Blueprint

bp = Blueprint("ratings", __name__)
