"""Brotli or gzip for text responses, as the browser's Accept-Encoding (with its q-values)
allows; never for small bodies, streamed or already encoded ones, or partial content.

A compressed response carries `Vary: Accept-Encoding` and a weak ETag (`W/"…"`): the same
page in another encoding is the same page, so the 304 checks, which compare weakly, still
hold. Bodies with an ETag are compressed once per worker and kept by their content hash."""

from __future__ import annotations

import gzip
import hashlib
from types import ModuleType
from typing import cast

from flask import Flask, Response, request
from werkzeug.http import parse_accept_header

from app.web.caching import PAGE_BODY_KEY, ByteBoundedCache

MIN_BYTES = 1024  # below about a packet, compressing saves nothing worth the work
GZIP_LEVEL = 6
BROTLI_QUALITY = 5  # brotli's default (11) costs tens of ms on a large page
TEXT_TYPES = frozenset(
    {
        "application/json",
        "application/problem+json",
        "application/javascript",
        "application/atom+xml",
        "application/xml",
        "image/svg+xml",
    }
)

brotli: ModuleType | None
try:
    import brotli as _brotli

    brotli = _brotli
except ImportError:  # a dependency; without it gzip alone still works
    brotli = None

ENCODINGS = ("br", "gzip") if brotli is not None else ("gzip",)


def choose_encoding(accept_encoding: str, available: tuple[str, ...] = ENCODINGS) -> str | None:
    """The coding to answer with: the available one the client rates highest (earlier in
    `available` on a tie), or None for the identity. `q=0` refuses a coding, `*` stands for
    any coding not named."""
    accept = parse_accept_header(accept_encoding)
    best, best_q = None, 0.0
    for coding in available:
        named = {value.lower(): q for value, q in accept}
        q = named.get(coding, named.get("*", 0.0))
        if coding == "gzip" and "gzip" not in named and "x-gzip" in named:
            q = named["x-gzip"]
        if q > best_q:
            best, best_q = coding, q
    return best


def is_text(mimetype: str) -> bool:
    """Whether a type is text worth compressing."""
    return mimetype.startswith("text/") or mimetype in TEXT_TYPES


def compress(body: bytes, coding: str) -> bytes:
    """The body in this coding ("br" or "gzip")."""
    if coding == "br" and brotli is not None:
        return cast(bytes, brotli.compress(body, quality=BROTLI_QUALITY))  # brotli has no hints
    # mtime=0: the same body always gives the same bytes.
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def _compressible(response: Response) -> bool:
    return (
        is_text(response.mimetype or "")
        and "Content-Encoding" not in response.headers
        and "no-transform" not in response.headers.get("Cache-Control", "")
    )


def _weaken_etag(response: Response) -> None:
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)


def compress_response(response: Response, store: ByteBoundedCache | None) -> Response:
    """Compress a finished response in place when the request and the response allow it."""
    if response.status_code not in (200, 304) or not _compressible(response):
        return response
    response.vary.add("Accept-Encoding")
    coding = choose_encoding(request.headers.get("Accept-Encoding", ""))
    if coding is None:
        return response
    if response.status_code == 304:
        _weaken_etag(response)  # as the body it stands for was sent
        return response
    if response.is_streamed and not response.direct_passthrough:
        return response
    response.direct_passthrough = False  # a static file is read here, then compressed
    body = response.get_data()
    if len(body) < MIN_BYTES:
        return response
    response.set_data(_compressed(body, coding, store if response.get_etag()[0] else None))
    response.headers["Content-Encoding"] = coding
    _weaken_etag(response)
    return response


def _compressed(body: bytes, coding: str, store: ByteBoundedCache | None) -> bytes:
    if store is None:
        return compress(body, coding)
    # A stored page's key already names its body (app.web.caching): no need to hash it.
    page = request.environ.get(PAGE_BODY_KEY)
    key = coding + (page or hashlib.blake2b(body, digest_size=16).hexdigest())
    if (stored := store.get(key)) is not None:
        return stored[1]
    data = compress(body, coding)
    store.put(key, coding, data)
    return data


def init_app(app: Flask) -> None:
    """Compress text responses (COMPRESS_CACHE_BYTES bounds the store of compressed bodies)."""
    max_bytes = app.config.setdefault("COMPRESS_CACHE_BYTES", 8 * 1024 * 1024)
    store = ByteBoundedCache(max_bytes) if max_bytes else None

    @app.after_request
    def compress_text(response: Response) -> Response:
        return compress_response(response, store)
