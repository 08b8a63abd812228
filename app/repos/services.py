"""Writes for repositories: add, remove, and sync commit by commit into the notes."""

from __future__ import annotations

import contextlib
import posixpath
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from flask import Flask
from sqlalchemy import select, update

from app.books import get_or_create_book
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db, refresh_planner_statistics
from app.models import Book, GitIdentity, Member, Note, NoteVersion, Repository, utcnow
from app.notes.importer import book_and_key
from app.notes.parse import NoteReadError, decode_note, parse_note, too_large_error
from app.notes.services import (
    MAX_IMAGE_BYTES,
    content_hash,
    get_or_create_member,
    redate_saved_note,
    save_note,
)
from app.repos import git
from app.repos.paths import note_path

MAX_COMMITS_PER_SYNC = 2000


@dataclass
class SyncReport:
    """What one sync did."""

    commits: int = 0
    saved: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    up_to_date: bool = False
    more: bool = False
    rewalk: bool = False


def mirror_path(repos_root: str, repo: Repository) -> Path:
    """Where the bare mirror of a repository lives (REPOS_PATH, by default instance/repos)."""
    return Path(repos_root) / f"{repo.id}.git"


def add_repository(
    name: str,
    url: str,
    *,
    branch: str = "main",
    subfolder: str = "",
    secret: str | None = None,
    token: str | None = None,
) -> tuple[Repository, str]:
    """Register a repository and commit; returns it with its webhook secret."""
    name = name.strip()
    if not name or "/" in name:
        raise Invalid("저장소 이름이 비어 있거나 '/'를 포함합니다.", "name")
    if db.session.execute(select(Repository).where(Repository.name == name)).first():
        raise Conflict(f"이미 있는 저장소 이름입니다: {name}", "name")
    if url.startswith("-"):
        raise Invalid("저장소 주소가 올바르지 않습니다.", "url")
    secret = secret or secrets.token_urlsafe(32)
    repo = Repository(
        name=name,
        url=url,
        branch=branch,
        subfolder=subfolder.strip("/"),
        secret=secret,
        token=token or None,
    )
    db.session.add(repo)
    db.session.commit()
    return repo, secret


def remove_repository(repo: Repository, repos_root: str) -> None:
    """Forget a repository and its mirror (its notes stay, no longer synced) and commit."""
    mirror = mirror_path(repos_root, repo)
    db.session.delete(repo)
    db.session.commit()
    shutil.rmtree(mirror, ignore_errors=True)


