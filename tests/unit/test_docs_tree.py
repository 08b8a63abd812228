"""The README's "What is where" table and docs/ARCHITECTURE.md's package table match the tree:
every path they name exists, and every package and module at the top of app/ has a row."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLES = {"README.md": "## What is where", "docs/ARCHITECTURE.md": "## The packages"}


def table_rows(document: str, heading: str) -> list[tuple[list[str], str]]:
    """(the paths of the first column, the rest of the row) of the table under a heading."""
    text = (ROOT / document).read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    rows = []
    for line in section.splitlines()[1:]:
        if rows and not line.startswith("|"):
            break
        cells = line.split("|")
        if len(cells) < 3 or set(cells[1].strip()) <= {"-"}:
            continue
        paths = re.findall(r"`([^`]+)`", cells[1])
        if paths:
            rows.append((paths, "|".join(cells[2:])))
    return rows


def named_files(paths: list[str], rest: str) -> list[Path]:
    """The files and folders a row's description names, as paths in the tree: full paths
    as written, bare names (`stats.py`, `parse/`) inside the row's own folder."""
    folder = ROOT / paths[0] if paths[0].endswith("/") else None
    found = []
    for name in re.findall(r"`([^`\s]+)`", rest):
        if name.startswith("/") or not re.search(r"(\.py|\.md|\.html|/)$", name):
            continue  # a URL, a command, a class
        if "/" in name.rstrip("/") or folder is None:
            found.append(ROOT / name)
        else:
            found.append(folder / name)
    return found


@pytest.mark.parametrize("document", sorted(TABLES))
def test_every_path_the_table_names_exists(document):
    missing = []
    for paths, rest in table_rows(document, TABLES[document]):
        for path in [ROOT / p for p in paths] + named_files(paths, rest):
            if not path.exists():
                missing.append(str(path.relative_to(ROOT)))
    assert missing == []


@pytest.mark.parametrize("document", sorted(TABLES))
def test_every_package_of_the_app_has_a_row(document):
    listed = {p.rstrip("/") for paths, _ in table_rows(document, TABLES[document]) for p in paths}
    packages = {
        f"app/{path.name}"
        for path in (ROOT / "app").iterdir()
        if path.is_dir() and (path / "__init__.py").exists()
    }
    assert sorted(packages - listed) == []


def test_every_top_level_module_of_the_app_has_a_readme_row():
    listed = {p for paths, _ in table_rows("README.md", TABLES["README.md"]) for p in paths}
    modules = {f"app/{path.name}" for path in (ROOT / "app").glob("*.py")}
    assert sorted(modules - listed) == []
