"""Which paths of a repository are notes, and why others are skipped. Pure: no Flask."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import NamedTuple

from app.notes.walk import MARKDOWN_SUFFIXES


def note_path(raw: bytes, subfolder: str) -> tuple[PurePosixPath | None, str | None]:
    """The path inside the notes folder, or None with a reason (None, None: not a note)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "파일 이름이 UTF-8이 아닙니다"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return None, "파일 이름에 제어 문자가 있습니다"
    path = PurePosixPath(text)
    if subfolder:
        top = PurePosixPath(subfolder.strip("/"))
        if not path.is_relative_to(top):
            return None, None
        path = path.relative_to(top)
    if any(part.startswith(".") or part == ".." for part in path.parts):
        return None, None
    if path.suffix.lower() not in MARKDOWN_SUFFIXES:
        return None, None
    return path, None


def _web_base(url: str) -> tuple[str, str] | None:
    """The https address of a repository's pages and its host, or None."""
    base = url.removesuffix("/").removesuffix(".git")
    if base.startswith("git@"):
        host, _, rest = base.removeprefix("git@").partition(":")
        base = f"https://{host}/{rest}"
    if not base.startswith("https://"):
        return None
    host = base.removeprefix("https://").split("/")[0].split("@")[-1]
    return "https://" + host + "/" + "/".join(base.removeprefix("https://").split("/")[1:]), host


class Host(NamedTuple):
    """A kind of host: its name in a link's text, and the page of a file and of a commit."""

    label: str
    file_page: str
    commit_page: str


HOSTS = {
    "gitlab": Host("GitLab", "/-/blob/{commit}/{path}", "/-/commit/{commit}"),
    "gitea": Host("Gitea", "/src/commit/{commit}/{path}", "/commit/{commit}"),
    "github": Host("GitHub", "/blob/{commit}/{path}", "/commit/{commit}"),
}


def _host_kind(url: str) -> tuple[str, Host] | None:
    """The repository's https pages and its kind of host, or None for other hosts."""
    found = _web_base(url)
    if found is None:
        return None
    base, host = found
    if "gitlab" in host:
        return base, HOSTS["gitlab"]
    if "gitea" in host or "codeberg" in host:
        return base, HOSTS["gitea"]
    return (base, HOSTS["github"]) if "github" in host else None


def web_link(url: str, branch_commit: str, path: str) -> str | None:
    """The page of a file at a commit on GitHub, GitLab or Gitea (None for other hosts)."""
    found = _host_kind(url)
    return found[0] + found[1].file_page.format(commit=branch_commit, path=path) if found else None


def commit_link(url: str, commit: str) -> str | None:
    """The page of a commit on GitHub, GitLab or Gitea (None for other hosts)."""
    found = _host_kind(url)
    return found[0] + found[1].commit_page.format(commit=commit) if found else None


def host_label(url: str) -> str:
    """The host's name for a link's text: GitHub, GitLab or Gitea (GitHub when unknown)."""
    found = _host_kind(url)
    return found[1].label if found else HOSTS["github"].label
