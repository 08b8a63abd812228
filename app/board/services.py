"""The question board: every write (threads, answers, votes, notifications) and its queries."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CursorResult,
    Select,
    and_,
    bindparam,
    case,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import joinedload

from app import search
from app.auth.permissions import ADMINS_ONLY, can_moderate, ensure_admin, ensure_can_edit
from app.board.matching import (
    KnownQuestion,
    clean_title,
    has_visible_text,
    match_questions,
    strip_controls,
)
from app.errors import Conflict, Invalid, NotFound, get_or_404
from app.extensions import db
from app.mail import outbox
from app.models import (
    Answer,
    Book,
    Chapter,
    Member,
    Note,
    Notification,
    PostRevision,
    Question,
    QuestionState,
    Vote,
    utcnow,
)
from app.notes.prepare import QuestionBody, question_body
from app.text.markdown import body_html
from app.web.paging import Page, clamp_page, offset_of

if TYPE_CHECKING:
    from app.notes.parse import ParsedQuestion

PER_PAGE = 20
NOTIFICATIONS_PER_PAGE = 30
TITLE_MAX = 500
BODY_MAX = 50_000
STATES = tuple(QuestionState)
SORTS = ("new", "votes", "activity")
# A note's new threads are mailed when the note was written this recently, at most this many.
ANNOUNCE_WITHIN = timedelta(days=2)
ANNOUNCE_AT_MOST = 20

Post = TypeVar("Post", bound=Question | Answer)
_LABELS: dict[type[object], str] = {Question: "질문", Answer: "답변"}


# Whoever acts: the signed-in member (Flask-Login's current_user), as app.auth.permissions
# takes it.
Actor: TypeAlias = Member


# --- rendering ----------------------------------------------------------------------------


def preview_html(text: str) -> str:
    """Sanitized HTML of a Markdown text for the editor's preview (nothing is saved)."""
    if len(text) > BODY_MAX:
        raise Invalid(f"내용이 너무 깁니다 ({BODY_MAX:,}자까지).", "body")
    return body_html(text)


# --- threads from notes -------------------------------------------------------------------


@dataclass(frozen=True)
class _NoteThread:
    """What the sync needs of a thread already made from the note (read without the lock)."""

    id: int
    title: str
    body: str
    position: int | None
    anchor: str | None
    removed: bool
    book_id: int
    asker_id: int
    chapter_number: int | None


@dataclass(frozen=True)
class QuestionPlan:
    """A note's questions matched to its threads, bodies rendered: the slow part of a sync,
    worked out before the write lock so that the transaction only writes."""

    threads: tuple[_NoteThread, ...]
    items: list[tuple[str, str]]  # cleaned title and body of each question, in order
    matches: list[int | None]
    html: dict[int, str] = field(default_factory=dict)  # by place: new and changed bodies
    text: dict[int, str] = field(default_factory=dict)  # by place: search text of new ones
    new_note: bool = False  # planned for a note not yet saved: no thread can have come since


def plan_note_questions(
    note: Note,
    questions: list[ParsedQuestion],
    rendered: tuple[QuestionBody, ...] | None = None,
) -> QuestionPlan:
    """Match the note's questions to its threads and render what will change (no writes);
    `rendered`: each question's body rendered already (app.notes.prepare), if it was."""
    threads = _note_threads(note.id)
    items = [(clean_title(q.title, TITLE_MAX), q.body) for q in questions]
    known = [KnownQuestion(t.id, t.title, t.position, t.removed, t.body) for t in threads]
    matches = match_questions(known, [t for t, _ in items], [b for _, b in items])
    bodies: dict[Hashable, str] = {t.id: t.body for t in threads}
    plan = QuestionPlan(threads, items, matches, new_note=note.id is None)  # type: ignore[arg-type]
    for place, ((_title, body), match) in enumerate(zip(items, matches, strict=True)):
        if match is not None and bodies[match] == body:
            continue
        ready = rendered[place] if rendered is not None else question_body(body)
        plan.html[place] = ready.html
        if match is None:
            plan.text[place] = ready.text
    return plan


