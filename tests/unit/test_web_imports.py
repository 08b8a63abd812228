"""app/web is the layer under the features: it imports no feature package (issue 12)."""

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "app" / "web"
# What app/web may import from the project: itself, the database and the shared models.
ALLOWED = ("app.web", "app.extensions", "app.models")
PURE = {"paging.py", "query_args.py", "scopes.py"}


def project_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_app_web_imports_no_feature_package():
    for path in WEB.glob("*.py"):
        for name in project_imports(path):
            if name == "app" or name.startswith("app."):
                assert name.startswith(ALLOWED), f"{path.name} imports {name}"


def test_the_pure_modules_import_no_flask_and_no_database():
    for name in PURE:
        imports = project_imports(WEB / name)
        assert not {i for i in imports if i.split(".")[0] in {"flask", "sqlalchemy", "app"}}, name
