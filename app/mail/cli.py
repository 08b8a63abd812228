"""`flask worker`: send the outbox (reminders, answers, digests) by SMTP."""

import time
from datetime import datetime

import click
from flask.cli import with_appcontext

from app.mail.worker import run_once


@click.command("worker")
@click.option("--once", is_flag=True, help="한 번만 보내고 끝냅니다.")
@click.option("--interval", default=10.0, show_default=True, help="반복 간격(초).")
@click.option("--now", "now_text", help="이 시각(UTC, ISO 형식)인 것처럼 실행합니다 (점검용).")
@with_appcontext
def worker_command(once: bool, interval: float, now_text: str | None) -> None:
    """Send due mail from the outbox, with retries and back-off."""
    now = datetime.fromisoformat(now_text) if now_text else None
    while True:
        report = run_once(now)
        if report.sent or report.failed or once:
            click.echo(f"보냄 {len(report.sent)}통, 실패(다시 시도 예정) {len(report.failed)}통")
        if once:
            return
        time.sleep(interval)