def _note_threads(note_id: int | None) -> tuple[_NoteThread, ...]:
    if note_id is None:
        return ()
    columns = (
        Question.id, Question.title, Question.body, Question.note_position,
        Question.note_anchor, Question.removed_from_note, Question.book_id,
        Question.asker_id, Question.chapter_number,
    )  # fmt: skip
    rows = db.session.execute(
        select(*columns).where(Question.note_id == note_id).order_by(Question.id)
    )
    return tuple(_NoteThread(*row) for row in rows)


def sync_note_questions(
    note: Note,
    questions: list[ParsedQuestion],
    anchor: str | None,
    plan: QuestionPlan | None = None,
    now: datetime | None = None,
) -> None:
    """Make the note's threads follow its questions; the caller commits.

    Threads are matched by title, then content, then place (app.board.matching); changed
    ones keep their old text as a revision, new ones are created, and threads whose question
    left the note are marked removed_from_note (their answers stay) until it comes back.
    A `plan` made before the write lock (plan_note_questions) is used when still current;
    new threads go in with one bulk insert and unchanged ones are touched by one bulk update.
    """
    if plan is None or (not plan.new_note and _note_threads(note.id) != plan.threads):
        plan = plan_note_questions(note, questions)
    now = now or utcnow()
    chapter_number = note.note_chapters[0].chapter.number if note.note_chapters else None
    owner = {"book_id": note.book_id, "asker_id": note.member_id, "chapter_number": chapter_number}
    threads = {thread.id: thread for thread in plan.threads}
    placed: list[dict[str, Any]] = []
    edited: dict[int, int] = {}  # thread id -> place, for threads whose text or owner changes
    for place, match in enumerate(plan.matches):
        if match is None:
            continue
        thread, (title, body) = threads[match], plan.items[place]
        if (thread.title, thread.body) != (title, body) or any(
            getattr(thread, key) != value for key, value in owner.items()
        ):
            edited[match] = place
        elif (thread.position, thread.anchor, thread.removed) != (place, anchor, False):
            placed.append(_placement(match, place, anchor, False))
    kept = {match for match in plan.matches if match is not None}
    placed += [
        _placement(t.id, t.position, t.anchor, True)
        for t in plan.threads
        if t.id not in kept and not t.removed
    ]
    if placed:
        db.session.execute(update(Question), placed)
    _edit_note_threads(plan, edited, anchor, owner, now)
    new_ids = _insert_note_threads(note, plan, anchor, owner, now)
    db.session.flush()
    _announce_note_threads(note.book_id, new_ids, now)


def _announce_note_threads(book_id: int, ids: list[int], written_at: datetime) -> None:
    """Mail and chat the new threads of a note written just now, as a web question is;
    importing old notes (a repository's first sync of its history) announces nothing."""
    if not ids or written_at < utcnow() - ANNOUNCE_WITHIN:
        return
    if outbox.nothing_to_announce(book_id):
        return
    fresh = select(Question).where(Question.id.in_(ids[:ANNOUNCE_AT_MOST]))
    outbox.queue_questions(db.session.scalars(fresh.order_by(Question.id)).all())


def _placement(
    question_id: int, place: int | None, anchor: str | None, removed: bool
) -> dict[str, Any]:
    return {"id": question_id, "note_position": place, "note_anchor": anchor,
            "removed_from_note": removed}  # fmt: skip


def _edit_note_threads(
    plan: QuestionPlan,
    edited: dict[int, int],
    anchor: str | None,
    owner: dict[str, Any],
    now: datetime,
) -> None:
    """Threads whose title, body, book, asker or chapter change: through the ORM, so their
    revisions are kept and the search index follows them."""
    if not edited:
        return
    edited_threads = select(Question).where(Question.id.in_(list(edited))).order_by(Question.id)
    for question in db.session.scalars(edited_threads):
        place = edited[question.id]
        title, body = plan.items[place]
        if (question.title, question.body) != (title, body):
            _keep_revision(question, editor_id=owner["asker_id"], source="note")
            if question.body != body:
                question.body_html = plan.html[place]
            question.title, question.body = title, body
            question.updated_at = now
        for key, value in owner.items():
            setattr(question, key, value)
        question.note_position, question.note_anchor = place, anchor
        question.removed_from_note = False


