"""Queue mail in the outbox, inside the caller's transaction (the caller commits)."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from markupsafe import escape
from sqlalchemy import select

from app.extensions import db
from app.mail import webhooks
from app.models import Answer, BookWebhook, MailSettings, Meeting, OutboxMail, Question
from app.schedule import queries as schedule

KINDS = {
    "answers_to_me": "내 질문에 달린 답변",
    "answers_on_my_notes": "내 노트의 질문에 달린 답변",
    "questions_on_my_chapters": "내가 쓴 장의 새 질문",
    "meeting_reminders": "모임 알림",
}


def _url(path: str) -> str:
    return str(current_app.config.get("SITE_URL", "http://localhost:5000")).rstrip("/") + path


_CACHE = "outbox_lookups"


@dataclass
class _Lookups:
    """Every member's mail settings and each book's webhooks, read once (while cached)."""

    settings: dict[int, MailSettings] | None = None
    hooks: dict[int, list[BookWebhook]] = field(default_factory=dict)


@contextmanager
def cached_lookups() -> Iterator[None]:
    """Inside, for a batch of writes that change no mail settings and no webhooks (an
    import): mail settings and webhooks are read once, not once per announcement."""
    info = db.session().info
    if _CACHE in info:
        yield
        return
    info[_CACHE] = _Lookups()
    try:
        yield
    finally:
        info.pop(_CACHE, None)


def _cached() -> _Lookups | None:
    found = db.session().info.get(_CACHE)
    return found if isinstance(found, _Lookups) else None


def nothing_to_announce(book_id: int) -> bool:
    """True when, as far as the cached lookups know, no member takes mail and the book has no
    webhook: a new question there queues nothing (False when not cached)."""
    lookups = _cached()
    if lookups is None:
        return False
    return not _all_settings(lookups) and not _hooks(book_id)


def _all_settings(lookups: _Lookups) -> dict[int, MailSettings]:
    if lookups.settings is None:
        rows = db.session.scalars(select(MailSettings).order_by(MailSettings.member_id))
        lookups.settings = {row.member_id: row for row in rows}
    return lookups.settings


def _hooks(book_id: int) -> list[BookWebhook]:
    lookups = _cached()
    if lookups is None:
        return webhooks.book_hooks(book_id)
    if book_id not in lookups.hooks:
        lookups.hooks[book_id] = webhooks.book_hooks(book_id)
    return lookups.hooks[book_id]


def _settings(member_ids: set[int]) -> dict[int, MailSettings]:
    if not member_ids:
        return {}
    if (lookups := _cached()) is not None:
        every = _all_settings(lookups)
        return {member_id: row for member_id, row in every.items() if member_id in member_ids}
    rows = db.session.scalars(select(MailSettings).where(MailSettings.member_id.in_(member_ids)))
    return {row.member_id: row for row in rows}


def _queue(key: str, kind: str, settings: MailSettings, subject: str, text: str, link: str) -> None:
    mode = getattr(settings, kind)
    if mode == "never" or db.session.scalar(select(OutboxMail.id).where(OutboxMail.key == key)):
        return
    html = f'<p>{escape(text)}</p><p><a href="{escape(link)}">{escape(link)}</a></p>'
    db.session.add(
        OutboxMail(
            key=key,
            kind=kind,
            mode=mode,
            member_id=settings.member_id,
            recipient=settings.email,
            subject=subject,
            body_text=f"{text}\n\n{link}",
            body_html=html,
        )
    )


def queue_answer(question: Question, answer: Answer) -> None:
    """Mail the asker and the note's author about a new answer (not the answerer)."""
    wanted = {question.asker_id: "answers_to_me"}
    if question.note is not None and question.note.member_id not in wanted:
        wanted[question.note.member_id] = "answers_on_my_notes"
    wanted.pop(answer.author_id, None)
    link = _url(f"/questions/{question.id}#answer-{answer.id}")
    subject = f"[Studyhall] 새 답변: {question.title}"
    text = f"{answer.author.name}님이 「{question.title}」에 답변을 달았습니다.\n\n{answer.body}"
    for member_id, settings in _settings(set(wanted)).items():
        _queue(f"answer:{answer.id}:{member_id}", wanted[member_id], settings, subject, text, link)
    webhooks.queue_posts(question.book_id, f"answer:{answer.id}", "answer", subject, text, link)


def queue_question(question: Question) -> None:
    """Mail the members who wrote a note on the question's chapter."""
    queue_questions([question])


def queue_questions(questions: Iterable[Question]) -> None:
    """Mail, for each question, the members who wrote a note on its chapter, and post it to
    its book's webhooks; who wrote on a chapter and a book's hooks are read once."""
    writers: dict[tuple[int, int], set[int]] = {}
    settings: dict[frozenset[int], dict[int, MailSettings]] = {}
    hooks: dict[int, list[BookWebhook]] = {}
    for question in questions:
        authors: set[int] = set()
        if question.chapter_number is not None:
            place = (question.book_id, question.chapter_number)
            if place not in writers:
                meeting = Meeting(book_id=place[0], chapters=str(place[1]))
                writers[place] = schedule.writers(meeting)
            authors = writers[place] - {question.asker_id}
        link = _url(f"/questions/{question.id}")
        where = f"{question.chapter_number}장" if question.chapter_number is not None else "게시판"
        subject = f"[Studyhall] {where} 새 질문: {question.title}"
        text = f"{question.asker.name}님이 {where}에 질문했습니다: {question.title}"
        wanted = frozenset(authors)
        if wanted not in settings:
            settings[wanted] = _settings(authors)
        for member_id, member_settings in settings[wanted].items():
            key = f"question:{question.id}:{member_id}"
            _queue(key, "questions_on_my_chapters", member_settings, subject, text, link)
        if question.book_id not in hooks:
            hooks[question.book_id] = _hooks(question.book_id)
        key = f"question:{question.id}"
        webhooks.queue_posts(
            question.book_id, key, "question", subject, text, link, hooks[question.book_id]
        )


def queue_reminders(now: datetime) -> None:
    """Queue a reminder, once, to each member without a note for a meeting soon enough."""
    days = int(current_app.config.get("REMINDER_DAYS", 2))
    today = now.date()
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.date >= today, Meeting.date <= today + timedelta(days))
    )
    for meeting in meetings:
        status = schedule.meeting_status(meeting)
        missing = {m.id for m in schedule.participants(meeting.book_id) if m.name in status.missing}
        link = _url(f"/books/{meeting.book_id}")
        subject = f"[Studyhall] {meeting.date.isoformat()} 모임 알림: {meeting.chapters}장 노트"
        text = (
            f"{meeting.date.isoformat()} 「{meeting.book.title}」 모임에서 {meeting.chapters}장을"
            " 다룹니다. 아직 노트를 쓰지 않으셨어요. 모임 전에 노트를 올려 주세요."
        )
        for member_id, settings in _settings(missing).items():
            key = f"reminder:{meeting.id}:{member_id}"
            _queue(key, "meeting_reminders", settings, subject, text, link)
        names = ", ".join(status.missing) or "없음"
        chat = f"{meeting.chapters}장 노트를 아직 안 쓴 회원: {names}"
        key = f"reminder:{meeting.id}"
        webhooks.queue_posts(meeting.book_id, key, "reminder", subject, chat, link)
