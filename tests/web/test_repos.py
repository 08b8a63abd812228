"""Git repositories as note sources: real repositories built with `git`, synced commit by commit."""

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Book, Note, NoteVersion, Question, RatingEvent, Repository
from app.repos.services import add_repository, sync_repository, wait_idle
from tests import factories
from tests.web.git_repo import GitRepo
from tests.web.helpers import NOTE_TEMPLATE

MAX = 2 * 1024 * 1024
JAN = "2025-01-05T10:00:00+00:00"
FEB = "2025-02-07T11:30:00+00:00"
MAR = "2025-03-09T09:15:00+00:00"


def note_text(member="김철수", chapter=1, minutes=10, score=3, extra=""):
    """A templated note."""
    return (
        NOTE_TEMPLATE.format(member=member, chapter=chapter, minutes=minutes, score=score) + extra
    )


@pytest.fixture(autouse=True)
def _mirrors_in_tmp(app, tmp_path):
    """Each test's mirrors live in its own folder, never in the project's instance/."""
    app.config["REPOS_PATH"] = str(tmp_path / "mirrors")


@pytest.fixture
def origin(tmp_path):
    """A repository with one note committed in January."""
    repo = GitRepo(tmp_path / "origin")
    repo.write("책/김철수/[1장] 제목 1.md", note_text())
    repo.commit("first", JAN)
    return repo


def register(origin, name="notes", **options):
    repo, secret = add_repository(name, str(origin.path), **options)
    return repo, secret


def sync(app, repo):
    return sync_repository(repo, app.config["REPOS_PATH"], app.config["MAX_NOTE_BYTES"])


def only_note():
    return db.session.execute(select(Note)).scalar_one()


def test_first_sync_dates_note_version_question_and_rating_by_the_commit(app, origin):
    commit = origin.git("rev-parse", "HEAD").strip()
    repo, _ = register(origin)
    report = sync(app, repo)
    assert report.commits == 1 and report.saved == ["책/김철수/[1장] 제목 1.md"]
    note = only_note()
    assert note.created_at == note.updated_at == datetime(2025, 1, 5, 10, 0)
    version = note.versions[0]
    assert (version.commit_id, version.author_name, version.author_email) == (
        commit,
        "Kim Chulsoo",
        "kim@example.com",
    )
    assert version.created_at == datetime(2025, 1, 5, 10, 0)
    question = db.session.execute(select(Question)).scalar_one()
    assert question.created_at == datetime(2025, 1, 5, 10, 0)
    event = db.session.execute(select(RatingEvent)).scalar_one()
    assert event.created_at == datetime(2025, 1, 5, 10, 0)
    assert repo.last_commit == commit and repo.last_error is None


def test_one_version_per_changing_commit_and_second_sync_does_nothing(app, origin, runner):
    origin.write("책/김철수/[1장] 제목 1.md", note_text(minutes=20))
    origin.commit("edit", FEB)
    origin.write("README.txt", "not a note")
    origin.commit("readme only", MAR)
    register(origin)
    result = runner.invoke(args=["repo", "sync", "notes"])
    assert result.exit_code == 0, result.output
    note = only_note()
    assert [v.created_at.month for v in note.versions] == [1, 2]
    assert note.updated_at == datetime(2025, 2, 7, 11, 30)
    started = time.perf_counter()
    again = runner.invoke(args=["repo", "sync"])
    assert again.exit_code == 0 and "새 커밋이 없습니다" in again.output
    assert time.perf_counter() - started < 1
    assert db.session.execute(select(func.count(NoteVersion.id))).scalar_one() == 2


def test_later_sync_walks_only_new_commits(app, origin):
    repo, _ = register(origin)
    sync(app, repo)
    origin.write("책/김철수/[1장] 제목 1.md", note_text(minutes=30))
    origin.commit("edit", FEB)
    report = sync(app, repo)
    assert report.commits == 1 and report.saved
    assert only_note().version_count == 2


