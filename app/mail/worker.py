"""The mail worker: queue reminders and digests, claim due rows atomically, send by SMTP.

A row is marked sent right after the server accepts it; its Message-ID is fixed, so even a
crash between the two cannot produce two different mails. A failure keeps the row, with
back-off, for the next run: nothing is lost. After MAX_ATTEMPTS failures (about a day of
trying) a row is left alone, kept with its last error, until `flask worker --retry-failed`.
"""

import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from flask import current_app
from sqlalchemy import CursorResult, func, select, update

from app.extensions import db
from app.mail import outbox, webhooks
from app.mail.compose import build_message
from app.mail.tokens import unsubscribe_url
from app.models import BookWebhook, OutboxMail, utcnow

CLAIM_MINUTES = 5
# 1 + 2 + 4 + … minutes, then hourly: the 30th failure comes about a day after the first.
MAX_ATTEMPTS = 30


@dataclass
class Report:
    """What one run did."""

    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    """Wait before retry number `attempts`: 1, 2, 4 … minutes, at most an hour."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def build_digests(now: datetime) -> None:
    """Fold each member's digest rows into one mail once the oldest is a day old."""
    hours = int(current_app.config.get("DIGEST_HOURS", 24))
    due = select(OutboxMail.member_id).where(
        OutboxMail.status == "pending", OutboxMail.mode == "digest"
    )
    due = due.group_by(OutboxMail.member_id).having(
        func.min(OutboxMail.created_at) <= now - timedelta(hours=hours)
    )
    for member_id in list(db.session.scalars(due)):
        rows = list(
            db.session.scalars(
                select(OutboxMail)
                .where(OutboxMail.member_id == member_id, OutboxMail.status == "pending")
                .where(OutboxMail.mode == "digest")
                .order_by(OutboxMail.id)
            )
        )
        text = "\n\n".join(f"■ {r.subject}\n{r.body_text}" for r in rows)
        html = "".join(f"<h2>{r.subject}</h2>{r.body_html}" for r in rows)
        db.session.add(
            OutboxMail(
                key=f"digest:{member_id}:{rows[0].id}",
                kind="digest",
                member_id=member_id,
                recipient=rows[-1].recipient,
                subject=f"[Studyhall] 하루 모아 보기: 알림 {len(rows)}개",
                body_text=text,
                body_html=html,
            )
        )
        for row in rows:
            row.status = "digested"
    db.session.commit()


def claim(now: datetime, limit: int = 50) -> list[OutboxMail]:
    """Take due rows for this run in one UPDATE, so two workers never take the same row."""
    token = uuid.uuid4().hex
    due = (
        select(OutboxMail.id)
        .where(OutboxMail.status == "pending", OutboxMail.mode == "immediate")
        .where(OutboxMail.next_attempt_at <= now, OutboxMail.attempts < MAX_ATTEMPTS)
        .where((OutboxMail.claimed_until.is_(None)) | (OutboxMail.claimed_until < now))
        .order_by(OutboxMail.id)
        .limit(limit)
    )
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id.in_(due.scalar_subquery()))
        .values(claimed_by=token, claimed_until=now + timedelta(minutes=CLAIM_MINUTES))
    )
    db.session.commit()
    query = select(OutboxMail).where(OutboxMail.claimed_by == token).order_by(OutboxMail.id)
    return list(db.session.scalars(query))


def given_up() -> list[OutboxMail]:
    """Rows the worker stopped retrying, newest first."""
    query = select(OutboxMail).where(
        OutboxMail.status == "pending", OutboxMail.attempts >= MAX_ATTEMPTS
    )
    return list(db.session.scalars(query.order_by(OutboxMail.id.desc())))


def retry_given_up(now: datetime) -> int:
    """Put every given-up row back in the queue, due now; returns how many."""
    # An UPDATE gives a CursorResult (which has rowcount); Session.execute is typed as Result.
    result = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.status == "pending", OutboxMail.attempts >= MAX_ATTEMPTS)
            .values(attempts=0, next_attempt_at=now)
        ),
    )
    db.session.commit()
    return result.rowcount


def smtp_connection() -> smtplib.SMTP:
    """A connection to SMTP_URL: smtp://[user:pass@]host:port, smtps://, or smtp+starttls://."""
    url = urlsplit(current_app.config.get("SMTP_URL", "smtp://localhost:25"))
    host, port = url.hostname or "localhost", url.port
    connection: smtplib.SMTP
    if url.scheme == "smtps":
        connection = smtplib.SMTP_SSL(host, port or 465, timeout=30)
    else:
        connection = smtplib.SMTP(host, port or 25, timeout=30)
        if url.scheme == "smtp+starttls":
            connection.starttls()
    if url.username:
        connection.login(unquote(url.username), unquote(url.password or ""))
    return connection


def _message(row: OutboxMail) -> EmailMessage:
    assert row.member_id is not None  # a mail row has a member (exactly_one_recipient)
    config = current_app.config
    sender = config.get("MAIL_FROM", "studyhall@localhost")
    return build_message(
        row_id=row.id,
        sender=sender,
        recipient=row.recipient,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        unsubscribe_url=unsubscribe_url(row.member_id, row.kind),
        domain=sender.rpartition("@")[2] or "localhost",
    )


def _fail(rows: list[OutboxMail], now: datetime, error: Exception) -> None:
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + backoff(row.attempts)
        row.claimed_by = row.claimed_until = None
        row.last_error = f"{type(error).__name__}: {error}"[:1000]
    db.session.commit()


def send(rows: list[OutboxMail], now: datetime, report: Report) -> None:
    """Send claimed rows over one connection; a failure puts the rest back with back-off."""
    if not rows:
        return
    try:
        connection = smtp_connection()
    except (OSError, smtplib.SMTPException) as error:
        _fail(rows, now, error)
        report.failed += [row.id for row in rows]
        return
    with connection:
        for index, row in enumerate(rows):
            try:
                connection.send_message(_message(row))
            except (OSError, smtplib.SMTPException) as error:
                _fail(rows[index:], now, error)
                report.failed += [r.id for r in rows[index:]]
                return
            row.status, row.sent_at = "sent", utcnow()
            row.claimed_by = row.claimed_until = None
            db.session.commit()
            report.sent.append(row.id)


def send_posts(rows: list[OutboxMail], now: datetime, report: Report) -> None:
    """Post claimed webhook rows; a failing receiver keeps its row for a later try."""
    for row in rows:
        hook = db.session.get_one(BookWebhook, row.webhook_id)
        try:
            webhooks.post(row, hook)
        except OSError as error:
            _fail([row], now, error)
            report.failed.append(row.id)
            continue
        row.status, row.sent_at = "sent", utcnow()
        row.claimed_by = row.claimed_until = None
        db.session.commit()
        report.sent.append(row.id)


def run_once(now: datetime | None = None) -> Report:
    """One pass: queue due reminders, fold digests, send what is due."""
    now = now or utcnow()
    outbox.queue_reminders(now)
    db.session.commit()
    build_digests(now)
    report = Report()
    rows = claim(now)
    send([r for r in rows if r.webhook_id is None], now, report)
    send_posts([r for r in rows if r.webhook_id is not None], now, report)
    return report