def _insert_note_threads(
    note: Note, plan: QuestionPlan, anchor: str | None, owner: dict[str, Any], now: datetime
) -> list[int]:
    """New threads in one bulk insert, and their search documents from the planned text;
    returns their ids."""
    places = [place for place, match in enumerate(plan.matches) if match is None]
    if not places:
        return []
    rows = [
        {
            **owner,
            "note_id": note.id,
            "note_position": place,
            "note_anchor": anchor,
            "title": plan.items[place][0],
            "body": plan.items[place][1],
            "body_html": plan.html[place],
            "created_at": now,
            "updated_at": now,
            "last_activity_at": now,
        }
        for place in places
    ]
    ids = db.session.scalars(
        insert(Question).returning(Question.id, sort_by_parameter_order=True), rows
    ).all()
    connection = db.session.connection()
    chapters = (owner["chapter_number"],) if owner["chapter_number"] is not None else ()
    documents = [
        search.Document("question", question_id, note.book_id, note.member_id, row["title"],
                        plan.text[place], chapters=chapters, updated_at=now)
        for question_id, place, row in zip(ids, places, rows, strict=True)
    ]  # fmt: skip
    search.add_new_documents(connection, documents, db.session())
    return list(ids)


def redate_note_questions(note_id: int, when: datetime, since: datetime) -> None:
    """Date the threads a note made after `since` by when the note was written (no commit)."""
    db.session.execute(
        update(Question)
        .where(Question.note_id == note_id, Question.created_at >= since)
        .values(created_at=when, updated_at=when, last_activity_at=when)
    )


# --- asking and editing -------------------------------------------------------------------


@dataclass
class AskContext:
    """What the ask form needs: the books to choose from, and a preview when asked for."""

    books: list[tuple[int, str]]
    preview: str | None = None


def ask_context(preview_body: str | None = None) -> AskContext:
    """The books for the ask form, with the preview of `preview_body` when given."""
    books = db.session.execute(select(Book.id, Book.title).order_by(Book.title)).all()
    preview = preview_html(preview_body) if preview_body is not None else None
    return AskContext([(row.id, row.title) for row in books], preview)


def ask_question(
    actor: Actor, *, book_id: int | None, chapter_number: int | None, title: str, body: str
) -> Question:
    """Open a new thread on the web."""
    title = _require_title(title)
    _check_body(body)
    if book_id is None or db.session.get(Book, book_id) is None:
        raise Invalid("책을 골라 주세요.", "book_id")
    if chapter_number is not None:
        exists = db.session.scalar(
            select(Chapter.id).where(Chapter.book_id == book_id, Chapter.number == chapter_number)
        )
        if exists is None:
            raise Invalid(f"이 책에는 {chapter_number}장이 없습니다.", "chapter_number")
    now = utcnow()
    question = Question(
        book_id=book_id,
        chapter_number=chapter_number,
        asker_id=actor.id,
        title=title,
        body=body,
        body_html=body_html(body),
        created_at=now,
        updated_at=now,
        last_activity_at=now,
    )
    db.session.add(question)
    db.session.flush()
    outbox.queue_question(question)  # the mail commits with the question
    db.session.commit()
    return question


def edit_question(actor: Actor, question_id: int, *, title: str, body: str) -> Question:
    """Change a thread's title and body, keeping the old text as a revision."""
    question = _for_owner(actor, Question, question_id)
    title = _require_title(title)
    _check_body(body)
    _rewrite(question, actor.id, body, title)
    db.session.commit()
    return question


# --- deleting and moderating (the same for a thread and an answer) ------------------------


def delete_post(actor: Actor, post_id: int, *, model: type[Post]) -> Post:
    """Soft-delete a thread or an answer (its author or an admin); nothing is erased."""
    post = _for_owner(actor, model, post_id)
    post.deleted_at = utcnow()
    _visibility_changed(post)
    return post


def moderate_post(actor: Actor, post_id: int, *, model: type[Post], hide: bool) -> Post:
    """Hide a thread or an answer, or restore a hidden or deleted one (admins only)."""
    ensure_admin(actor, ADMINS_ONLY)
    post = _get_or_404(model, post_id, _LABELS[model])
    _set_moderated(post, hide)
    _visibility_changed(post)
    return post


def _visibility_changed(post: Question | Answer) -> None:
    # An answer that appears or disappears changes its thread's state (open/answered/resolved).
    if isinstance(post, Answer):
        _refresh_state(post.question)
    db.session.commit()


