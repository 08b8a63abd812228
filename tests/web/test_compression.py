"""Text responses in brotli or gzip with Vary: Accept-Encoding, and 304s that still hold."""

import gzip
import re

import brotli
from flask import Response

BIG = "<p>" + "스터디 노트를 읽고 질문을 남깁니다. " * 200 + "</p>"


def add_route(app, body: str, mimetype: str = "text/html", **headers):
    name = f"r{len(app.url_map._rules)}"
    app.add_url_rule(f"/__{name}", name, lambda: Response(body, mimetype=mimetype, headers=headers))
    return f"/__{name}"


def test_a_large_page_is_sent_in_the_coding_the_browser_prefers(app, client):
    url = add_route(app, BIG)
    br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.get_data()).decode() == BIG
    assert "Accept-Encoding" in br.headers["Vary"]
    assert int(br.headers["Content-Length"]) == len(br.get_data()) < len(BIG.encode()) // 5

    gz = client.get(url, headers={"Accept-Encoding": "br;q=0.1, gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.get_data()).decode() == BIG


def test_identity_when_the_browser_asks_for_none_or_refuses_them(app, client):
    url = add_route(app, BIG)
    for header in (None, "identity", "gzip;q=0, br;q=0"):
        response = client.get(url, headers={"Accept-Encoding": header} if header else {})
        assert "Content-Encoding" not in response.headers
        assert response.get_data(as_text=True) == BIG
        assert "Accept-Encoding" in response.headers["Vary"]


def test_small_binary_and_already_encoded_bodies_are_left_alone(app, client):
    small_url = add_route(app, "<p>짧다</p>")
    binary_url = add_route(app, BIG, mimetype="image/png")
    encoded_url = add_route(app, BIG, **{"Content-Encoding": "identity"})
    accept = {"Accept-Encoding": "gzip, br"}
    assert "Content-Encoding" not in client.get(small_url, headers=accept).headers
    binary = client.get(binary_url, headers=accept)
    assert "Content-Encoding" not in binary.headers
    assert "Accept-Encoding" not in binary.headers.get("Vary", "")
    encoded = client.get(encoded_url, headers=accept)
    assert encoded.headers["Content-Encoding"] == "identity"
    assert encoded.get_data(as_text=True) == BIG


def test_a_cached_page_gets_a_weak_etag_that_still_answers_304(client):
    accept = {"Accept-Encoding": "br"}
    first = client.get("/board", headers=accept)
    assert first.headers["Content-Encoding"] == "br"
    assert first.headers["ETag"].startswith('W/"')
    again = client.get("/board", headers={**accept, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["ETag"] == first.headers["ETag"]
    # The same page without compression is the same version: its ETag still matches.
    plain = client.get("/board", headers={"If-None-Match": first.headers["ETag"]})
    assert plain.status_code == 304


def test_static_files_are_compressed_and_keep_their_conditional_answers(client):
    page = client.get("/").get_data(as_text=True)
    url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    plain = client.get(url).get_data()
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()) == plain
    etag = response.headers["ETag"]
    assert (
        client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag}).status_code
        == 304
    )


def test_a_range_of_a_static_file_is_sent_as_is(client):
    page = client.get("/").get_data(as_text=True)
    url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    part = client.get(url, headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"})
    assert part.status_code == 206
    assert "Content-Encoding" not in part.headers
    assert len(part.get_data()) == 100
