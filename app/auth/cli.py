"""`flask users ...`: create administrators from the command line."""

import sys

import click
from flask.cli import AppGroup

from app.auth import services
from app.errors import ServiceError

users_cli = AppGroup("users", help="계정 관리: 관리자 만들기.")


@users_cli.command("create-admin")
@click.argument("name")
@click.option("--username", help="로그인 아이디 (기본: NAME). NAME에 공백이 있을 때 씁니다.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="비밀번호를 표준 입력의 첫 줄에서 읽습니다 (스크립트용).",
)
def create_admin_command(name: str, username: str | None, password_stdin: bool) -> None:
    """Create an admin NAME (username NAME unless --username), or give the login-less
    member NAME a login."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("비밀번호", hide_input=True, confirmation_prompt="비밀번호 확인")
    try:
        member = services.create_admin(name, password, username=username)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"관리자 '{member.name}'을(를) 만들었습니다. 아이디: {member.username}")