# --- answers and resolution ---------------------------------------------------------------


def post_answer(actor: Actor, question_id: int, body: str) -> Answer:
    """Answer a thread and notify its asker and voters (not the answerer), in one short write."""
    _check_answer_body(body)
    html = body_html(body)  # before taking the write lock: keep the transaction short
    _begin_write()
    question = db.session.get(Question, question_id, populate_existing=True)
    if question is None or not _is_visible(question):
        db.session.rollback()
        raise NotFound("질문을 찾을 수 없습니다.")
    now = utcnow()
    answer = Answer(
        question_id=question.id,
        author_id=actor.id,
        body=body,
        body_html=html,
        created_at=now,
        updated_at=now,
    )
    db.session.add(answer)
    db.session.flush()
    voters = db.session.scalars(select(Vote.member_id).where(Vote.question_id == question.id))
    recipients = ({question.asker_id} | set(voters)) - {actor.id}
    db.session.add_all(
        Notification(member_id=member_id, question_id=question.id, answer_id=answer.id)
        for member_id in sorted(recipients)
    )
    question.last_activity_at = now
    _refresh_state(question)
    outbox.queue_answer(question, answer)  # the mail commits with the answer
    db.session.commit()
    return answer


def edit_answer(actor: Actor, answer_id: int, body: str) -> Answer:
    """Change an answer's body, keeping the old text as a revision."""
    answer = _for_owner(actor, Answer, answer_id)
    _check_answer_body(body)
    _rewrite(answer, actor.id, body)
    db.session.commit()
    return answer


def set_answer_accepted(actor: Actor, answer_id: int, *, accepted: bool) -> Answer:
    """Accept an answer (the thread becomes resolved) or take the acceptance back."""
    answer = _get_or_404(Answer, answer_id, "답변")
    question = answer.question
    ensure_can_edit(actor, question.asker_id, "질문한 사람이나 관리자만 답변을 채택할 수 있습니다.")
    if accepted and not _is_visible(answer):
        raise Conflict("삭제되었거나 숨겨진 답변은 채택할 수 없습니다.")
    answer.accepted = accepted
    question.last_activity_at = utcnow()
    _refresh_state(question)
    db.session.commit()
    return answer


def reopen_question(actor: Actor, question_id: int) -> Question:
    """Take back every accepted answer: the thread is open (or answered) again."""
    question = _get_or_404(Question, question_id, "질문")
    ensure_can_edit(actor, question.asker_id, "질문한 사람이나 관리자만 다시 열 수 있습니다.")
    db.session.execute(
        update(Answer).where(Answer.question_id == question.id).values(accepted=False)
    )
    question.last_activity_at = utcnow()
    _refresh_state(question)
    db.session.commit()
    return question


def toggle_vote(actor: Actor, question_id: int) -> bool:
    """Add or take back the actor's "나도 궁금해요"; True when it is now on."""
    _begin_write()
    question = db.session.get(Question, question_id, populate_existing=True)
    if question is None or not _is_visible(question):
        db.session.rollback()
        raise NotFound("질문을 찾을 수 없습니다.")
    if question.asker_id == actor.id:
        db.session.rollback()
        raise Invalid("자신의 질문에는 '나도 궁금해요'를 누를 수 없습니다.")
    vote = db.session.get(Vote, (question.id, actor.id))
    if vote is None:
        db.session.add(Vote(question_id=question.id, member_id=actor.id))
    else:
        db.session.delete(vote)
    db.session.flush()
    question.votes_count = (
        db.session.scalar(
            select(func.count()).select_from(Vote).where(Vote.question_id == question.id)
        )
        or 0
    )
    db.session.commit()
    return vote is None


# --- the board ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardFilters:
    """What the board shows: filters, sort order and page."""

    book_id: int | None = None
    chapter_number: int | None = None
    state: str | None = None
    mine: bool = False
    unanswered: bool = False
    # Admins only: the hidden and deleted threads instead of the visible ones.
    hidden: bool = False
    sort: str = "new"
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class BoardPage:
    """One page of the board, with what its filter controls need."""

    questions: Page[Question]
    filters: BoardFilters
    books: list[tuple[int, str]]
    chapters: list[tuple[int, str]] = field(default_factory=list)


