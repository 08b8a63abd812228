"""`flask backup FILE`, `flask restore FILE [--force]` and `flask export DIR`."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app

from app.backup import sqlite
from app.extensions import db


def _url() -> str:
    return str(current_app.config["SQLALCHEMY_DATABASE_URI"])


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Copy the live database to FILE (online, consistent, integrity-checked)."""
    started = time.monotonic()
    try:
        path = sqlite.sqlite_path(_url())
        if path is None:
            sqlite.pg_dump(_url(), file)
        else:
            sqlite.backup_sqlite(path, file)
    except sqlite.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"백업 완료: {file} ({time.monotonic() - started:.1f}초, 무결성 검사 통과)")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="비어 있지 않은 데이터베이스도 덮어씁니다.")
def restore_command(file: Path, force: bool) -> None:
    """Restore the database from a backup FILE (refuses a non-empty database without --force)."""
    db.engine.dispose()
    try:
        path = sqlite.sqlite_path(_url())
        if path is None:
            sqlite.pg_restore(_url(), file, force=force)
        else:
            sqlite.restore_sqlite(file, path, force=force)
    except sqlite.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"복원 완료: {file}")


@click.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(directory: Path) -> None:
    """Export notes, threads, ratings and images to DIRECTORY as plain files."""
    from app.backup.export import export_all

    counts = export_all(directory)
    summary = ", ".join(f"{name} {count}" for name, count in counts.items())
    click.echo(f"내보내기 완료: {directory} ({summary})")