def link_identity(email: str, member_name: str) -> GitIdentity:
    """Link a commit author's e-mail to a member (replacing an earlier link) and commit;
    versions synced afterwards are credited to that member."""
    email = email.strip().lower()
    if "@" not in email:
        raise Invalid("전자우편 주소가 올바르지 않습니다.", "email")
    member = db.session.execute(
        select(Member).where(Member.name == member_name.strip())
    ).scalar_one_or_none()
    if member is None:
        raise NotFound(f"없는 멤버입니다: {member_name}")
    identity = db.session.execute(
        select(GitIdentity).where(GitIdentity.email == email)
    ).scalar_one_or_none() or GitIdentity(email=email)
    identity.member_id = member.id
    db.session.add(identity)
    db.session.flush()
    db.session.execute(
        update(NoteVersion)
        .where(NoteVersion.author_email == email, NoteVersion.author_id.is_(None))
        .values(author_id=member.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return identity


def sync_repository(
    repo: Repository, repos_root: str, max_bytes: int, max_commits: int = MAX_COMMITS_PER_SYNC
) -> SyncReport:
    """Fetch the branch and import the new commits (at most `max_commits`), each in its own
    transaction."""
    report = SyncReport()
    mirror = mirror_path(repos_root, repo)
    try:
        head = git.fetch(mirror, repo.url, repo.branch, repo.token)
    except git.GitError as error:
        _record(repo, str(error))
        # The remote refused or did not answer: the mirror cannot follow it for now.
        raise Conflict(str(error)) from None
    if repo.last_commit == head:
        report.up_to_date = True
        _record(repo, None)
        return report
    since = repo.last_commit
    if since and not git.is_ancestor(mirror, since, head):
        # Force-pushed: walk from the shared history; texts already seen make no version.
        since = git.merge_base(mirror, since, head)
        report.rewalk = True
    walk = git.commits(mirror, head, since, max_commits + 1)
    report.more = len(walk) > max_commits
    for commit in walk[:max_commits]:
        try:
            _import_commit(repo, mirror, commit, max_bytes, report)
            repo.last_commit = commit.sha
            db.session.commit()
        except Exception as error:  # stop here; the next sync resumes at this commit
            db.session.rollback()
            report.error = f"커밋 {commit.sha[:10]}에서 멈췄습니다: {error}"
            break
        report.commits += 1
    _record(repo, report.error)
    if report.commits:
        refresh_planner_statistics()
    return report


def _record(repo: Repository, error: str | None) -> None:
    repo.last_synced_at = utcnow()
    repo.last_error = error
    db.session.commit()


def _import_commit(
    repo: Repository, mirror: Path, commit: git.Commit, max_bytes: int, report: SyncReport
) -> None:
    for change in git.changes(mirror, commit):
        path, reason = note_path(change.path, repo.subfolder)
        shown = change.path.decode("utf-8", "replace")
        if reason:
            report.skipped.append((shown, reason))
            continue
        if path is None:
            continue
        if change.status == "D":
            _delete(repo, path, commit, report)
            continue
        if change.new_mode == git.SYMLINK_MODE:
            report.skipped.append((shown, "심볼릭 링크는 읽지 않습니다"))
            continue
        if change.new_mode == git.SUBMODULE_MODE:
            report.skipped.append((shown, "서브모듈은 읽지 않습니다"))
            continue
        if change.status == "R" and change.old_path is not None:
            old, _ = note_path(change.old_path, repo.subfolder)
            if old is not None and _rename(old, path):
                report.renamed.append(f"{old} → {path}")
        _save(repo, mirror, change, path, commit, max_bytes, report)


def _note_at(path: PurePosixPath) -> Note | None:
    book_title, key = book_and_key(path, None)
    if book_title is None:
        return None
    return db.session.execute(
        select(Note)
        .join(Book, Note.book_id == Book.id)
        .where(Book.title == book_title, Note.source_key == key)
    ).scalar_one_or_none()


def _rename(old: PurePosixPath, new: PurePosixPath) -> bool:
    """Move the note at `old` to `new` (same book), keeping its threads and versions."""
    note = _note_at(old)
    if note is None or old.parts[0] != new.parts[0] or _note_at(new) is not None:
        return False
    note.source_key = book_and_key(new, None)[1]
    db.session.flush()
    return True


def _delete(repo: Repository, path: PurePosixPath, commit: git.Commit, report: SyncReport) -> None:
    from app.board.services import sync_note_questions

    note = _note_at(path)
    if note is None or note.deleted_at is not None:
        return
    note.deleted_at = commit.authored_at
    sync_note_questions(note, [], None)
    report.deleted.append(str(path))


def _save(
    repo: Repository,
    mirror: Path,
    change: git.Change,
    path: PurePosixPath,
    commit: git.Commit,
    max_bytes: int,
    report: SyncReport,
) -> None:
    shown = str(path)
    size = git.blob_size(mirror, change.new_blob)
    if size > max_bytes:
        report.skipped.append((shown, too_large_error(size, max_bytes).reason))
        return
    try:
        text = decode_note(git.read_blob(mirror, change.new_blob), max_bytes)
    except NoteReadError as error:
        report.skipped.append((shown, error.reason))
        return
    parsed = parse_note(text, path)
    if parsed.skip_reason or not parsed.book or not parsed.member:
        report.skipped.append((shown, parsed.skip_reason or "책이나 작성자를 알 수 없습니다"))
        return
    book_title, key = book_and_key(path, None)
    started = utcnow()
    note = _note_at(path)
    if report.rewalk and note is not None and _seen(note, text):
        return
    if note is not None and note.deleted_at is not None and note.content_hash == content_hash(text):
        note.deleted_at = None  # the file came back unchanged
    result = save_note(
        book=get_or_create_book(book_title or parsed.book),
        member=get_or_create_member(parsed.member),
        source_key=key,
        text=text,
        parsed=parsed,
        read_image=_image_reader(mirror, commit.sha, change.path.decode("utf-8")),
    )
    note = result.note
    note.repository_id = repo.id
    if result.status == "unchanged":
        return
    note.deleted_at = None
    _date_note(note, commit, started, new=result.status == "new")
    report.saved.append(shown)


def _image_reader(
    mirror: Path, commit: str, note_path_in_repo: str
) -> Callable[[str], bytes | None]:
    """Read an image a note links to from the same commit's tree (never outside it)."""

    def read_image(link: str) -> bytes | None:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(note_path_in_repo), link))
        if link.startswith("/") or joined.startswith("..") or "\0" in joined:
            return None
        try:
            entry = git.tree_entry(mirror, commit, joined)
            if entry is None or git.blob_size(mirror, entry[1]) > MAX_IMAGE_BYTES:
                return None
            return git.read_blob(mirror, entry[1])
        except git.GitError:
            return None

    return read_image


