"""The JSON API, version 1: bearer tokens, problem+json errors, an OpenAPI 3.1 document."""

from flask import Blueprint

from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer tokens, never cookies, authenticate the API: there is no session to forge.
csrf.exempt(bp)

from app.api import idempotency, views  # noqa: E402, F401  (views registers the routes on bp)

# After views' authentication, so the key is looked up per token.
bp.before_request(idempotency.replay_or_reserve)
bp.after_request(idempotency.remember)
