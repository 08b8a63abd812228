"""Pathological inputs go through the parser and the renderer and complete (linear time).

The times are printed by `bench/pathological.py`; this test only asserts completion and
a sane result, so it does not flake on a busy machine.
"""

import pytest

from app.notes.parse import parse_note, read_minutes, read_score, split_front_matter
from app.notes.render import render_markdown
from app.text.pathological import pathological_inputs

INPUTS = pathological_inputs()


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_pathological_input_renders_and_parses(name):
    text = INPUTS[name]
    assert len(text.encode()) <= 110_000
    rendered = render_markdown(text)
    assert isinstance(rendered.html, str)
    parsed = parse_note(text, "책/멤버/1장.md")
    assert parsed is not None


def test_long_digit_runs_are_no_score_or_time():
    assert read_score("1" * 20_000)[0] is None
    assert read_minutes("9" * 20_000)[0] is None
    assert read_score("3.5/5") == (3.5, None)
    assert read_minutes("1시간 30분") == (90, None)


def test_front_matter_of_blank_lines_without_end_is_text():
    text = "---\n" + "  \n" * 30_000 + "#\n"
    assert split_front_matter(text) == ({}, text)
    assert "<hr>" in render_markdown(text).html
