"""A small real file system for the storage fault tests: tmpfs, mounted and unmounted here."""

from __future__ import annotations

import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_tmpfs(where: Path, size: str = "4m"):
    """Mount a tmpfs of `size` at `where` (skip the test when this machine may not mount)."""
    where.mkdir(parents=True, exist_ok=True)
    mount = shutil.which("mount")
    done = mount and subprocess.run(
        [mount, "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if not done or done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount_read_only(where: Path) -> None:
    """Make a mounted tmpfs read-only (chmod does not bind root; a read-only mount does)."""
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)
