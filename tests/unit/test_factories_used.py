"""Every test builds members, books, notes and threads through tests/factories.py."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROWS = re.compile(r"(?<![\w.])(Member|Book|Chapter|Note|NoteChapter|Question|Answer|Rating|Vote)\(")
# Pure permission rules take a Member that never reaches the database.
IN_MEMORY = {"unit/test_permissions.py"}


def test_no_test_constructs_the_factories_rows_inline():
    inline = []
    for path in sorted(TESTS.rglob("*.py")):
        name = path.relative_to(TESTS).as_posix()
        if name in IN_MEMORY or name in ("factories.py", "unit/test_factories_used.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROWS.search(line):
                inline.append(f"{name}:{number}: {line.strip()}")
    assert inline == []
