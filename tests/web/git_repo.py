"""A real Git repository built with `git` in a test folder, commits dated on purpose."""

import os
import subprocess
from pathlib import Path


class GitRepo:
    """A working repository under `path` whose commits carry the given dates."""

    def __init__(self, path: Path, branch: str = "main", *, init: bool = True):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        if init:
            self.git("init", "--quiet", f"--initial-branch={branch}")

    @classmethod
    def bare(cls, path) -> "GitRepo":
        """An existing bare repository (a sync's mirror), to run git in."""
        return cls(path, init=False)

    def git(self, *args: str, date: str = "2025-01-01T12:00:00+00:00") -> str:
        """Run git in the repository with a fixed author and the given date."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(
            GIT_AUTHOR_NAME="Kim Chulsoo",
            GIT_AUTHOR_EMAIL="kim@example.com",
            GIT_COMMITTER_NAME="Kim Chulsoo",
            GIT_COMMITTER_EMAIL="kim@example.com",
            GIT_AUTHOR_DATE=date,
            GIT_COMMITTER_DATE=date,
            GIT_CONFIG_NOSYSTEM="1",
            HOME=str(self.path),
        )
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=env, capture_output=True, check=True
        )
        return done.stdout.decode()

    def write(self, relative: str, text: str) -> Path:
        """Write a file (folders made as needed)."""
        path = self.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str, date: str) -> str:
        """Stage everything and commit at `date`; return the commit id."""
        self.git("add", "-A")
        self.git("commit", "--quiet", "--allow-empty", "-m", message, date=date)
        return self.git("rev-parse", "HEAD").strip()