@cache
def _board_statements(
    shape: tuple[bool, bool, bool, bool, bool, bool, str],
) -> tuple[Select[Any], Select[Any]]:
    """The count and the page of the board for one shape of filters (hidden, book, chapter,
    state, mine, unanswered, sort), their values bound: built once per shape, not per view."""
    hidden, book, chapter, state, mine, unanswered, sort = shape
    conditions = [~_visible(Question) if hidden else _visible(Question)]
    if book:
        conditions.append(Question.book_id == bindparam("book_id"))
    if chapter:
        conditions.append(Question.chapter_number == bindparam("chapter_number"))
    if state:
        conditions.append(Question.state == bindparam("state"))
    if mine:
        conditions.append(Question.asker_id == bindparam("asker_id"))
    if unanswered:
        conditions.append(Question.answers_count == 0)
    # count(*), not count(id): SQLite then counts index entries without reading each id.
    counted = select(func.count()).select_from(Question).where(*conditions)
    order = {
        "votes": (Question.votes_count.desc(), Question.last_activity_at.desc()),
        "activity": (Question.last_activity_at.desc(),),
    }.get(sort, (Question.created_at.desc(),))
    listed = (
        select(Question)
        .options(
            joinedload(Question.asker).load_only(Member.id, Member.name),
            joinedload(Question.book).load_only(Book.id, Book.title),
        )
        .where(*conditions)
        .order_by(*order, Question.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return counted, listed


def board_page(filters: BoardFilters, viewer: Actor | None) -> BoardPage:
    """A page of visible threads, filtered and sorted, in a fixed number of queries."""
    viewer_id = viewer.id if viewer is not None else None
    shape = (
        filters.hidden and can_moderate(viewer),
        filters.book_id is not None,
        filters.chapter_number is not None,
        filters.state in STATES,
        filters.mine,
        filters.unanswered,
        filters.sort if filters.sort in ("votes", "activity") else "new",
    )
    counted, listed = _board_statements(shape)
    params: dict[str, Any] = {
        "book_id": filters.book_id,
        "chapter_number": filters.chapter_number,
        "state": filters.state,
        "asker_id": viewer_id if viewer_id is not None else -1,
    }
    total = db.session.scalar(counted, params) or 0
    per_page = min(max(1, filters.per_page), 100)
    page = clamp_page(filters.page, total, per_page)
    params.update(limit=per_page, offset=offset_of(page, per_page))
    questions = list(db.session.scalars(listed, params))
    books = db.session.execute(select(Book.id, Book.title).order_by(Book.title)).all()
    chapters: list[tuple[int, str]] = []
    if filters.book_id is not None:
        chapters = [
            (row.number, row.title)
            for row in db.session.execute(
                select(Chapter.number, Chapter.title)
                .where(Chapter.book_id == filters.book_id)
                .order_by(Chapter.number)
            )
        ]
    return BoardPage(
        questions=Page(questions, total, page, per_page),
        filters=filters,
        books=[(row.id, row.title) for row in books],
        chapters=chapters,
    )


# --- one thread ---------------------------------------------------------------------------


@dataclass
class Thread:
    """A thread as its page shows it."""

    question: Question
    answers: list[Answer]
    question_revisions: list[PostRevision]
    answer_revisions: dict[int, list[PostRevision]]
    voted: bool
    answer_preview: str | None = None


# The thread page's statements, each built once (with the thread as a bound parameter):
# building and keying them cost more than running them.
@cache
def _thread_question_query() -> Select[Question]:
    return (
        select(Question)
        .options(
            joinedload(Question.asker).load_only(Member.id, Member.name),
            joinedload(Question.book).load_only(Book.id, Book.title),
            joinedload(Question.note).load_only(Note.id, Note.title),
        )
        .where(Question.id == bindparam("question_id"))
    )


@cache
def _thread_answers_query(everything: bool) -> Select[Answer]:
    query = (
        select(Answer)
        .options(joinedload(Answer.author).load_only(Member.id, Member.name))
        .where(Answer.question_id == bindparam("question_id"))
        .order_by(Answer.accepted.desc(), Answer.created_at, Answer.id)
    )
    return query if everything else query.where(_visible(Answer))


@cache
def _thread_revisions_query() -> Select[PostRevision]:
    question_id: BindParameter[int] = bindparam("question_id")
    return (
        select(PostRevision)
        .options(joinedload(PostRevision.editor).load_only(Member.id, Member.name))
        .where(
            or_(
                PostRevision.question_id == question_id,
                PostRevision.answer_id.in_(
                    select(Answer.id).where(Answer.question_id == question_id)
                ),
            )
        )
        .order_by(PostRevision.created_at.desc(), PostRevision.id.desc())
    )


def get_thread(question_id: int, viewer: Actor | None, answer_preview: str | None = None) -> Thread:
    """A thread with its answers and edit history; admins also see hidden and deleted posts."""
    is_admin = can_moderate(viewer)
    question = db.session.scalar(_thread_question_query(), {"question_id": question_id})
    if question is None or not (is_admin or _is_visible(question)):
        raise NotFound("질문을 찾을 수 없습니다.")
    params = {"question_id": question.id}
    answers = list(db.session.scalars(_thread_answers_query(is_admin), params))
    revisions = db.session.scalars(_thread_revisions_query(), params)
    question_revisions: list[PostRevision] = []
    answer_revisions: dict[int, list[PostRevision]] = {}
    for revision in revisions:
        if revision.question_id is not None:
            question_revisions.append(revision)
        else:
            answer_revisions.setdefault(revision.answer_id, []).append(revision)  # type: ignore[arg-type]
    voted = viewer is not None and (db.session.get(Vote, (question.id, viewer.id)) is not None)
    preview = preview_html(answer_preview) if answer_preview is not None else None
    return Thread(question, answers, question_revisions, answer_revisions, voted, preview)


def get_question_for_edit(actor: Actor, question_id: int) -> Question:
    """The thread its owner (or an admin) is about to edit."""
    return _for_owner(actor, Question, question_id)


def get_answer_for_edit(actor: Actor, answer_id: int) -> Answer:
    """The answer its author (or an admin) is about to edit."""
    return _for_owner(actor, Answer, answer_id)


# --- notifications ------------------------------------------------------------------------


def unread_notification_count(member_id: int) -> int:
    """How many unread notifications the member has (one COUNT query)."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.member_id == member_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


@dataclass
class NotificationPage:
    """A page of a member's notifications, newest first."""

    notifications: Page[Notification]
    unread: int


def notifications_page(member_id: int, page: int = 1) -> NotificationPage:
    """The member's notifications with their threads and answers, in a fixed number of queries."""
    mine = Notification.member_id == member_id
    total, unread = db.session.execute(
        select(
            func.count(Notification.id),
            func.coalesce(func.sum(case((Notification.read_at.is_(None), 1), else_=0)), 0),
        ).where(mine)
    ).one()
    page = clamp_page(page, total, NOTIFICATIONS_PER_PAGE)
    notifications = list(
        db.session.scalars(
            select(Notification)
            .options(
                joinedload(Notification.question).load_only(
                    Question.id, Question.title, Question.chapter_number
                ),
                joinedload(Notification.answer)
                .load_only(Answer.id, Answer.author_id)
                .joinedload(Answer.author)
                .load_only(Member.id, Member.name),
            )
            .where(mine)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(NOTIFICATIONS_PER_PAGE)
            .offset(offset_of(page, NOTIFICATIONS_PER_PAGE))
        )
    )
    return NotificationPage(Page(notifications, total, page, NOTIFICATIONS_PER_PAGE), unread)


def mark_notifications_read(member_id: int, notification_id: int | None = None) -> int:
    """Mark one of the member's notifications (or all of them) read; returns how many changed."""
    conditions = [Notification.member_id == member_id, Notification.read_at.is_(None)]
    if notification_id is not None:
        exists = db.session.scalar(
            select(Notification.id).where(
                Notification.id == notification_id, Notification.member_id == member_id
            )
        )
        if exists is None:
            raise NotFound("알림을 찾을 수 없습니다.")
        conditions.append(Notification.id == notification_id)
    # An UPDATE gives a CursorResult (with rowcount); Session.execute is typed as Result.
    result: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        update(Notification).where(*conditions).values(read_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    return result.rowcount or 0


def open_notification(member_id: int, notification_id: int) -> int:
    """Mark one of the member's notifications read and return its thread's id."""
    notification = get_or_404(
        Notification, notification_id, "알림을 찾을 수 없습니다.", member_id=member_id
    )
    if notification.read_at is None:
        notification.read_at = utcnow()
    question_id = notification.question_id
    db.session.commit()
    return question_id


# --- helpers ------------------------------------------------------------------------------


def _visible(model: type[Question] | type[Answer]) -> ColumnElement[bool]:
    return and_(model.deleted_at.is_(None), model.hidden_at.is_(None))


def _is_visible(post: Question | Answer) -> bool:
    return post.deleted_at is None and post.hidden_at is None


def _set_moderated(post: Question | Answer, hide: bool) -> None:
    if hide:
        post.hidden_at = utcnow()
    else:
        post.hidden_at = None
        post.deleted_at = None


def _refresh_state(question: Question) -> None:
    """Recount the visible answers and derive the state from them (open/answered/resolved)."""
    db.session.flush()
    count, accepted = db.session.execute(
        select(
            func.count(Answer.id),
            func.coalesce(func.sum(case((Answer.accepted.is_(True), 1), else_=0)), 0),
        ).where(Answer.question_id == question.id, _visible(Answer))
    ).one()
    question.answers_count = count
    state = (
        QuestionState.RESOLVED
        if accepted
        else QuestionState.ANSWERED
        if count
        else QuestionState.OPEN
    )
    question.state = state.value


def _rewrite(post: Question | Answer, editor_id: int, body: str, title: str | None = None) -> None:
    """A member's edit: when the text changed, keep the old one as a revision, then write the
    new body (rendered again) and, for a question, the new title."""
    old_title = post.title if isinstance(post, Question) else None  # answers have no title
    if body == post.body and title == old_title:
        return
    _keep_revision(post, editor_id=editor_id, source="web")
    if body != post.body:
        post.body, post.body_html = body, body_html(body)
    if isinstance(post, Question) and title is not None:
        post.title = title
    post.updated_at = utcnow()


def _keep_revision(post: Question | Answer, *, editor_id: int | None, source: str) -> None:
    if isinstance(post, Question):
        revision = PostRevision(question_id=post.id, title=post.title, body=post.body)
    else:
        revision = PostRevision(answer_id=post.id, body=post.body)
    revision.editor_id = editor_id
    revision.source = source
    db.session.add(revision)


def _get_or_404(model: type[Post], post_id: int, label: str) -> Post:
    return get_or_404(model, post_id, f"{label}을 찾을 수 없습니다.")


def _for_owner(actor: Actor, model: type[Post], post_id: int) -> Post:
    post = _get_or_404(model, post_id, _LABELS[model])
    _check_owner(actor, post, post.asker_id if isinstance(post, Question) else post.author_id)
    return post


def _check_owner(actor: Actor, post: Question | Answer, owner_id: int) -> None:
    # Members do not learn that a deleted or hidden post exists; admins see everything.
    if not can_moderate(actor) and not _is_visible(post):
        raise NotFound("찾을 수 없습니다.")
    ensure_can_edit(actor, owner_id, "자신이 쓴 글만 고치거나 지울 수 있습니다.")


def _require_title(title: str) -> str:
    title = " ".join(strip_controls(title or "").split())
    if not title or not has_visible_text(title):
        raise Invalid(
            "제목을 입력해 주세요. 보이지 않는 문자만으로는 제목이 될 수 없습니다.", "title"
        )
    if len(title) > TITLE_MAX:
        raise Invalid(f"제목이 너무 깁니다 ({TITLE_MAX}자까지).", "title")
    return title


def _check_body(body: str) -> None:
    if len(body) > BODY_MAX:
        raise Invalid(f"내용이 너무 깁니다 ({BODY_MAX:,}자까지).", "body")


def _check_answer_body(body: str) -> None:
    if not body.strip():
        raise Invalid("답변 내용을 입력해 주세요.", "body")
    _check_body(body)


def _begin_write() -> None:
    """On SQLite, take the write lock first (BEGIN IMMEDIATE) so concurrent writers wait in
    the busy timeout instead of failing when a read transaction tries to upgrade."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is not None and not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
