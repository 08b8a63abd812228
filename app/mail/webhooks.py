"""Chat webhooks per book: queue a post in the outbox, and post it (Slack, Discord, JSON)."""

import hashlib
import hmac
import json
import secrets
import urllib.request
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.auth.permissions import ensure_admin
from app.errors import Invalid
from app.extensions import db
from app.models import BookWebhook, Member, OutboxMail

FORMATS = ("slack", "discord", "json")
SIGNATURE_HEADER = "X-Studyhall-Signature"


def add_webhook(actor: Member | None, book_id: int, url: str, fmt: str) -> BookWebhook:
    """Add an outgoing webhook to a book (admins); the JSON format gets a fresh secret."""
    ensure_admin(actor)
    if not url.startswith(("http://", "https://")):
        raise Invalid("웹훅 주소는 http:// 또는 https:// 로 시작해야 합니다.", "url")
    if fmt not in FORMATS:
        raise Invalid("형식은 slack, discord, json 중 하나입니다.", "format")
    hook = BookWebhook(book_id=book_id, url=url, format=fmt, secret=secrets.token_hex(32))
    db.session.add(hook)
    db.session.commit()
    return hook


def remove_webhook(actor: Member | None, webhook_id: int) -> bool:
    """Remove a webhook (its unsent posts go with it); True when it existed."""
    ensure_admin(actor)
    hook = db.session.get(BookWebhook, webhook_id)
    if hook is not None:
        db.session.delete(hook)
        db.session.commit()
    return hook is not None


@dataclass
class WebhookStatus:
    """A webhook with its last delivery and how many posts wait or were given up."""

    hook: BookWebhook
    last: OutboxMail | None
    waiting: int


def book_webhooks(book_id: int) -> list[WebhookStatus]:
    """The book's webhooks, oldest first, each with its delivery status (three queries,
    counted in SQL: a hook's posts pile up with every question and answer)."""
    hooks = list(
        db.session.scalars(
            select(BookWebhook).where(BookWebhook.book_id == book_id).order_by(BookWebhook.id)
        )
    )
    ids = [hook.id for hook in hooks]
    posts = select(OutboxMail.webhook_id).where(OutboxMail.webhook_id.in_(ids))
    waiting: dict[int | None, int] = dict(
        db.session.execute(
            posts.add_columns(func.count())
            .where(OutboxMail.status == "pending")
            .group_by(OutboxMail.webhook_id)
        )
        .tuples()
        .all()
    )
    tried = (OutboxMail.status == "sent") | (OutboxMail.attempts > 0)
    last_ids = posts.with_only_columns(func.max(OutboxMail.id)).where(tried)
    last = {
        row.webhook_id: row
        for row in db.session.scalars(
            select(OutboxMail).where(
                OutboxMail.id.in_(last_ids.group_by(OutboxMail.webhook_id).scalar_subquery())
            )
        )
    }
    return [WebhookStatus(hook, last.get(hook.id), waiting.get(hook.id, 0)) for hook in hooks]


def payload(fmt: str, kind: str, title: str, text: str, link: str) -> dict[str, Any]:
    """The JSON body for one format."""
    line = f"{title}\n{text}\n{link}"
    if fmt == "slack":
        return {"text": line}
    if fmt == "discord":
        return {"content": line[:2000]}
    return {"event": kind, "title": title, "text": text, "url": link}


def book_hooks(book_id: int) -> list[BookWebhook]:
    """The book's webhooks."""
    return list(db.session.scalars(select(BookWebhook).where(BookWebhook.book_id == book_id)))


def queue_posts(
    book_id: int,
    key: str,
    kind: str,
    title: str,
    text: str,
    link: str,
    hooks: list[BookWebhook] | None = None,
) -> None:
    """Queue one post per webhook of the book (`hooks`, when already read), inside the
    caller's transaction."""
    for hook in book_hooks(book_id) if hooks is None else hooks:
        row_key = f"{key}:hook{hook.id}"
        if db.session.scalar(select(OutboxMail.id).where(OutboxMail.key == row_key)):
            continue
        body = json.dumps(payload(hook.format, kind, title, text, link), ensure_ascii=False)
        db.session.add(
            OutboxMail(
                key=row_key,
                kind=kind,
                webhook_id=hook.id,
                recipient=hook.url,
                subject=title,
                body_text=body,
                body_html="",
            )
        )


def signature(secret: str, body: bytes) -> str:
    """The signature header value: "sha256=" and the HMAC-SHA256 of the body, in hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(row: OutboxMail, hook: BookWebhook) -> None:
    """POST the row's JSON to the webhook; raises OSError on failure (retried later)."""
    body = row.body_text.encode()
    headers = {"Content-Type": "application/json", "User-Agent": "Studyhall"}
    headers["X-Studyhall-Delivery"] = str(row.id)  # fixed per row: receivers can de-duplicate
    if hook.format == "json":
        headers[SIGNATURE_HEADER] = signature(hook.secret, body)
    request = urllib.request.Request(row.recipient, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=15) as response:
        if response.status >= 300:
            raise OSError(f"웹훅 응답 {response.status}")
