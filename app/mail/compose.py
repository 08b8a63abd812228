"""Build the e-mail message for an outbox row (pure: no Flask, no database)."""

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime


def message_id(row_id: int, domain: str) -> str:
    """The fixed Message-ID of an outbox row: a resend is recognisable as the same mail."""
    return f"<outbox-{row_id}@{domain}>"


def build_message(
    *,
    row_id: int,
    sender: str,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    unsubscribe_url: str,
    domain: str,
) -> EmailMessage:
    """A Korean plain-text + HTML mail with one-click unsubscribe headers (RFC 8058)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Message-ID"] = message_id(row_id, domain)
    message["Date"] = format_datetime(datetime.now(UTC))
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    footer = f"\n\n--\n이 알림을 그만 받으려면: {unsubscribe_url}\n"
    message.set_content(text + footer, charset="utf-8")
    html_footer = f'<hr><p><a href="{unsubscribe_url}">이 알림 그만 받기</a></p>'
    message.add_alternative(
        f'<!doctype html><html lang="ko"><body>{html}{html_footer}</body></html>',
        subtype="html",
        charset="utf-8",
    )
    return message
