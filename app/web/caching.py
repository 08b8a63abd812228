"""HTTP caching: fingerprinted static URLs cached for a year, and conditional GET (304)
for pages that change only when their data does.

Static files: every `url_for('static', filename=...)` gets `?v=<content hash>`; a request
with the current hash is answered with `Cache-Control: public, max-age=31536000, immutable`,
so browsers never ask again until the file (and so its URL) changes.

Pages: a view whose page depends only on the database, the URL and the viewer names the
scopes of pages it shows (app/web/scopes.py) and is served through `conditional_page`:

    @bp.get("/questions/<int:question_id>")
    @versioned("thread:{question_id}")  # app/web/page_versions.py
    def thread(question_id): ...

`versioned` reads the versions of those scopes (one query) and passes them as the ETag
parts. A browser that already holds that version gets an empty 304 without the template
being rendered; another visitor gets the HTML this worker rendered for the same ETag, so
the page costs the query behind its ETag, not its full rendering. `X-Cache` says which:
`hit` (a 304 or a stored copy) or `miss` (rendered now).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, make_response, request, session
from flask.globals import request_ctx
from werkzeug.datastructures import ETags

STATIC_MAX_AGE = 31_536_000  # one year: the longest lifetime caches honour
# A cached page's CSRF tokens must still be valid when a 304 reuses it (the limit is 8 h).
ETAG_LIFETIME_S = 3600


def content_fingerprint(data: bytes) -> str:
    """A short, stable fingerprint of a file's bytes: the `v` of its static URL."""
    return hashlib.sha256(data).hexdigest()[:12]


def make_etag(*parts: object) -> str:
    """An ETag value (unquoted) for a response built from these parts, in order."""
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


def client_copy_is_current(
    etag: str,
    last_modified: datetime | None,
    if_none_match: ETags | None,
    if_modified_since: datetime | None,
) -> bool:
    """True when the client's validators show it holds this version (RFC 9110 §13.2.2:
    If-None-Match, when sent, decides; otherwise If-Modified-Since)."""
    if if_none_match:
        return if_none_match.contains_weak(etag)
    if last_modified is None or if_modified_since is None:
        return False
    return _utc(last_modified).replace(microsecond=0) <= _utc(if_modified_since)


def _utc(moment: datetime) -> datetime:
    # The database stores naive UTC; HTTP dates arrive aware.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@lru_cache(maxsize=1024)
def _fingerprint_of(path: str, _mtime_ns: int, _size: int) -> str:
    return content_fingerprint(Path(path).read_bytes())


@lru_cache(maxsize=1024)
def _static_path(static_folder: str, filename: str) -> str | None:
    folder = Path(static_folder).resolve()
    path = (folder / filename).resolve()
    return str(path) if path.is_relative_to(folder) else None


def static_fingerprint(static_folder: str | Path | None, filename: str) -> str | None:
    """The fingerprint of a file in the static folder, or None if there is no such file."""
    if static_folder is None:
        return None
    path = _static_path(str(static_folder), filename)
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    # Keyed on mtime and size too, so an edited file gets a new URL without a restart.
    return _fingerprint_of(path, stat.st_mtime_ns, stat.st_size)


class ByteBoundedCache:
    """A least-recently-used map from keys to byte strings holding at most `max_bytes`."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[str, bytes] | None:
        """The (mimetype, body) stored under `key`, marked as recently used; or None."""
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: str, mimetype: str, body: bytes) -> None:
        """Store a body, dropping the least recently used ones to stay within the bound;
        a body larger than a quarter of the bound is not stored."""
        if len(body) > self.max_bytes // 4:
            return
        with self._lock:
            if (old := self._items.pop(key, None)) is not None:
                self.size -= len(old[1])
            self._items[key] = (mimetype, body)
            self.size += len(body)
            while self.size > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self.size -= len(dropped)

    def __len__(self) -> int:
        return len(self._items)


# Where a stored page's key is left for the response's compression (it names the body).
PAGE_BODY_KEY = "studyhall.page_body_key"


def conditional_page(
    render: Callable[[], str | Response],
    *,
    etag_parts: Iterable[object],
    last_modified: datetime | None = None,
) -> Response:
    """Answer 304 if the browser's copy of this page is current; else serve the page as
    rendered earlier for the same ETag (kept in this worker's memory), or call `render`.

    `etag_parts` must name everything the page shows (ids, updated_at, counts, page
    number): the same parts must mean the same HTML. The URL, the signed-in member and the
    session's CSRF token are added here. `render` must have no side effects, since it is
    skipped when the page is current."""
    from flask_login import current_user

    viewer = current_user.get_id() if current_user.is_authenticated else ""
    bucket = int(time.time() // ETAG_LIFETIME_S)
    etag = make_etag(viewer, bucket, request.full_path, *etag_parts)
    cache: ByteBoundedCache | None = current_app.extensions.get("page_cache")
    key = request.method + etag
    if "_flashes" in session:  # a message to show once: neither 304 nor ETag nor stored copy
        return _uncacheable(make_response(render()))
    if not request.if_none_match.star_tag and client_copy_is_current(
        etag, last_modified, request.if_none_match, request.if_modified_since
    ):
        response = Response(status=304)
        response.headers["X-Cache"] = "hit"
    elif cache is not None and (stored := cache.get(key + _session_csrf())) is not None:
        response = Response(stored[1], mimetype=stored[0])
        response.headers["X-Cache"] = "hit"
        request.environ[PAGE_BODY_KEY] = key + _session_csrf()
    else:
        response = make_response(render())
        response.headers["X-Cache"] = "miss"
        if _showed_a_flash():
            return _uncacheable(response)
        if response.status_code != 200:  # `*` matches only a page that exists
            return response
        if cache is not None:
            # Keyed by the CSRF token as it is after rendering: a page holding a form is
            # only reused for the session whose token it carries.
            cache.put(key + _session_csrf(), response.mimetype or "", response.get_data())
            request.environ[PAGE_BODY_KEY] = key + _session_csrf()
    if request.if_none_match.star_tag and response.status_code == 200:
        response = Response(status=304)
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = _utc(last_modified)
    # Cached only by the browser, and checked with the server on every use.
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


def _showed_a_flash() -> bool:
    """Whether rendering raised or consumed a one-time message."""
    return "_flashes" in session or bool(getattr(request_ctx, "flashes", None))


def _uncacheable(response: Response) -> Response:
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def _session_csrf() -> str:
    return str(session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), ""))


def init_app(app: Flask) -> None:
    """Fingerprint static URLs, give fingerprinted static responses a year's lifetime, and
    keep a per-worker store of pages rendered by conditional_page (PAGE_CACHE_BYTES, 0 = off)."""
    max_bytes = app.config.setdefault("PAGE_CACHE_BYTES", 16 * 1024 * 1024)
    if max_bytes:
        app.extensions["page_cache"] = ByteBoundedCache(max_bytes)

    @app.url_defaults
    def add_static_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            fingerprint = static_fingerprint(app.static_folder, values["filename"])
            if fingerprint:
                values["v"] = fingerprint

    @app.after_request
    def cache_fingerprinted_static(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        version = request.args.get("v")
        filename = (request.view_args or {}).get("filename", "")
        if version and version == static_fingerprint(app.static_folder, filename):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = STATIC_MAX_AGE
            response.cache_control.immutable = True
        return response
