"""Korean typed through an IME must never be cut or doubled by Enter: every script that
acts on an Enter key press also checks `event.isComposing` (or keyCode 229)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[2] / "static" / "js"
KEY_EVENT = re.compile(r"""["'](keydown|keypress|keyup)["']|\.onkey(down|press|up)\b""")
ENTER = re.compile(r"""["']Enter["']|keyCode\s*===?\s*13|\bwhich\s*===?\s*13""")
GUARD = re.compile(r"isComposing|keyCode\s*===?\s*229")


def acts_on_enter_without_ime_guard(source: str) -> bool:
    """True when a script handles Enter on a key event but never checks the IME state."""
    return bool(KEY_EVENT.search(source) and ENTER.search(source) and not GUARD.search(source))


@pytest.mark.parametrize(
    ("source", "unguarded"),
    [
        ("el.addEventListener('keydown', e => { if (e.key === 'Enter') send(); });", True),
        ('el.addEventListener("keydown", e => { if (e.keyCode == 13) send(); });', True),
        ("el.onkeydown = e => { if (e.key === 'Enter') send(); };", True),
        (
            "el.addEventListener('keydown', e => {"
            " if (e.isComposing) return; if (e.key === 'Enter') send(); });",
            False,
        ),
        (
            "el.addEventListener('keydown', e => {"
            " if (e.keyCode === 229) return; if (e.key === 'Enter') send(); });",
            False,
        ),
        ("el.addEventListener('click', () => send());", False),
        ("el.addEventListener('keydown', e => { if (e.key === 'Escape') close(); });", False),
    ],
)
def test_enter_handlers_are_recognised(source, unguarded):
    assert acts_on_enter_without_ime_guard(source) is unguarded


def test_every_site_script_guards_enter_against_ime_composition():
    scripts = sorted(JS.glob("*.js")) if JS.is_dir() else []
    offenders = [
        path.name
        for path in scripts
        if acts_on_enter_without_ime_guard(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"check event.isComposing before acting on Enter in {offenders}"
