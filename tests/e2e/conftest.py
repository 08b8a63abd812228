"""Browser-test fixtures: Debian's chromium driven by Playwright against a live Studyhall.

The set-up installs chromium and the Korean and emoji fonts with apt when they are missing
(as root, as CI runs; elsewhere the tests are skipped with the reason), starts the real app
on a fresh migrated SQLite file seeded by the importer, and serves it on 127.0.0.1.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")

from tests.e2e.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    BrowserProblems,
    ensure_browser_packages,
    new_context,
    sign_in_cookie,
)
from tests.e2e.site import LiveSite, start_site  # noqa: E402

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Every test under tests/e2e carries the e2e marker."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def pytest_terminal_summary(terminalreporter):
    """Say where the screenshots of this run were saved."""
    shots = sorted(SCREENSHOTS.glob("*.png")) if SCREENSHOTS.is_dir() else []
    if shots:
        terminalreporter.write_line(f"screenshots: {len(shots)} PNG files saved in {SCREENSHOTS}")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """A headless Debian chromium, shared by the whole run."""
    ensure_browser_packages()
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[LiveSite]:
    """The live Studyhall every browser test talks to."""
    database = tmp_path_factory.mktemp("e2e") / "studyhall.sqlite3"
    live, server = start_site(database)
    yield live
    server.stop()


@pytest.fixture
def open_page(browser, site) -> Iterator:
    """Open pages as a member (`as_member=None` for a visitor); JS errors, CSP refusals and
    server exceptions fail the test."""
    contexts = []
    problems = BrowserProblems(site)

    def open_(as_member: str | None = "지민", **options):
        context = new_context(browser, site, **options)
        contexts.append(context)
        if as_member:
            sign_in_cookie(context, site, as_member)
        page = context.new_page()
        page.set_default_timeout(10_000)
        problems.watch(page)
        return page

    yield open_
    for context in contexts:
        context.close()
    problems.check()


@pytest.fixture
def page(open_page):
    """A desktop page signed in as 지민."""
    return open_page()
