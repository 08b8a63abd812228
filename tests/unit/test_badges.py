"""The template helpers that replaced the per-row macros: the HTML they give."""

from datetime import datetime

import pytest

from app.web.badges import date, minutes, score_badge, state_badge_for


@pytest.mark.parametrize(
    ("score", "html"),
    [
        (None, '<span class="score score-none" title="점수 없음">–</span>'),
        (3.5, '<span class="score" title="이해도 3.5 / 5">3.5</span>'),
        (4, '<span class="score" title="이해도 4.0 / 5">4.0</span>'),
    ],
)
def test_score_badge(score, html):
    assert str(score_badge(score)) == html


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "–"), (0, "0분"), (45, "45분"), (60, "1시간"), (125, "2시간 5분")],
)
def test_minutes(value, text):
    assert minutes(value) == text


def test_state_badge_uses_the_labels_and_escapes():
    badge = state_badge_for({"open": "미해결"})
    assert str(badge("open")) == '<span class="state state-open">미해결</span>'
    assert str(badge('<b>"')) == '<span class="state state-&lt;b&gt;&#34;">&lt;b&gt;&#34;</span>'


def test_date():
    moment = datetime(2026, 12, 3, 9, 5, 7)
    assert str(date(moment)) == '<time datetime="2026-12-03T09:05:07Z">2026-12-03 09:05</time>'
    assert str(date(None)) == ""


def test_chapter_label():
    from app.web.badges import chapter_label

    assert chapter_label(3) == "3장"
    assert chapter_label(0) == "0장"
    assert chapter_label(None) == "장 없음"
