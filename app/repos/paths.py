"""Which paths of a repository are notes, and why others are skipped. Pure: no Flask."""

from __future__ import annotations

from pathlib import PurePosixPath

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


def web_link(url: str, branch_commit: str, path: str) -> str | None:
    """The page of a file at a commit on GitHub, GitLab or Gitea (None for other hosts)."""
    found = _web_base(url)
    if found is None:
        return None
    base, host = found
    if "gitlab" in host:
        return f"{base}/-/blob/{branch_commit}/{path}"
    if "gitea" in host or "codeberg" in host:
        return f"{base}/src/commit/{branch_commit}/{path}"
    if "github" in host:
        return f"{base}/blob/{branch_commit}/{path}"
    return None


def commit_link(url: str, commit: str) -> str | None:
    """The page of a commit on GitHub, GitLab or Gitea (None for other hosts)."""
    found = _web_base(url)
    if found is None:
        return None
    base, host = found
    if "gitlab" in host:
        return f"{base}/-/commit/{commit}"
    if "github" in host or "gitea" in host or "codeberg" in host:
        return f"{base}/commit/{commit}"
    return None


def host_label(url: str) -> str:
    """The host's name for a link's text: GitHub, GitLab or Gitea."""
    found = _web_base(url)
    host = found[1] if found else ""
    if "gitlab" in host:
        return "GitLab"
    if "gitea" in host or "codeberg" in host:
        return "Gitea"
    return "GitHub"
