"""Pathological inputs go through the parser and the renderer and complete (linear time).

The times are printed by `bench/pathological.py` (`make bench`); these tests assert what
comes out, never how long it took, so they do not flake on a busy machine.
"""

import pytest

from app.notes.parse import (
    parse_chapter_list,
    parse_note,
    read_minutes,
    read_score,
    split_front_matter,
)
from app.notes.render import render_markdown
from app.search.text import html_to_text
from app.text.markdown import _trim_url
from app.text.pathological import pathological_inputs

INPUTS = pathological_inputs()
# Inputs that are one paragraph of text to GitHub too: every character is shown as written.
SHOWN_AS_WRITTEN = [
    "brackets",
    "brackets-100k",
    "brackets-closed",
    "brackets-closed-100k",
    "image-brackets",
    "stars-words",
    "underscores",
    "dollars",
    "links",
    "emails",
    "url-entities",
    "url-parens",
]


def test_table_covers_the_issue_list():
    expected = {"brackets", "open-tags", "stars", "backticks", "quotes-deep"}
    expected |= {"list-markers-deep", "headings", "score-digits", "front-matter"}
    assert expected <= set(INPUTS)
    assert max(len(text.encode()) for text in INPUTS.values()) <= 110_000


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_pathological_input_renders_and_parses(name):
    text = INPUTS[name]
    rendered = render_markdown(text)
    # Something is shown, and the page grows at most linearly with the input.
    assert 0 < len(rendered.html) <= 12 * len(text) + 1_000
    parsed = parse_note(text, "책/멤버/1장.md")
    assert parsed is not None


@pytest.mark.parametrize("name", SHOWN_AS_WRITTEN)
def test_text_like_input_is_shown_as_written(name):
    text = INPUTS[name]
    assert html_to_text(render_markdown(text).html) == text.strip()


def test_twelve_thousand_headings_get_unique_anchors():
    rendered = render_markdown(INPUTS["headings"])
    ids = [heading.id for heading in rendered.headings]
    assert len(ids) == 12_000
    assert len(set(ids)) == 12_000
    assert ids[:3] == ["가", "가_1", "가_2"]


@pytest.mark.parametrize(
    "name",
    ["quotes-deep", "list-markers-deep", "quote-lists-deep", "quotes-deep-lines", "lists-deep"],
)
def test_content_nested_deeper_than_the_limit_is_still_shown(name):
    text = INPUTS[name]
    shown = html_to_text(render_markdown(text).html)
    # Every `x` of the input is on the page (the deepest as text, with its markers).
    assert shown.split().count("x") == text.split().count("x") > 0


def test_nesting_is_structure_up_to_fifty_levels_then_text():
    html = render_markdown(">" * 30 + " 가장 깊은 말").html
    assert html.count("<blockquote>") == 30
    assert "가장 깊은 말" in html
    html = render_markdown(">" * 10_000 + " 가장 깊은 말").html
    assert html.count("<blockquote>") == 48
    assert html_to_text(html).endswith(">" * 20 + " 가장 깊은 말")
    items = "".join("  " * depth + f"- 항목{depth}\n" for depth in range(40))
    shown = html_to_text(render_markdown(items).html)
    assert all(f"항목{depth}" in shown for depth in range(40))


def test_trailing_entities_and_parentheses_are_trimmed_from_long_urls():
    assert _trim_url("https://a.b/x" + "&a;" * 10_000) == "https://a.b/x"
    assert _trim_url("https://a.b/x" + ")" * 10_000) == "https://a.b/x"
    assert _trim_url("https://a.b/(x)" + ")" * 10_000) == "https://a.b/(x)"


def test_long_digit_runs_are_no_score_or_time():
    assert read_score("1" * 20_000)[0] is None
    assert read_minutes("9" * 20_000)[0] is None
    assert read_score("3.5/5") == (3.5, None)
    assert read_minutes("1시간 30분") == (90, None)


def test_front_matter_of_blank_lines_without_end_is_text():
    text = "---\n" + "  \n" * 30_000 + "#\n"
    assert split_front_matter(text) == ({}, text)
    assert "<hr>" in render_markdown(text).html


def test_chapter_field_with_a_long_space_run_is_read_like_a_short_one():
    assert parse_chapter_list("4" + " " * 20_000 + "-" + " " * 20_000 + "6") == [4, 5, 6]
    with pytest.raises(ValueError):
        parse_chapter_list(" " * 20_000 + "x")
