"""A real SMTP server (aiosmtpd) on 127.0.0.1 for mail tests, and a small world to mail."""

import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from app.extensions import db
from app.models import MailSettings
from tests import factories


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """Collects every message the server accepted."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    """Start, stop and restart a real SMTP server on one port."""

    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def book_with_members(make_member):
    """A book (chapters 1–6), admin, and members 가영, 나래, 다온 with addresses; 가영 and
    나래 have notes on chapter 5."""
    admin = make_member("관리자", role="admin")
    people = {name: make_member(name) for name in ("가영", "나래", "다온")}
    book = factories.book("함께 읽는 책", range(1, 7), {n: f"{n}장" for n in range(1, 7)})
    for name in ("가영", "나래"):
        factories.note(
            book,
            people[name],
            (5,),
            source_key=f"{name}/[5장].md",
            title=f"{name}의 5장",
            source="# 5장",
            content_hash="0" * 64,
            html="<h1>5장</h1>",
        )
    for member in people.values():
        db.session.add(MailSettings(member_id=member.id, email=f"m{member.id}@example.org"))
    db.session.commit()
    return book, admin, people
