"""Reads for repositories."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Note, NoteVersion, Repository
from app.repos.paths import commit_link, host_label, web_link


def all_repositories() -> list[Repository]:
    """Every repository, by name."""
    return list(db.session.execute(select(Repository).order_by(Repository.name)).scalars())


def repository_named(name: str) -> Repository | None:
    """The repository with this name, or None."""
    return db.session.execute(
        select(Repository).where(Repository.name == name)
    ).scalar_one_or_none()


def note_source_link(note: Note) -> tuple[str, str] | None:
    """(host name, address) of the note's file at its latest commit on GitHub/GitLab/Gitea."""
    if note.repository_id is None:
        return None
    repo = db.session.get(Repository, note.repository_id)
    commit = db.session.execute(
        select(NoteVersion.commit_id)
        .where(NoteVersion.note_id == note.id, NoteVersion.commit_id.is_not(None))
        .order_by(NoteVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()
    if repo is None or commit is None:
        return None
    path = "/".join(p for p in (repo.subfolder, note.book.title, note.source_key) if p)
    link = web_link(repo.url, commit, path)
    return (host_label(repo.url), link) if link else None


def version_commit_link(note: Note, version: NoteVersion) -> str | None:
    """The page of the commit a version came from, or None."""
    if note.repository_id is None or not version.commit_id:
        return None
    repo = db.session.get(Repository, note.repository_id)
    return commit_link(repo.url, version.commit_id) if repo else None