def _seen(note: Note, text: str) -> bool:
    """True when one of the note's versions already has this text (a re-walked commit)."""
    digest = content_hash(text)
    return any(version.content_hash == digest for version in note.versions)


def _date_note(note: Note, commit: git.Commit, started: datetime, *, new: bool) -> None:
    """Give the note, its new version, questions and scores the commit's date and author."""
    redate_saved_note(note, commit.authored_at, started, new=new)
    version = db.session.execute(
        select(NoteVersion).where(
            NoteVersion.note_id == note.id, NoteVersion.number == note.version_count
        )
    ).scalar_one()
    version.commit_id = commit.sha
    version.author_name = commit.author_name[:200]
    version.author_email = commit.author_email[:320]
    version.author_id = db.session.execute(
        select(GitIdentity.member_id).where(GitIdentity.email == commit.author_email.lower())
    ).scalar_one_or_none()
    db.session.flush()


# --- background syncs from webhooks ----------------------------------------------------------

_locks: dict[int, threading.Lock] = {}
_pending: set[int] = set()
_guard = threading.Lock()


def request_sync(app: Flask, repo_id: int) -> None:
    """Sync the repository in a background thread; pushes during a sync coalesce into one more."""
    with _guard:
        lock = _locks.setdefault(repo_id, threading.Lock())
        if lock.locked():
            _pending.add(repo_id)
            return
        lock.acquire()
    name = f"repo-sync-{repo_id}"
    threading.Thread(target=_sync_loop, args=(app, repo_id, lock), name=name, daemon=True).start()


def wait_idle(repo_id: int, timeout: float = 30) -> bool:
    """Wait until no background sync runs for the repository; False on timeout."""
    lock = _locks.get(repo_id)
    if lock is None or not lock.acquire(timeout=timeout):
        return lock is None
    lock.release()
    return True


def _sync_loop(app: Flask, repo_id: int, lock: threading.Lock) -> None:
    try:
        while True:
            with app.app_context():
                repo = db.session.get(Repository, repo_id)
                if repo is not None:
                    with contextlib.suppress(Conflict):  # recorded on the repository
                        sync_repository(
                            repo, app.config["REPOS_PATH"], app.config["MAX_NOTE_BYTES"]
                        )
                db.session.remove()
            with _guard:
                if repo_id not in _pending:
                    lock.release()
                    return
                _pending.discard(repo_id)
    except BaseException:
        lock.release()
        raise
