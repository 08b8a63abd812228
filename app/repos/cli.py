"""`flask repo add|sync|list|remove`: Git repositories as note sources."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from app.errors import ServiceError
from app.repos.queries import all_repositories, repository_named
from app.repos.services import (
    SyncReport,
    add_repository,
    link_identity,
    remove_repository,
    sync_repository,
)

repo_cli = AppGroup("repo", help="노트를 담은 Git 저장소 따라가기.")


@repo_cli.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--branch", default="main", show_default=True, help="따라갈 브랜치")
@click.option("--path", "subfolder", default="", help="노트가 있는 하위 폴더")
@click.option("--secret-stdin", is_flag=True, help="웹훅 비밀을 표준 입력에서 읽음")
@click.option("--token-stdin", is_flag=True, help="비공개 https 저장소의 토큰을 표준 입력에서 읽음")
def add_command(
    name: str, url: str, branch: str, subfolder: str, secret_stdin: bool, token_stdin: bool
) -> None:
    """저장소를 등록하고 웹훅 비밀을 한 번 보여 줍니다."""
    lines = sys.stdin.read().splitlines() if (secret_stdin or token_stdin) else []
    secret = lines.pop(0).strip() if secret_stdin and lines else None
    token = lines.pop(0).strip() if token_stdin and lines else None
    try:
        repo, secret = add_repository(
            name, url, branch=branch, subfolder=subfolder, secret=secret, token=token
        )
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"저장소 '{repo.name}'을(를) 등록했습니다 ({repo.url}, 브랜치 {repo.branch}).")
    click.echo(f"웹훅 주소: /hooks/git/{repo.name}")
    if not secret_stdin:
        click.echo(f"웹훅 비밀 (다시 보여 주지 않습니다): {secret}")


@repo_cli.command("sync")
@click.argument("name", required=False)
def sync_command(name: str | None) -> None:
    """저장소의 새 커밋을 가져옵니다 (이름이 없으면 모든 저장소)."""
    found = None if name is None else repository_named(name)
    if name is not None and found is None:
        raise click.ClickException(f"없는 저장소입니다: {name}")
    repos = [found] if found is not None else all_repositories()
    failed = False
    for repo in repos:
        try:
            report = sync_repository(
                repo, current_app.config["REPOS_PATH"], current_app.config["MAX_NOTE_BYTES"]
            )
        except ServiceError as error:
            click.echo(f"{repo.name}: {error}", err=True)
            failed = True
            continue
        _print_report(repo.name, report)
        failed = failed or report.error is not None
    if failed:
        sys.exit(1)


def _print_report(name: str, report: SyncReport) -> None:
    if report.up_to_date:
        click.echo(f"{name}: 새 커밋이 없습니다.")
        return
    click.echo(
        f"{name}: 커밋 {report.commits}개, 저장 {len(report.saved)}, "
        f"이름 바뀜 {len(report.renamed)}, 삭제 {len(report.deleted)}, "
        f"건너뜀 {len(report.skipped)}"
    )
    for path, reason in report.skipped:
        click.echo(f"  건너뜀 {path}: {reason}")
    if report.more:
        click.echo("  커밋이 많아 일부만 가져왔습니다. 다시 실행하면 이어서 가져옵니다.")
    if report.error:
        click.echo(f"  {report.error}", err=True)


@repo_cli.command("list")
def list_command() -> None:
    """등록된 저장소와 마지막 동기화를 보여 줍니다."""
    repos = all_repositories()
    if not repos:
        click.echo("등록된 저장소가 없습니다.")
    for repo in repos:
        synced = repo.last_synced_at.strftime("%Y-%m-%d %H:%M") if repo.last_synced_at else "-"
        commit = (repo.last_commit or "-")[:10]
        line = f"{repo.name}\t{repo.url}\t{repo.branch}\t{synced}\t{commit}"
        click.echo(line + (f"\t오류: {repo.last_error}" if repo.last_error else ""))


@repo_cli.command("remove")
@click.argument("name")
def remove_command(name: str) -> None:
    """저장소 등록을 지웁니다 (노트는 남습니다)."""
    repo = repository_named(name)
    if repo is None:
        raise click.ClickException(f"없는 저장소입니다: {name}")
    remove_repository(repo, current_app.config["REPOS_PATH"])
    click.echo(f"저장소 '{name}'을(를) 지웠습니다. 노트는 그대로 남습니다.")


@repo_cli.command("identity")
@click.argument("email")
@click.argument("member")
def identity_command(email: str, member: str) -> None:
    """커밋 작성자 전자우편을 멤버에 연결합니다 (그 사람의 버전이 멤버의 것이 됩니다)."""
    try:
        link_identity(email, member)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{email} → {member} 연결했습니다.")
