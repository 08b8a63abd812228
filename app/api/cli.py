"""`flask users token NAME`: print a new personal API token for scripts."""

import click
from sqlalchemy import or_, select

from app.api.tokens import create_token
from app.errors import ServiceError
from app.extensions import db
from app.models import Member


@click.command("token")
@click.argument("name")
@click.option("--label", default="명령줄에서 만든 토큰", show_default=True, help="토큰 이름")
def token_command(name: str, label: str) -> None:
    """멤버(이름 또는 아이디)의 새 API 토큰을 만들어 출력합니다."""
    member = db.session.scalar(
        select(Member).where(or_(Member.username == name, Member.name == name))
    )
    if member is None:
        raise click.ClickException(f"'{name}' 멤버를 찾을 수 없습니다.")
    if not member.is_active:
        raise click.ClickException(f"'{name}' 멤버는 아직 로그인 계정이 없습니다.")
    try:
        _token, plain = create_token(member.id, label)
    except ServiceError as error:
        raise click.ClickException(str(error)) from error
    click.echo(plain)
