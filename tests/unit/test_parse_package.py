"""The parser package: pure (no Flask, no feature package), short functions, one template."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.notes.parse import chapters_in_name, parse_chapter_list, parse_note
from app.notes.parse.template import is_template, note_template
from app.text.files import human_size

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "notes" / "parse"
MODULES = sorted(PACKAGE.glob("*.py"))
ALLOWED_APP_IMPORTS = ("app.notes.parse", "app.text.files")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_parser_module_is_pure(path):
    for name in _imports(path):
        assert not name.startswith(("flask", "sqlalchemy", "werkzeug")), name
        if name.startswith("app"):
            assert name.startswith(ALLOWED_APP_IMPORTS), name


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_parser_functions_are_short(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            assert node.end_lineno - node.lineno + 1 <= 60, node.name


@pytest.mark.parametrize("chapters", [[3], [4, 5], []])
def test_the_editors_template_is_the_template_for_the_parser_too(chapters):
    text = note_template(chapters)
    assert is_template(text.split("\n"))
    assert parse_note(text, "책/kim/3장.md").skip_reason is not None


def test_a_written_line_is_not_the_template():
    text = note_template([3]).replace("(예: 40분)", "50분", 1)
    assert not is_template(text.split("\n"))


@pytest.mark.parametrize(
    ("text", "names", "editor"),
    [("3", [3], [3]), ("5 - 7", [5, 6, 7], [5, 6, 7]), ("5, 4", [4, 5], [5, 4])],
)
def test_one_chapter_list_reading_for_names_and_the_editor(text, names, editor):
    assert chapters_in_name(f"{text}장")[0] == names
    assert parse_chapter_list(text) == editor


@pytest.mark.parametrize(
    ("size", "shown"),
    [(300, "300 바이트"), (1024, "1 KB"), (1536, "1.5 KB"), (3 * 1024 * 1024, "3 MB")],
)
def test_human_size(size, shown):
    assert human_size(size) == shown
