"""Helpers for the browser tests: the chromium set-up, contexts, sign-in, screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.site import LiveSite

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
APT_PACKAGES = ["chromium", "fonts-nanum", "fonts-noto-color-emoji"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def missing_packages() -> list[str]:
    """The Debian packages the browser tests need that are not installed."""
    missing = []
    for package in APT_PACKAGES:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package],
            capture_output=True,
            text=True,
            check=False,
        )
        if "install ok installed" not in status.stdout:
            missing.append(package)
    return missing


def ensure_browser_packages() -> None:
    """Install chromium and the fonts with apt when missing, or skip saying why."""
    if shutil.which("dpkg-query") is None:
        pytest.skip("the browser tests need Debian's chromium (no dpkg-query on this machine)")
    missing = missing_packages()
    if not missing:
        return
    if os.geteuid() != 0:
        pytest.skip(f"run as root, or `sudo apt-get install -y {' '.join(missing)}` first")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", *missing]):
        subprocess.run(command, env=env, stdin=subprocess.DEVNULL, check=True)
    still_missing = missing_packages()
    assert not still_missing, f"apt-get did not install {still_missing}"


class BrowserProblems:
    """JavaScript errors and CSP refusals the pages reported, and server exceptions."""

    def __init__(self, site: LiveSite):
        self.site = site
        self.messages: list[str] = []
        self.first_server_error = len(site.server_errors)

    def watch(self, page) -> None:
        """Record the problems `page` reports from now on."""
        page.on("pageerror", lambda error: self.messages.append(f"JS error: {error}"))
        page.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused" in text):
            self.messages.append(f"CSP: {text}")

    def check(self) -> None:
        """Fail when the browser or the server reported a problem."""
        server = self.site.server_errors[self.first_server_error :]
        assert not server, f"the server raised: {server!r}"
        assert not self.messages, "\n".join(self.messages)


def new_context(browser, site: LiveSite, **options):
    """A Korean-locale browser context on the live site."""
    options.setdefault("viewport", DESKTOP)
    return browser.new_context(base_url=site.url, locale="ko-KR", **options)


def sign_in_cookie(context, site: LiveSite, name: str) -> None:
    """Sign a seeded member in by giving the context a session cookie the app signed."""
    serializer = site.app.session_interface.get_signing_serializer(site.app)
    value = serializer.dumps({"_user_id": str(site.member_ids[name]), "_fresh": True})
    cookie_name = site.app.config.get("SESSION_COOKIE_NAME", "session")
    context.add_cookies([{"name": cookie_name, "value": value, "url": site.url}])


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def require_page(site: LiveSite, path: str, method: str = "GET") -> None:
    """Fail clearly when no view answers `path` (a page the journeys need has gone)."""
    assert site.has_page(path, method), f"no view answers {method} {path}"


def scrolls_sideways(page) -> bool:
    """True when the page is wider than the viewport (it scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def type_korean_with_ime(page, word: str) -> None:
    """Type `word` into the focused field the way a Korean IME does: each syllable is
    composed, committed when the next begins, and the last one is committed by Enter
    (a keydown with isComposing true, which must neither submit nor cut the text)."""
    cdp = page.context.new_cdp_session(page)
    for index, syllable in enumerate(word):
        cdp.send(
            "Input.imeSetComposition", {"text": syllable, "selectionStart": 1, "selectionEnd": 1}
        )
        if index < len(word) - 1:
            cdp.send("Input.insertText", {"text": syllable})
    enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 229}
    cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", **enter})
    cdp.send("Input.insertText", {"text": word[-1]})
    cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **enter, "windowsVirtualKeyCode": 13})
    cdp.detach()


SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[dict]:
    """Run axe-core on the page (opened with bypass_csp=True) and return its serious and
    critical violations, each with where and why."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]][:5],
            "why": violation["nodes"][0].get("failureSummary", ""),
        }
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
    ]
