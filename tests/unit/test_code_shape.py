"""The code stays readable at once: no function in app/ is longer than 60 lines."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
MAX_LINES = 60


def long_functions() -> list[str]:
    """Every function of the app over MAX_LINES lines, as path:line name (lines)."""
    found = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES:
                    found.append(f"{path.relative_to(APP)}:{node.lineno} {node.name} ({lines})")
    return found


def test_no_function_is_longer_than_sixty_lines():
    assert long_functions() == []