def test_rename_keeps_the_note_and_its_threads(app, origin):
    repo, _ = register(origin)
    sync(app, repo)
    note_id, question_id = only_note().id, db.session.execute(select(Question.id)).scalar_one()
    origin.git("mv", "책/김철수/[1장] 제목 1.md", "책/김철수/[1장] 새 제목.md")
    origin.commit("rename", FEB)
    report = sync(app, repo)
    assert report.renamed
    note = only_note()
    assert note.id == note_id and note.source_key == "김철수/[1장] 새 제목.md"
    assert db.session.execute(select(Question.id)).scalar_one() == question_id
    assert note.version_count == 1  # same text: no new version


def test_delete_marks_the_note_deleted_and_keeps_its_threads(app, origin):
    repo, _ = register(origin)
    sync(app, repo)
    origin.git("rm", "--quiet", "책/김철수/[1장] 제목 1.md")
    origin.commit("delete", FEB)
    report = sync(app, repo)
    assert report.deleted == ["책/김철수/[1장] 제목 1.md"]
    note = only_note()
    assert note.deleted_at == datetime(2025, 2, 7, 11, 30)
    question = db.session.execute(select(Question)).scalar_one()
    assert question.removed_from_note


def test_force_push_is_rewalked_without_duplicate_versions(app, origin, tmp_path):
    origin.write("책/김철수/[1장] 제목 1.md", note_text(minutes=20))
    origin.commit("edit", FEB)
    repo, _ = register(origin)
    sync(app, repo)
    origin.git("reset", "--quiet", "--hard", "HEAD~1")
    origin.write("책/김철수/[1장] 제목 1.md", note_text(minutes=20))
    origin.write("책/이영희/[1장] 제목 1.md", note_text(member="이영희"))
    origin.commit("rewritten", MAR)
    report = sync(app, repo)
    assert report.error is None
    kim = db.session.execute(select(Note).where(Note.source_key.like("김철수/%"))).scalar_one()
    assert kim.version_count == 2
    assert db.session.execute(select(func.count(Note.id))).scalar_one() == 2


def test_hostile_entries_are_skipped_with_reasons(app, origin, tmp_path):
    (origin.path / "책" / "김철수" / "[2장] 링크.md").symlink_to("/etc/passwd")
    origin.write("책/김철수/[3장] 큰 노트.md", "x" * 3000)
    origin.write("책/김철수/[4장] 제어\x01문자.md", note_text(chapter=4))
    origin.commit("hostile", FEB)
    repo, _ = register(origin)
    app.config["MAX_NOTE_BYTES"] = 2000
    report = sync(app, repo)
    reasons = dict(report.skipped)
    assert "심볼릭 링크" in reasons["책/김철수/[2장] 링크.md"]
    assert "너무 큽니다" in reasons["책/김철수/[3장] 큰 노트.md"]
    assert any("제어 문자" in reason for reason in reasons.values())
    assert db.session.execute(select(func.count(Note.id))).scalar_one() == 1
    assert "root:" not in "".join(db.session.execute(select(Note.source)).scalars())


def test_unreachable_remote_exits_1_with_a_clear_message(app, runner, tmp_path):
    add_repository("gone", str(tmp_path / "nowhere"))
    result = runner.invoke(args=["repo", "sync", "gone"])
    assert result.exit_code == 1
    assert "가져올 수 없습니다" in result.output
    assert db.session.execute(select(Repository.last_error)).scalar_one()


def test_missing_branch_exits_1(app, runner, origin):
    register(origin, branch="nope")
    result = runner.invoke(args=["repo", "sync", "notes"])
    assert result.exit_code == 1 and "'nope' 브랜치" in result.output


