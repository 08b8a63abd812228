"""Fingerprinted static files with a year's lifetime, and 304 answers from conditional_page."""

import re
from datetime import datetime

from flask import abort, g, request

from app.web.caching import STATIC_MAX_AGE, conditional_page

UPDATED = datetime(2026, 11, 29, 9, 30, 0)


def static_url(client, name: str) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(rf'href="(/static/css/{name}\?v=[0-9a-f]{{12}})"', page).group(1)


def test_pages_link_static_files_with_a_content_fingerprint(client):
    assert static_url(client, "app.css")
    assert static_url(client, "pygments.css")


def test_a_fingerprinted_static_file_is_cached_for_a_year(client):
    response = client.get(static_url(client, "app.css"))
    assert response.status_code == 200
    assert response.cache_control.max_age == STATIC_MAX_AGE
    assert response.cache_control.immutable
    assert response.cache_control.public
    assert not response.cache_control.no_cache


def test_a_static_file_without_its_current_fingerprint_is_not_cached_long(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.max_age != STATIC_MAX_AGE
        assert not response.cache_control.immutable


def add_conditional_route(app, rendered: list[str]):
    def page():
        def render():
            rendered.append("yes")
            return "<p>노트</p>"

        return conditional_page(render, etag_parts=[1, UPDATED], last_modified=UPDATED)

    app.add_url_rule("/__conditional", "conditional", page)


def test_conditional_page_answers_304_without_rendering_when_the_etag_matches(app, client):
    rendered: list[str] = []
    add_conditional_route(app, rendered)
    first = client.get("/__conditional")
    assert first.status_code == 200 and first.get_data(as_text=True) == "<p>노트</p>"
    assert first.headers["ETag"]
    assert first.cache_control.no_cache and first.cache_control.private
    assert first.last_modified.replace(tzinfo=None) == UPDATED

    second = client.get("/__conditional", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 304
    assert second.get_data() == b""
    assert rendered == ["yes"]


def test_conditional_page_sends_the_page_for_another_etag_or_an_older_date(app, client):
    add_conditional_route(app, [])
    other = client.get("/__conditional", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200 and other.get_data(as_text=True) == "<p>노트</p>"
    older = "Sun, 29 Nov 2026 09:00:00 GMT"
    stale = client.get("/__conditional", headers={"If-Modified-Since": older})
    assert stale.status_code == 200 and stale.get_data(as_text=True) == "<p>노트</p>"
    newer = "Sun, 29 Nov 2026 09:30:00 GMT"
    assert client.get("/__conditional", headers={"If-Modified-Since": newer}).status_code == 304


def test_conditional_page_etag_differs_per_signed_in_member(app, client, make_member, login):
    add_conditional_route(app, [])
    anonymous = client.get("/__conditional").headers["ETag"]
    login(make_member("민지"))
    g.pop("_login_user", None)  # the fixture's app context outlives requests: forget the guest
    assert client.get("/__conditional").headers["ETag"] != anonymous


def test_another_visitor_gets_the_stored_page_without_rendering(app, client):
    rendered: list[str] = []
    add_conditional_route(app, rendered)
    assert client.get("/__conditional").status_code == 200
    other = app.test_client()
    response = other.get("/__conditional")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "<p>노트</p>"
    assert response.mimetype == "text/html"
    assert rendered == ["yes"]


def test_a_different_url_is_rendered_on_its_own(app, client):
    rendered: list[str] = []
    add_conditional_route(app, rendered)
    client.get("/__conditional?page=1")
    client.get("/__conditional?page=2")
    assert rendered == ["yes", "yes"]


def test_a_pending_flash_message_is_rendered_not_served_from_store(app, client):
    rendered: list[str] = []
    add_conditional_route(app, rendered)
    first = client.get("/__conditional")
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "저장했습니다")]
    response = client.get("/__conditional", headers={"If-None-Match": first.headers["ETag"]})
    assert response.status_code == 200
    assert rendered == ["yes", "yes"]


def test_a_page_with_a_csrf_token_is_not_reused_for_another_session(app):
    from flask_wtf.csrf import generate_csrf

    def page():
        return conditional_page(lambda: f"<form>{generate_csrf()}</form>", etag_parts=[1])

    app.add_url_rule("/__form", "form", page)
    first, second = app.test_client(), app.test_client()
    token_one = first.get("/__form").get_data(as_text=True)
    g.pop("csrf_token", None)  # the fixture's app context outlives requests
    token_two = second.get("/__form").get_data(as_text=True)
    assert token_one != token_two
    g.pop("csrf_token", None)
    assert first.get("/__form").get_data(as_text=True) == token_one


def test_the_page_store_can_be_turned_off():
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "PAGE_CACHE_BYTES": 0})
    assert "page_cache" not in app.extensions


