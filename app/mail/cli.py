"""`flask worker`: send the outbox (reminders, answers, digests) by SMTP."""

import time
from datetime import datetime

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.cli import book_or_exit, site_admin
from app.errors import ServiceError
from app.extensions import db
from app.mail import webhooks
from app.mail.worker import retry_given_up, run_once
from app.models import Book, BookWebhook, Member, utcnow


@click.command("worker")
@click.option("--once", is_flag=True, help="한 번만 보내고 끝냅니다.")
@click.option("--interval", default=10.0, show_default=True, help="반복 간격(초).")
@click.option("--now", "now_text", help="이 시각(UTC, ISO 형식)인 것처럼 실행합니다 (점검용).")
@click.option(
    "--retry-failed", is_flag=True, help="재시도를 멈춘 메일을 다시 보낼 차례에 넣습니다."
)
@with_appcontext
def worker_command(once: bool, interval: float, now_text: str | None, retry_failed: bool) -> None:
    """Send due mail from the outbox, with retries and back-off."""
    now = datetime.fromisoformat(now_text) if now_text else None
    if retry_failed:
        count = retry_given_up(now or utcnow())
        click.echo(f"다시 보낼 차례에 넣음 {count}통")
    while True:
        report = run_once(now)
        if report.sent or report.failed or once:
            click.echo(f"보냄 {len(report.sent)}통, 실패(다시 시도 예정) {len(report.failed)}통")
        if once:
            return
        time.sleep(interval)


webhooks_cli = AppGroup("webhooks", help="책마다 채팅 웹훅 (Slack, Discord, 서명된 JSON).")


def _admin_and_book(book: str) -> tuple[Member, Book]:
    return site_admin(), book_or_exit(book)


@webhooks_cli.command("add")
@click.argument("book")
@click.argument("url")
@click.option("--format", "fmt", type=click.Choice(webhooks.FORMATS), default="slack")
def add_webhook_command(book: str, url: str, fmt: str) -> None:
    """Send BOOK's new questions, answers and reminders to URL."""
    admin, found = _admin_and_book(book)
    try:
        hook = webhooks.add_webhook(admin, found.id, url, fmt)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"웹훅 {hook.id}: {found.title} → {hook.url} ({hook.format})")
    if fmt == "json":
        click.echo(f"서명 비밀값 ({webhooks.SIGNATURE_HEADER}): {hook.secret}")


@webhooks_cli.command("list")
def list_webhooks_command() -> None:
    """List every webhook."""
    for hook in db.session.scalars(select(BookWebhook).order_by(BookWebhook.id)):
        click.echo(f"{hook.id}\t{hook.book_id}\t{hook.format}\t{hook.url}")


@webhooks_cli.command("remove")
@click.argument("webhook_id", type=int)
def remove_webhook_command(webhook_id: int) -> None:
    """Remove a webhook by its id."""
    if not webhooks.remove_webhook(site_admin(), webhook_id):
        raise click.ClickException(f"웹훅 {webhook_id}이(가) 없습니다.")
    click.echo(f"웹훅 {webhook_id}을(를) 지웠습니다.")
