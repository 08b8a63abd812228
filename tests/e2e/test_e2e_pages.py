"""The main pages in a real browser: screenshots at desktop and phone size, no sideways
scrolling at 390 px, no serious accessibility violation (axe-core), the dark theme, the
keyboard, and Korean typed through an IME."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.browser import (
    PHONE,
    require_page,
    screenshot,
    scrolls_sideways,
    serious_violations,
    type_korean_with_ime,
)
from tests.e2e.site import seeded_paths

MAIN_PAGES = [
    *("home", "login", "board", "search", "book", "chapter", "note", "question", "member"),
    *("ask", "new-note", "profile"),
]
# The sign-in page is seen by visitors; every other page by a signed-in member.
VISITOR_PAGES = {"login"}


@pytest.fixture(scope="session")
def paths(site) -> dict[str, str | None]:
    """The URLs of the main pages on the seeded site."""
    return seeded_paths(site)


def main_page_path(site, paths, name: str) -> str:
    """The URL of a main page, failing clearly when that page or its data is missing."""
    path = paths[name]
    assert path is not None, f"no seeded data for the {name} page:\n{site.import_output}"
    require_page(site, path)
    return path


def visit(page, path: str):
    """Go to `path` and insist it answered with a page, not an error."""
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    return response


def member_for(name: str) -> str | None:
    return None if name in VISITOR_PAGES else "지민"


@pytest.mark.parametrize("name", MAIN_PAGES)
def test_main_page_on_desktop_and_phone_without_sideways_scrolling(open_page, site, paths, name):
    path = main_page_path(site, paths, name)
    page = open_page(as_member=member_for(name))
    visit(page, path)
    assert page.locator("h1").count() >= 1, f"{path} has no heading"
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, f"{name}-phone")
    assert not scrolls_sideways(page), f"{path} scrolls sideways at 390 px"


@pytest.mark.parametrize("name", MAIN_PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_main_page_has_no_serious_accessibility_violation(open_page, site, paths, name, scheme):
    path = main_page_path(site, paths, name)
    # The site's CSP allows no injected script: only this context bypasses it, for axe.
    page = open_page(as_member=member_for(name), bypass_csp=True, color_scheme=scheme)
    visit(page, path)
    serious = serious_violations(page)
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)


def test_dark_theme_follows_the_system_setting(open_page):
    backgrounds = {}
    for scheme in ("light", "dark"):
        page = open_page(color_scheme=scheme)
        visit(page, "/")
        backgrounds[scheme] = page.evaluate(
            "(s => [s.backgroundColor, s.color])(getComputedStyle(document.body))"
        )
        screenshot(page, f"home-{scheme}")
    assert backgrounds["light"][0] != backgrounds["dark"][0]
    assert backgrounds["light"][1] != backgrounds["dark"][1]


def focused_element(page) -> dict:
    """What has the keyboard focus: tag, id, name, text and href."""
    return page.evaluate(
        """() => { const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'),
                text: (e.innerText || '').trim(), href: e.getAttribute('href')}; }"""
    )


def test_tab_reaches_the_main_controls_in_order(page):
    visit(page, "/")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(focused_element(page))
    assert reached[0]["href"] == "#main", "the first Tab stop is the skip link"
    texts = [element["text"] for element in reached]
    assert "질문 게시판" in texts
    assert any(element["id"] == "header-q" for element in reached), "the search box is reachable"


def test_skip_link_moves_focus_to_the_content(page):
    visit(page, "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("document.querySelector('#main').matches(':target')")


def test_focus_is_visible_on_links_and_fields(page):
    visit(page, "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "a focused control shows an outline"


def test_korean_ime_enter_neither_cuts_nor_doubles_the_search(page, site):
    require_page(site, "/search")
    visit(page, "/")
    page.focus("#header-q")
    type_korean_with_ime(page, "캐시")
    assert page.input_value("#header-q") == "캐시"
    assert urlsplit(page.url).path == "/", "Enter that ends a composition must not submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["캐시"]
    assert page.input_value("#header-q") == "캐시"
