"""Debian's `git` command on a bare mirror: fetch, walk commits, read blobs. Pure: no Flask.

Nothing is ever checked out, so a symlink in a repository is only a blob and never followed;
every command runs without a shell, with the repository's own hooks and config ignored."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SYMLINK_MODE = "120000"
SUBMODULE_MODE = "160000"
GIT_TIMEOUT = 300
LOG_FORMAT = "--format=%H%x01%P%x01%an%x01%ae%x01%at"


class GitError(Exception):
    """A git command failed; the message says why, in Korean."""


@dataclass(frozen=True)
class Commit:
    """One commit, as the walk needs it."""

    sha: str
    parent: str | None
    author_name: str
    author_email: str
    authored_at: datetime


@dataclass(frozen=True)
class Change:
    """One file changed by a commit: status A/M/D/R/T/C, modes, blob ids and raw paths."""

    status: str
    old_mode: str
    new_mode: str
    old_blob: str
    new_blob: str
    path: bytes
    old_path: bytes | None = None


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1", LC_ALL="C")
    return env


def run(mirror: Path, *args: str, timeout: int = GIT_TIMEOUT) -> bytes:
    """Run `git args` against the bare mirror and return its standard output."""
    command = ["git", f"--git-dir={mirror}", "-c", "core.hooksPath=/dev/null", *args]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, env=_env())
    except subprocess.TimeoutExpired as error:
        raise GitError(f"git {args[0]} 이(가) {timeout}초 안에 끝나지 않았습니다.") from error
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} 실패: {reason[-1] if reason else done.returncode}")
    return done.stdout


def with_token(url: str, token: str | None) -> str:
    """The https URL with the token as credentials (never stored in the mirror's config)."""
    if not token or not url.startswith("https://"):
        return url
    return "https://x-access-token:" + token + "@" + url.removeprefix("https://")


def fetch(mirror: Path, url: str, branch: str, token: str | None = None) -> str:
    """Create the bare mirror if needed, fetch the branch (forced) and return its head."""
    if not (mirror / "HEAD").exists():
        mirror.mkdir(parents=True, exist_ok=True)
        run(mirror, "init", "--bare", "--quiet")
    ref = f"refs/heads/{branch}"
    try:
        run(mirror, "fetch", "--quiet", "--no-tags", with_token(url, token), f"+{ref}:{ref}")
    except GitError as error:
        message = str(error).replace(token or "\0", "***")
        raise GitError(
            f"원격 저장소에서 '{branch}' 브랜치를 가져올 수 없습니다 "
            f"(주소에 닿을 수 없거나 브랜치가 없습니다): {message}"
        ) from None
    return run(mirror, "rev-parse", "--verify", ref).decode().strip()


def is_ancestor(mirror: Path, old: str, new: str) -> bool:
    """True when `old` is in `new`'s history (no force-push in between)."""
    try:
        run(mirror, "merge-base", "--is-ancestor", old, new)
    except GitError:
        return False
    return True


def merge_base(mirror: Path, old: str, new: str) -> str | None:
    """The newest commit both histories share (after a force-push), or None."""
    try:
        return run(mirror, "merge-base", old, new).decode().strip() or None
    except GitError:
        return None


def commits(mirror: Path, head: str, since: str | None, limit: int) -> list[Commit]:
    """The first-parent commits after `since` up to `head`, oldest first, at most `limit`."""
    spec = [head] if since is None else [head, f"^{since}"]
    out = run(
        mirror,
        "log",
        "--first-parent",
        "--reverse",
        "-z",
        LOG_FORMAT,
        *spec,
    )
    found = []
    for record in out.decode("utf-8", "replace").split("\0"):
        if not record.strip():
            continue
        sha, parents, name, email, stamp = record.strip("\n").split("\x01")
        found.append(
            Commit(
                sha=sha,
                parent=parents.split()[0] if parents else None,
                author_name=name,
                author_email=email,
                authored_at=datetime.fromtimestamp(int(stamp), UTC).replace(tzinfo=None),
            )
        )
        if len(found) >= limit:
            break
    return found


def changes(mirror: Path, commit: Commit) -> list[Change]:
    """What the commit changed against its first parent, with renames detected (-M)."""
    base = [commit.parent, commit.sha] if commit.parent else ["--root", commit.sha]
    out = run(mirror, "diff-tree", "-r", "-M", "-z", "--no-commit-id", "--raw", *base)
    fields = out.split(b"\0")
    found: list[Change] = []
    index = 0
    while index < len(fields) and fields[index].startswith(b":"):
        old_mode, new_mode, old_blob, new_blob, status = fields[index][1:].decode().split(" ")
        if status[0] in "RC":
            old_path, path = fields[index + 1], fields[index + 2]
            index += 3
        else:
            old_path, path = None, fields[index + 1]
            index += 2
        found.append(Change(status[0], old_mode, new_mode, old_blob, new_blob, path, old_path))
    return found


def tree_entry(mirror: Path, commit: str, path: str) -> tuple[str, str] | None:
    """The (mode, blob id) of a regular file at `path` in a commit, or None (missing,
    a folder, a symlink, a submodule)."""
    out = run(mirror, "ls-tree", "-z", commit, "--", path)
    record = out.split(b"\0")[0]
    if not record:
        return None
    mode, kind, blob = record.split(b"\t")[0].decode().split(" ")
    if kind != "blob" or mode not in ("100644", "100755"):
        return None
    return mode, blob


def blob_size(mirror: Path, blob: str) -> int:
    """The size in bytes of a blob, read before the blob itself."""
    return int(run(mirror, "cat-file", "-s", blob).strip())


def read_blob(mirror: Path, blob: str) -> bytes:
    """The bytes of a blob."""
    return run(mirror, "cat-file", "blob", blob)