def test_add_prints_secret_once_and_list_remove(app, runner, origin):
    result = runner.invoke(args=["repo", "add", "notes", str(origin.path)])
    assert result.exit_code == 0 and "웹훅 비밀" in result.output
    secret = db.session.execute(select(Repository.secret)).scalar_one()
    assert secret in result.output
    assert secret not in runner.invoke(args=["repo", "list"]).output
    runner.invoke(args=["repo", "sync"])
    repo_id = db.session.execute(select(Repository.id)).scalar_one()
    mirror = Path(app.config["REPOS_PATH"]) / f"{repo_id}.git"
    assert mirror.is_dir()
    assert runner.invoke(args=["repo", "remove", "notes"]).exit_code == 0
    assert not mirror.exists()
    db.session.expire_all()
    assert db.session.execute(select(func.count(Repository.id))).scalar_one() == 0
    assert only_note().repository_id is None


def test_secret_from_stdin(app, runner, origin):
    result = runner.invoke(
        args=["repo", "add", "notes", str(origin.path), "--secret-stdin"], input="s3cret\n"
    )
    assert result.exit_code == 0 and "s3cret" not in result.output
    assert db.session.execute(select(Repository.secret)).scalar_one() == "s3cret"


def github_headers(secret, body):
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "X-GitHub-Event": "push"}


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_signed_push_syncs_in_the_background(app, client, origin):
    repo, secret = register(origin)
    sync(app, repo)
    origin.write("책/김철수/[1장] 제목 1.md", note_text(minutes=45))
    origin.commit("edit", FEB)
    body = json.dumps({"ref": "refs/heads/main"}).encode()
    response = client.post("/hooks/git/notes", data=body, headers=github_headers(secret, body))
    assert response.status_code == 202
    assert wait_idle(repo.id)
    assert wait_for(lambda: only_note().version_count == 2)


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Hub-Signature-256": "sha256=00"}, {"X-Gitlab-Token": "wrong"}],
)
def test_bad_signature_is_401_and_changes_nothing(app, client, origin, headers):
    repo, _ = register(origin)
    body = json.dumps({"ref": "refs/heads/main"}).encode()
    response = client.post("/hooks/git/notes", data=body, headers=headers)
    assert response.status_code == 401
    time.sleep(0.2)
    db.session.expire_all()
    assert db.session.get(Repository, repo.id).last_synced_at is None
    assert db.session.execute(select(func.count(Note.id))).scalar_one() == 0


def test_gitlab_and_gitea_signatures_and_other_branch_ignored(app, client, origin):
    repo, secret = register(origin)
    other = json.dumps({"ref": "refs/heads/dev"}).encode()
    response = client.post("/hooks/git/notes", data=other, headers={"X-Gitlab-Token": secret})
    assert response.status_code == 200
    body = json.dumps({"ref": "refs/heads/main"}).encode()
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    response = client.post("/hooks/git/notes", data=body, headers={"X-Gitea-Signature": digest})
    assert response.status_code == 202
    assert wait_idle(repo.id)
    assert wait_for(lambda: db.session.execute(select(func.count(Note.id))).scalar_one() == 1)


def test_note_page_links_to_github_at_its_commit(app, client, origin):
    repo, _ = register(origin)
    sync(app, repo)
    repo.url = "https://github.com/group/notes.git"
    db.session.commit()
    note = only_note()
    page = client.get(f"/notes/{note.id}").get_data(as_text=True)
    commit = note.versions[0].commit_id
    assert "GitHub에서 보기" in page
    assert f"https://github.com/group/notes/blob/{commit}/" in page
    version_page = client.get(f"/notes/{note.id}/versions/1").get_data(as_text=True)
    assert f"https://github.com/group/notes/commit/{commit}" in version_page


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("git@gitlab.com:g/n.git", "https://gitlab.com/g/n/-/blob/c1/a/b.md"),
        ("https://gitea.example.org/g/n", "https://gitea.example.org/g/n/src/commit/c1/a/b.md"),
        ("https://tok@github.com/g/n.git", "https://github.com/g/n/blob/c1/a/b.md"),
        ("file:///srv/notes.git", None),
    ],
)
def test_web_links_for_hosts(url, expected):
    from app.repos.paths import web_link

    assert web_link(url, "c1", "a/b.md") == expected


