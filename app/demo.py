"""`flask demo`: the demo book a newcomer sees on an empty database."""

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from app import ROOT
from app.extensions import db
from app.models import Book
from app.notes.cli import print_report
from app.notes.importer import ImportReport, import_path

DEMO_NOTES = ROOT / "demo" / "notes"

demo_cli = AppGroup("demo", help="데모 콘텐츠.")


def load_demo_notes() -> ImportReport:
    """Import the demo notes shipped with the project and return the import report."""
    return import_path(DEMO_NOTES, max_bytes=current_app.config["MAX_NOTE_BYTES"])


@demo_cli.command("load-if-empty")
def load_if_empty_command() -> None:
    """데이터베이스가 비어 있으면 데모 책과 데모 관리자를 만듭니다."""
    if db.session.execute(select(func.count(Book.id))).scalar_one() == 0:
        click.echo("빈 데이터베이스: 데모 노트를 가져옵니다.")
        print_report(load_demo_notes())
    try:
        from app.auth.services import ensure_demo_admin
    except ImportError:
        return
    created = ensure_demo_admin()
    if created:
        admin, password = created
        click.echo("")
        click.echo("데모 관리자 계정을 만들었습니다 (이 비밀번호는 지금 한 번만 보입니다):")
        click.echo(f"  아이디: {admin.username}")
        click.echo(f"  비밀번호: {password}")
        click.echo("")