def test_an_anonymous_head_does_not_fill_the_stored_get_page(app, client):
    def page():
        # A HEAD answer's body is never sent, so a view (or server) may leave it empty.
        body = "" if request.method == "HEAD" else "<p>노트</p>"
        return conditional_page(lambda: body, etag_parts=[1])

    app.add_url_rule("/__head", "head", page)
    assert client.head("/__head").status_code == 200
    response = app.test_client().get("/__head")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "<p>노트</p>"


def add_flashing_route(app, rendered: list[str]):
    from flask import flash, get_flashed_messages

    def page():
        def render():
            rendered.append("yes")
            if request.args.get("flash"):
                flash("저장했습니다")
            return f"<p>{' '.join(get_flashed_messages())}</p>"

        return conditional_page(render, etag_parts=[1])

    app.add_url_rule("/__flashing", "flashing", page)


def test_a_page_that_showed_a_flash_message_gets_no_etag_and_is_not_stored(app, client):
    rendered: list[str] = []
    add_flashing_route(app, rendered)
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "저장했습니다")]
    shown = client.get("/__flashing")
    assert shown.get_data(as_text=True) == "<p>저장했습니다</p>"
    assert "ETag" not in shown.headers and shown.cache_control.no_store
    again = app.test_client().get("/__flashing")
    assert again.get_data(as_text=True) == "<p></p>"
    assert rendered == ["yes", "yes"]


def test_a_flash_raised_while_rendering_is_not_stored(app, client):
    rendered: list[str] = []
    add_flashing_route(app, rendered)
    shown = client.get("/__flashing?flash=1")
    assert shown.get_data(as_text=True) == "<p>저장했습니다</p>"
    assert "ETag" not in shown.headers
    assert app.test_client().get("/__flashing?flash=1").status_code == 200
    assert rendered == ["yes", "yes"]


def test_if_none_match_star_does_not_hide_a_missing_page(app, client):
    def page():
        return conditional_page(lambda: abort(404), etag_parts=[1])

    def gone():
        return conditional_page(lambda: ("<p>없음</p>", 404), etag_parts=[1])

    app.add_url_rule("/__missing", "missing", page)
    app.add_url_rule("/__gone", "gone", gone)
    assert client.get("/__missing", headers={"If-None-Match": "*"}).status_code == 404
    response = client.get("/__gone", headers={"If-None-Match": "*"})
    assert response.status_code == 404 and "ETag" not in response.headers
    assert client.get("/notes/999999", headers={"If-None-Match": "*"}).status_code == 404


def test_if_none_match_star_answers_304_for_a_page_that_exists(app, client):
    add_conditional_route(app, [])
    assert client.get("/__conditional", headers={"If-None-Match": "*"}).status_code == 304


def test_a_compressed_page_keeps_each_sessions_csrf_token(app):
    import gzip

    from flask_wtf.csrf import generate_csrf

    filler = "설정 " * 2000  # large enough to be compressed

    def page():
        return conditional_page(lambda: f"<form>{generate_csrf()}</form>{filler}", etag_parts=[1])

    app.add_url_rule("/__big_form", "big_form", page)
    first, second = app.test_client(), app.test_client()
    accept = {"Accept-Encoding": "gzip"}

    def body(client):
        response = client.get("/__big_form", headers=accept)
        g.pop("csrf_token", None)  # the fixture's app context outlives requests
        assert response.headers["Content-Encoding"] == "gzip"
        return gzip.decompress(response.get_data()).decode()

    one, two = body(first), body(second)
    assert one != two and filler in one and filler in two
    assert body(first) == one and body(second) == two
