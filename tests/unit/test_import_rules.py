"""The import rules of docs/ARCHITECTURE.md, read from the source with `ast`: shared and pure
code imports no feature, and a feature uses another only through its public modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
FEATURES = {
    *("notes", "board", "ratings", "search", "auth", "repos", "schedule", "mail", "feeds"),
    *("api", "backup", "transfer"),
}
# A feature's own wiring: no other feature may import these modules of it.
PRIVATE_MODULES = {"views", "cli", "forms"}
SHARED = {"text", "web"}
# Pure code: no Flask, no database, no feature package (tested as input -> output tables).
PURE = [
    "text/markdown.py",
    "text/pathological.py",
    "text/files.py",
    "text/known.py",
    "notes/walk.py",
    "board/matching.py",
    "ratings/stats.py",
    "ratings/charts.py",
    "ratings/heatmap.py",
    "auth/names.py",
    "backup/sqlite.py",
    "repos/git.py",
    "repos/paths.py",
    "repos/hooks.py",
    "web/scopes.py",
]
PURE_PACKAGES = ["notes/parse"]
IMPURE_ROOTS = {"flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "sqlalchemy"}


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) of every import in a file, inside functions too."""
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def feature_of(module: str) -> str | None:
    """The feature package a dotted module name lies in, if any."""
    parts = module.split(".")
    return parts[1] if parts[0] == "app" and len(parts) > 1 and parts[1] in FEATURES else None


def package_of(path: Path) -> str | None:
    """The app package a file belongs to (`notes` for app/notes/x.py); None for app/x.py."""
    parts = path.relative_to(APP).parts
    return parts[0] if len(parts) > 1 else None


def app_files() -> list[Path]:
    """Every Python file of the app."""
    return sorted(APP.rglob("*.py"))


def test_the_rules_see_the_whole_app():
    packages = {package_of(path) for path in app_files()} - {None}
    assert packages <= FEATURES | SHARED, "a new package: add it to FEATURES or SHARED"
    assert {"notes", "board", "web", "text"} <= packages


@pytest.mark.parametrize("path", app_files(), ids=lambda p: str(p.relative_to(APP)))
def test_no_module_reaches_into_another_features_wiring_or_privates(path):
    own = package_of(path)
    wrong = []
    for module, names in imports(path):
        parts = module.split(".")
        if parts[0] != "app" or len(parts) < 2 or parts[1] == own:
            continue
        if parts[1] in FEATURES and own is not None:
            if len(parts) > 2 and parts[2] in PRIVATE_MODULES:
                wrong.append(f"{module} (another feature's {parts[2]})")
            wrong += [f"{module}.{name} (private)" for name in names if name.startswith("_")]
    assert wrong == []


@pytest.mark.parametrize("package", sorted(SHARED))
def test_shared_packages_import_no_feature(package):
    wrong = [
        f"{path.relative_to(APP)}: {module}"
        for path in (APP / package).rglob("*.py")
        for module, _names in imports(path)
        if feature_of(module) is not None
    ]
    assert wrong == []


def pure_files() -> list[Path]:
    """The pure modules (each of PURE, and every module of PURE_PACKAGES)."""
    files = [APP / name for name in PURE]
    for package in PURE_PACKAGES:
        files += sorted((APP / package).glob("*.py"))
    return files


def test_every_pure_module_named_exists():
    assert [name for name in PURE if not (APP / name).exists()] == []


@pytest.mark.parametrize("path", pure_files(), ids=lambda p: str(p.relative_to(APP)))
def test_pure_modules_import_no_flask_database_or_feature(path):
    pure = {".".join(("app", *p.relative_to(APP).with_suffix("").parts)) for p in pure_files()}
    pure |= {name.removesuffix(".__init__") for name in pure}
    wrong = [
        module
        for module, _names in imports(path)
        if module.split(".")[0] in IMPURE_ROOTS
        or module in {"app.extensions", "app.models"}
        or (feature_of(module) is not None and module not in pure)
    ]
    assert wrong == []