def test_corpus_history_becomes_dated_versions(app, corpus, tmp_path):
    """Tech-Books__history's earlier versions are committed first, then the real notes."""
    history = corpus / "real" / "Tech-Books__history"
    if not history.is_dir():
        pytest.skip(f"no earlier versions at {history}")
    origin = GitRepo(tmp_path / "corpus-origin")
    folders = sorted(p for p in history.iterdir() if p.is_dir())
    for day, folder in enumerate(folders):
        _copy_tree(folder, origin.path)
        origin.commit(folder.name, f"2024-12-{1 + day % 28:02d}T09:00:00+00:00")
    origin.git("rm", "-r", "--quiet", ".")  # the tree at HEAD is exactly Tech-Books
    _copy_tree(corpus / "real" / "Tech-Books", origin.path)
    origin.commit("the notes", "2025-03-23T09:00:00+00:00")
    repo, _ = register(origin)
    report = sync(app, repo)
    assert report.error is None, report.error
    earlier = db.session.execute(
        select(func.count(NoteVersion.id))
        .where(NoteVersion.number == 1, Note.version_count > 1)
        .join(Note, Note.id == NoteVersion.note_id)
    ).scalar_one()
    assert earlier >= 1
    questions = (
        db.session.execute(select(Question.created_at).where(Question.removed_from_note.is_(False)))
        .scalars()
        .all()
    )
    assert len(questions) == 129  # drafts' questions dropped later stay, marked removed
    assert all(q.year in (2024, 2025) for q in questions)
    assert db.session.execute(select(func.count(Book.id))).scalar_one() >= 1
    started = time.perf_counter()
    assert sync(app, repo).up_to_date
    assert time.perf_counter() - started < 1


def _copy_tree(source, target):
    import shutil

    for path in source.rglob("*"):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(source).parts):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def test_folder_import_dates_notes_and_questions_by_file_time(app, tmp_path):
    import os

    from app.notes.importer import import_path
    from tests.web.helpers import write_note

    path = write_note(tmp_path / "folder", "책", "김철수", 1)
    stamp = datetime(2024, 12, 20, 8, 30).timestamp()
    os.utime(path, (stamp, stamp))
    import_path(tmp_path / "folder", max_bytes=MAX)
    note = only_note()
    written = datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None)
    assert note.created_at == note.updated_at == note.versions[0].created_at == written
    assert db.session.execute(select(Question.created_at)).scalar_one() == written


def test_a_failing_commit_stops_the_sync_and_the_next_sync_resumes(app, origin):
    repo, _ = register(origin)
    sync(app, repo)
    origin.write("책/김철수/[1장] 제목 1.md", note_text(minutes=20))
    second = origin.commit("edit", FEB)
    origin.write("책/김철수/[1장] 제목 1.md", note_text(minutes=30))
    origin.commit("edit again", MAR)
    mirror = app.config["REPOS_PATH"] + f"/{repo.id}.git"
    GitRepo.bare(mirror).git(
        "fetch", "--quiet", str(origin.path), "+refs/heads/main:refs/heads/main"
    )
    blob = origin.git("rev-parse", f"{second}:책/김철수/[1장] 제목 1.md").strip()
    loose = Path(mirror) / "objects" / blob[:2] / blob[2:]
    kept = loose.read_bytes()
    loose.unlink()  # the blob of the second commit cannot be read
    report = sync(app, repo)
    assert report.error and second[:10] in report.error
    assert repo.last_error == report.error and only_note().version_count == 1
    loose.write_bytes(kept)
    report = sync(app, repo)
    assert report.error is None and report.commits == 2
    assert only_note().version_count == 3 and repo.last_error is None


