"""Writing ratings: a note's self-scores and a member's web rating; the latest wins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.books import ensure_chapters
from app.errors import Invalid, NotFound
from app.extensions import db
from app.models import Chapter, Member, Note, Rating, RatingEvent, utcnow
from app.ratings.dashboard import chapter_panel as chapter_panel  # the chapter page's panel
from app.ratings.stats import is_valid_score

# What a history entry copies from the rating it records.
HISTORY_COLUMNS = ("member_id", "chapter_id", "score", "source", "note_id")
INVALID_SCORE_MESSAGE = "점수는 0.5점부터 5점까지 0.5점 단위로 골라 주세요."


def parse_score(raw: object) -> float:
    """Turn a submitted value ('3.5', 4, …) into a score, or raise Invalid."""
    try:
        score = float(str(raw).strip())
    except (TypeError, ValueError):
        raise Invalid(INVALID_SCORE_MESSAGE, "score") from None
    if not is_valid_score(score):
        raise Invalid(INVALID_SCORE_MESSAGE, "score")
    return score


def _record(
    member_id: int,
    chapter_id: int,
    score: float,
    source: str,
    note_id: int | None,
    current: Rating | None,
    at: datetime | None = None,
) -> Rating:
    """Make (score, source) the member's current rating and append a copy to the history,
    dated `at` (else now)."""
    if current is None:
        current = Rating(member_id=member_id, chapter_id=chapter_id)
    current.score, current.source, current.note_id = score, source, note_id
    current.updated_at = now = at or utcnow()
    copied = {name: getattr(current, name) for name in HISTORY_COLUMNS}
    db.session.add(RatingEvent(**copied, created_at=now))
    db.session.add(current)
    return current


def apply_note_scores(
    note: Note,
    scores: dict[int, float],
    *,
    imported: bool = False,
    at: datetime | None = None,
    chapters: dict[int, Chapter] | None = None,
    new_note: bool = False,
) -> None:
    """Apply a note's self-scores as ratings inside the caller's transaction (no commit),
    dated `at` (else now); `chapters`: the book's chapters by number, when already ensured;
    `new_note`: the note was just created (it has given no score yet).

    A chapter's score replaces the member's current rating and joins the history only
    when it differs from the last score this note gave for that chapter, so re-importing
    an unchanged note never overrides a later web rating: the latest change wins.
    Invalid scores are skipped (the parser has already warned about them).
    An imported note never replaces the web rating of a member with a login: only the
    member gives that (the import's score is left out of ratings and history).
    """
    valid = {int(number): float(score) for number, score in scores.items() if is_valid_score(score)}
    if not valid:
        return
    if note.id is None or note.book_id is None or note.member_id is None:
        db.session.flush()
    if chapters is None or not all(number in chapters for number in valid):
        chapters = ensure_chapters(note.book_id, valid)
    chapter_ids = [chapters[number].id for number in valid]
    last_from_note: dict[int, float] = {}
    events = (
        ()
        if new_note
        else db.session.execute(
            select(RatingEvent.chapter_id, RatingEvent.score)
            .where(
                RatingEvent.member_id == note.member_id,
                RatingEvent.note_id == note.id,
                RatingEvent.source == "note",
                RatingEvent.chapter_id.in_(chapter_ids),
            )
            .order_by(RatingEvent.id)
        )
    )
    for chapter_id, score in events:
        last_from_note[chapter_id] = score
    current = {
        rating.chapter_id: rating
        for rating in db.session.scalars(
            select(Rating).where(
                Rating.member_id == note.member_id, Rating.chapter_id.in_(chapter_ids)
            )
        )
    }
    for number, score in sorted(valid.items()):
        chapter_id = chapters[number].id
        if last_from_note.get(chapter_id) == score:
            continue
        if imported and _web_rating_of_a_login(note.member_id, current.get(chapter_id)):
            continue
        _record(note.member_id, chapter_id, score, "note", note.id, current.get(chapter_id), at)


def redate_note_scores(note_id: int, when: datetime, since: datetime) -> None:
    """Date the ratings a note gave after `since` by when the note was written (no commit)."""
    db.session.execute(
        update(RatingEvent)
        .where(RatingEvent.note_id == note_id, RatingEvent.created_at >= since)
        .values(created_at=when)
    )
    db.session.execute(
        update(Rating)
        .where(Rating.note_id == note_id, Rating.updated_at >= since)
        .values(updated_at=when)
    )


def _web_rating_of_a_login(member_id: int, rating: Rating | None) -> bool:
    """True when `rating` was given on the web by a member who can sign in."""
    if rating is None or rating.source != "web":
        return False
    member = db.session.get(Member, member_id)
    return member is not None and member.has_login


def rate_chapter(member: Member, chapter: Chapter, score: float) -> Rating:
    """Save a member's web rating of a chapter (validated, with history) and commit."""
    if not is_valid_score(score):
        raise Invalid(INVALID_SCORE_MESSAGE, "score")
    member_id, chapter_id = member.id, chapter.id
    for attempt in range(2):
        current = db.session.scalar(
            select(Rating).where(Rating.member_id == member_id, Rating.chapter_id == chapter_id)
        )
        if current is not None and current.source == "web" and current.score == score:
            return current  # the same rating submitted again: nothing new to record
        rating = _record(member_id, chapter_id, float(score), "web", None, current)
        try:
            db.session.commit()
        except IntegrityError:
            # Another request created this member's rating first: update that one instead.
            db.session.rollback()
            if attempt:
                raise
            continue
        return rating
    raise AssertionError("unreachable")


def submit_rating(book_id: int, chapter_number: int, member: Member, raw_score: object) -> Rating:
    """The rating form: find the chapter, validate the submitted score, save it."""
    score = parse_score(raw_score)
    chapter = db.session.scalar(
        select(Chapter).where(Chapter.book_id == book_id, Chapter.number == chapter_number)
    )
    if chapter is None:
        raise NotFound(f"{book_id}번 책에 {chapter_number}장이 없습니다.")
    return rate_chapter(member, chapter, score)
