"""The repository holds source, not data: no tracked file is large or generated."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LARGEST_TRACKED_BYTES = 1024 * 1024  # the biggest vendored file (axe-core) is 640 KB
GENERATED_SUFFIXES = (".sqlite3", ".sqlite", ".db", ".png", ".pack", ".pyc")


def _tracked_files() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout, so there is no list of tracked files")
    listing = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True
    ).stdout.decode()
    return [ROOT / name for name in listing.split("\0") if name]


def test_no_tracked_file_is_over_a_megabyte():
    """A test run's databases, clusters or repositories never end up committed."""
    large = [
        str(path.relative_to(ROOT))
        for path in _tracked_files()
        if path.is_file() and path.stat().st_size > LARGEST_TRACKED_BYTES
    ]
    assert large == []


def test_no_generated_file_is_tracked():
    """Databases, screenshots and compiled files are made again, never stored."""
    generated = [
        str(path.relative_to(ROOT))
        for path in _tracked_files()
        if path.suffix in GENERATED_SUFFIXES
    ]
    assert generated == []