def test_submodule_and_non_utf8_path_are_skipped(app, origin):
    import os

    origin.git("update-index", "--add", "--cacheinfo", f"160000,{'a' * 40},책/김철수/sub.md")
    raw = os.fsdecode("책/김철수/[2장] ".encode() + b"\xff.md")
    (origin.path / raw).write_text(note_text(chapter=2), encoding="utf-8")
    origin.git("add", raw)
    origin.git("commit", "--quiet", "-m", "odd", date=FEB)
    repo, _ = register(origin)
    report = sync(app, repo)
    reasons = dict(report.skipped)
    assert "서브모듈" in reasons["책/김철수/sub.md"]
    assert "UTF-8이 아닙니다" in " ".join(reasons.values())
    assert db.session.execute(select(func.count(Note.id))).scalar_one() == 1


def test_a_long_history_is_bounded_per_sync_and_continued(app, origin):
    for minutes in range(11, 16):
        origin.write("책/김철수/[1장] 제목 1.md", note_text(minutes=minutes))
        origin.commit(f"edit {minutes}", FEB)
    repo, _ = register(origin)
    report = sync_repository(repo, app.config["REPOS_PATH"], MAX, max_commits=4)
    assert report.commits == 4 and report.more
    report = sync_repository(repo, app.config["REPOS_PATH"], MAX, max_commits=4)
    assert report.commits == 2 and not report.more
    assert only_note().version_count == 6


def test_admin_page_lists_repositories_with_a_sync_button(app, client, origin):
    repo, _ = register(origin)
    sync(app, repo)
    admin = factories.member("관리자", role="admin", username="admin")
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(admin.id)
        session["_fresh"] = True
    page = client.get("/admin/repos")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "notes" in text and "지금 동기화" in text and repo.last_commit[:10] in text
    assert client.post("/admin/repos/notes/sync").status_code == 302
    assert wait_idle(repo.id)


def test_admin_page_is_for_admins_only(app, client):
    assert client.get("/admin/repos").status_code in (302, 403)


def test_git_identity_links_versions_to_a_member(app, runner, origin):
    repo, _ = register(origin)
    sync(app, repo)
    result = runner.invoke(args=["repo", "identity", "Kim@Example.com", "김철수"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert only_note().versions[0].author.name == "김철수"
    origin.write("책/김철수/[1장] 제목 1.md", note_text(minutes=50))
    origin.commit("edit", FEB)
    sync(app, repo)
    assert only_note().versions[1].author.name == "김철수"
    assert runner.invoke(args=["repo", "identity", "x@y.z", "없는사람"]).exit_code == 1


def test_images_come_from_the_commit_and_never_through_a_symlink(app, origin):
    from app.models import Asset

    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    (origin.path / "책" / "김철수" / "images").mkdir()
    (origin.path / "책" / "김철수" / "images" / "a.png").write_bytes(png)
    (origin.path / "책" / "김철수" / "images" / "evil.png").symlink_to("/etc/passwd")
    extra = "\n![a](./images/a.png)\n![e](images/evil.png)\n![o](../../../etc/x.png)\n"
    origin.write("책/김철수/[1장] 제목 1.md", note_text(extra=extra))
    origin.commit("images", FEB)
    repo, _ = register(origin)
    sync(app, repo)
    assets = db.session.execute(select(Asset)).scalars().all()
    assert [asset.data for asset in assets] == [png]
    assert sum("이미지를 찾을 수 없습니다" in w for w in only_note().warnings) == 2


def test_pushes_during_a_sync_coalesce_into_one_sync_at_a_time(app, origin):
    import threading

    from app.repos.services import request_sync

    repo, _ = register(origin)
    alive = []
    for _ in range(5):
        request_sync(app, repo.id)
        alive.append(sum(t.name == f"repo-sync-{repo.id}" for t in threading.enumerate()))
    assert max(alive) <= 1
    assert wait_idle(repo.id)
    db.session.expire_all()
    assert only_note().version_count == 1
