"""Reading ratings: the chapter panel, the book dashboard and meeting prep.

Each function runs a fixed number of queries whatever the data size and returns a typed
result (a dataclass) for the templates and the API; the dashboard's charts are drawn by its
view, the panel's histogram only when a template reads it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Row, bindparam, func, select, union
from sqlalchemy.orm import joinedload

from app.books import book_chapters
from app.extensions import db
from app.models import (
    QUESTION_OPEN,
    Book,
    Chapter,
    Member,
    Note,
    NoteChapter,
    Question,
    Rating,
    Vote,
)
from app.notes.parse import NoteParsed
from app.ratings.charts import histogram_svg, score_level, series_class
from app.ratings.stats import HALF_STEPS, ChapterDifficulty, ScoreStats, rank_hardest, summarize

HARDEST_SHOWN = 5
LOWEST_SCORES_SHOWN = 5
PREP_QUESTIONS_SHOWN = 50
SOURCE_LABELS = {"note": "노트", "web": "웹"}
WEB_LABEL = SOURCE_LABELS["web"]


def open_question_filter() -> tuple[ColumnElement[bool], ...]:
    """Conditions for a question still worth talking about: not resolved, not taken down."""
    return (QUESTION_OPEN,)


# --- the chapter page's rating panel --------------------------------------------------------


@dataclass(frozen=True)
class PanelRating:
    """One member's current score of the chapter."""

    member_id: int
    member_name: str
    score: float
    source: str
    source_label: str
    note_id: int | None
    level: int


@dataclass(frozen=True)
class ChapterPanel:
    """Everything `ratings/_chapter_panel.html` shows about one chapter's scores."""

    book_id: int
    book_title: str
    chapter_number: int
    chapter_title: str
    ratings: list[PanelRating]
    stats: ScoreStats
    can_rate: bool
    my_score: float | None
    my_source: str | None
    steps: tuple[float, ...] = HALF_STEPS

    @property
    def histogram_rows(self) -> list[tuple[float, int]]:
        """(score step, members) for the distribution table."""
        return list(zip(HALF_STEPS, self.stats.histogram, strict=True))

    @property
    def histogram_svg(self) -> str:
        """The distribution as an SVG bar chart (drawn only when a template shows it)."""
        title = f"{self.chapter_number}장 이해도 분포 ({self.stats.count}명)"
        return histogram_svg(self.stats.histogram, title=title)


# Built once: on a cold chapter page, building and keying a statement costs more than
# running it.
_PANEL_CHAPTER = (
    select(Chapter).options(joinedload(Chapter.book)).where(Chapter.id == bindparam("chapter"))
)
_PANEL_RATINGS = (
    select(Rating.member_id, Member.name, Rating.score, Rating.source, Rating.note_id)
    .join(Member, Member.id == Rating.member_id)
    .where(Rating.chapter_id == bindparam("chapter"))
    .order_by(Rating.score, Member.name)
)


def chapter_panel(
    chapter_id: int, member_id: int | None, chapter: Chapter | None = None
) -> ChapterPanel | None:
    """The chapter's scores, statistics and the viewer's own score (2 queries, 1 when the
    caller passes the chapter it read with its book); None for no such chapter."""
    if chapter is None or chapter.id != chapter_id:
        chapter = db.session.scalar(_PANEL_CHAPTER, {"chapter": chapter_id})
    if chapter is None:
        return None
    rows = db.session.execute(_PANEL_RATINGS, {"chapter": chapter_id}).all()
    ratings = [
        PanelRating(
            member_id=row.member_id,
            member_name=row.name,
            score=row.score,
            source=row.source,
            source_label=SOURCE_LABELS.get(row.source, row.source),
            note_id=row.note_id,
            level=score_level(row.score),
        )
        for row in rows
    ]
    mine = next((r for r in ratings if member_id is not None and r.member_id == member_id), None)
    return ChapterPanel(
        book_id=chapter.book_id,
        book_title=chapter.book.title,
        chapter_number=chapter.number,
        chapter_title=chapter.title,
        ratings=ratings,
        stats=summarize(rating.score for rating in ratings),
        can_rate=member_id is not None,
        my_score=mine.score if mine else None,
        my_source=mine.source_label if mine else None,
    )


# --- the book dashboard ---------------------------------------------------------------------


@dataclass
class NoteFacts:
    """The few fields of a note the dashboards need."""

    id: int
    member_id: int
    title: str
    reading_minutes: int | None
    chapter_minutes: dict[int, int | None] = field(default_factory=dict)  # chapter id → min

    def minutes_for(self, chapter_id: int) -> int | None:
        """This note's reading time for one chapter: its own line, or the total of a
        one-chapter note; None when a several-chapter note gives only a total."""
        minutes = self.chapter_minutes.get(chapter_id)
        if minutes is not None:
            return minutes
        if len(self.chapter_minutes) == 1:
            return self.reading_minutes
        return None

    @property
    def total_minutes(self) -> int:
        """The note's whole reading time (its total, else the sum of its chapter lines)."""
        if self.reading_minutes is not None:
            return self.reading_minutes
        return sum(m for m in self.chapter_minutes.values() if m is not None)

    @property
    def unsplit_minutes(self) -> int | None:
        """A several-chapter note's total that no chapter line splits up, else None."""
        if len(self.chapter_minutes) > 1 and all(m is None for m in self.chapter_minutes.values()):
            return self.reading_minutes
        return None


# The dashboard's statements, built once with the book as a bound parameter.
_BOOK_NOTES = (
    select(
        Note.id,
        Note.member_id,
        Note.title,
        Note.reading_minutes,
        NoteChapter.chapter_id,
        NoteChapter.minutes,
        NoteChapter.position,
    )
    .outerjoin(NoteChapter, NoteChapter.note_id == Note.id)
    .where(Note.book_id == bindparam("book_id"), Note.deleted_at.is_(None))
)
_BOOK_SCORES = (
    select(Rating.member_id, Rating.chapter_id, Rating.score, Rating.source)
    .join(Chapter, Chapter.id == Rating.chapter_id)
    .where(Chapter.book_id == bindparam("book_id"))
)
_OPEN_BY_CHAPTER = (
    select(Question.chapter_number, func.count())
    .where(Question.book_id == bindparam("book_id"), QUESTION_OPEN)
    .group_by(Question.chapter_number)
)


def book_notes(book_id: int) -> list[NoteFacts]:
    """The book's live notes with their chapters and chapter minutes (1 query)."""
    rows = db.session.execute(_BOOK_NOTES, {"book_id": book_id}).all()
    # Sorted here, not in SQL: ORDER BY notes.id makes SQLite walk the whole notes table
    # (large Markdown rows) instead of the covering index ix_notes_book_listing.
    notes: dict[int, NoteFacts] = {}
    # Unpacked, not read by name: a Row's attributes by name cost more than the query here.
    ordered = sorted(rows, key=lambda row: (row[0], row[6] or 0))
    for note_id, member_id, title, reading_minutes, chapter_id, minutes, _ in ordered:
        facts = notes.get(note_id)
        if facts is None:
            facts = notes[note_id] = NoteFacts(note_id, member_id, title, reading_minutes)
        if chapter_id is not None:
            facts.chapter_minutes[chapter_id] = minutes
    return list(notes.values())


def book_members(book_id: int) -> list[tuple[int, str]]:
    """(id, name) of everyone who wrote a note in the book or rated one of its chapters."""
    involved = union(
        select(Note.member_id).where(Note.book_id == book_id, Note.deleted_at.is_(None)),
        select(Rating.member_id)
        .join(Chapter, Chapter.id == Rating.chapter_id)
        .where(Chapter.book_id == book_id),
    ).subquery()
    rows = db.session.execute(
        select(Member.id, Member.name)
        .where(Member.id.in_(select(involved.c[0])))
        .order_by(Member.name)
    )
    return [(row.id, row.name) for row in rows]


def members_named(member_ids: set[int]) -> list[tuple[int, str]]:
    """(id, name) of these members, by name (1 query)."""
    rows = db.session.execute(
        select(Member.id, Member.name).where(Member.id.in_(member_ids)).order_by(Member.name)
    )
    return [(row.id, row.name) for row in rows]


def _book_scores(book_id: int) -> Sequence[Row[int, int, float, str]]:
    """(member id, chapter id, score, source) of every current rating of the book (1 query;
    without the dates, whose parsing costs more than the query at 1,500 ratings)."""
    return db.session.execute(_BOOK_SCORES, {"book_id": book_id}).all()


def book_ratings(book_id: int) -> Sequence[Row[int, int, float, str, int | None, datetime]]:
    """Every current rating of the book's chapters (1 query)."""
    return db.session.execute(
        select(
            Rating.member_id,
            Rating.chapter_id,
            Rating.score,
            Rating.source,
            Rating.note_id,
            Rating.updated_at,
        )
        .join(Chapter, Chapter.id == Rating.chapter_id)
        .where(Chapter.book_id == book_id)
    ).all()


def _open_questions_by_chapter(book_id: int) -> dict[int | None, int]:
    """Open question counts per chapter number (None: no chapter) (1 query)."""
    rows = db.session.execute(_OPEN_BY_CHAPTER, {"book_id": book_id})
    return {number: count for number, count in rows}


def hours(minutes: int | float) -> float:
    """Minutes as hours, one decimal."""
    return round(minutes / 60, 1)


@dataclass(slots=True)
class GridCell:
    """One member × chapter cell: score, reading time and the notes written for it."""

    score: float | None
    level: int
    source: str | None
    minutes: int | None
    unsplit_minutes: int | None
    notes: list[NoteFacts]  # the notes written for it (id and title are shown)

    @property
    def detail(self) -> str:
        """The cell's reading time, notes and source in words (its tooltip)."""
        # A note's own score is the usual case; only a web score is worth saying.
        parts = [f"{self.source} 점수"] if self.source == WEB_LABEL else []
        # Minutes as a plain count keep the 1,500 cells of a large group's grid short.
        if self.minutes is not None:
            parts.append(f"{self.minutes}분")
        elif self.unsplit_minutes is not None:
            parts.append(f"{self.unsplit_minutes}분*")
        if len(self.notes) > 1:
            parts.append(f"노트 {len(self.notes)}개")
        return " · ".join(parts) if parts else "점수 없음"


@dataclass
class MemberRow:
    """A member's row of the grid with their whole reading time."""

    member_id: int
    name: str
    cells: list[GridCell]
    minutes: int
    series_class: str = ""

    @property
    def hours(self) -> float:
        """The member's reading time in hours."""
        return hours(self.minutes)


@dataclass(frozen=True)
class ChapterRow:
    """A chapter's column: score statistics, open questions, reading time, notes."""

    id: int
    number: int
    title: str
    stats: ScoreStats
    level: int
    open_questions: int
    minutes: int
    notes: int


@dataclass
class BookDashboard:
    """Everything the book dashboard shows (the charts are drawn by the view)."""

    book: Book
    chapters: list[ChapterRow]
    members: list[MemberRow]
    notes_count: int
    ratings_count: int
    open_questions_total: int
    total_minutes: int
    hardest: list[ChapterRow]

    @property
    def total_hours(self) -> float:
        """The group's reading time in hours."""
        return hours(self.total_minutes)

    @property
    def scored_members(self) -> list[MemberRow]:
        """The members with at least one score, each given its chart colour."""
        return [row for row in self.members if row.series_class]


def book_dashboard(book_id: int) -> BookDashboard | None:
    """The book's chapters, member × chapter grid, hardest chapters and reading hours
    (6 queries); None for no such book."""
    book = db.session.get(Book, book_id)
    if book is None:
        return None
    chapters = book_chapters(book_id)
    notes = book_notes(book_id)
    ratings = _book_scores(book_id)
    open_questions = _open_questions_by_chapter(book_id)
    involved = {note.member_id for note in notes} | {rating[0] for rating in ratings}
    grid = _member_rows(members_named(involved), chapters, notes, ratings)
    chapter_rows = _chapter_rows(chapters, notes, ratings, grid, open_questions)
    for index, row in enumerate(r for r in grid if any(c.score is not None for c in r.cells)):
        row.series_class = series_class(index)
    return BookDashboard(
        book=book,
        chapters=chapter_rows,
        members=grid,
        notes_count=len(notes),
        ratings_count=len(ratings),
        open_questions_total=sum(open_questions.values()),
        total_minutes=sum(row.minutes for row in grid),
        hardest=_hardest(chapter_rows),
    )


def _member_rows(
    members: list[tuple[int, str]],
    chapters: list[Chapter],
    notes: list[NoteFacts],
    ratings: Sequence[Row[int, int, float, str]],
) -> list[MemberRow]:
    """The grid: a row per member, a cell per chapter."""
    # By member, then chapter: no (member, chapter) key to build for each of 1,500 cells.
    rating_at: dict[int, dict[int, Row[int, int, float, str]]] = defaultdict(dict)
    for row in ratings:
        rating_at[row[0]][row[1]] = row
    notes_at: dict[int, dict[int, list[NoteFacts]]] = defaultdict(dict)
    member_minutes: dict[int, int] = defaultdict(int)
    for note in notes:
        member_minutes[note.member_id] += note.total_minutes
        mine = notes_at[note.member_id]
        for chapter_id in note.chapter_minutes:
            mine.setdefault(chapter_id, []).append(note)
    chapter_ids = [chapter.id for chapter in chapters]  # read once, not once per member
    return [
        MemberRow(
            member_id,
            name,
            [
                _grid_cell(
                    chapter_id, their_ratings.get(chapter_id), their_notes.get(chapter_id, [])
                )
                for chapter_id in chapter_ids
            ],
            member_minutes[member_id],
        )
        for member_id, name in members
        for their_ratings, their_notes in [(rating_at[member_id], notes_at[member_id])]
    ]


def _chapter_rows(
    chapters: list[Chapter],
    notes: list[NoteFacts],
    ratings: Sequence[Row[int, int, float, str]],
    grid: list[MemberRow],
    open_questions: dict[int | None, int],
) -> list[ChapterRow]:
    """A row per chapter: its scores' statistics, open questions, minutes and notes."""
    scores: dict[int, list[float]] = defaultdict(list)
    for _, chapter_id, score, *_ in ratings:
        scores[chapter_id].append(score)
    notes_per_chapter: dict[int, int] = defaultdict(int)
    for note in notes:
        for chapter_id in note.chapter_minutes:
            notes_per_chapter[chapter_id] += 1
    rows = []
    for index, chapter in enumerate(chapters):
        stats = summarize(scores[chapter.id])
        rows.append(
            ChapterRow(
                id=chapter.id,
                number=chapter.number,
                title=chapter.title,
                stats=stats,
                level=score_level(stats.mean),
                open_questions=open_questions.get(chapter.number, 0),
                minutes=sum(row.cells[index].minutes or 0 for row in grid),
                notes=notes_per_chapter[chapter.id],
            )
        )
    return rows


def _hardest(rows: list[ChapterRow]) -> list[ChapterRow]:
    """The chapters the group found hardest, hardest first."""
    by_number = {row.number: row for row in rows}
    ranked = rank_hardest(
        ChapterDifficulty(row.number, row.stats.mean, row.open_questions, row.minutes)
        for row in rows
        if row.stats.count or row.open_questions or row.minutes
    )
    return [by_number[difficulty.number] for difficulty in ranked][:HARDEST_SHOWN]


def _grid_cell(chapter_id: int, rating: Any, notes: list[NoteFacts]) -> GridCell:
    """One member × chapter cell: score, reading time and the notes written for it."""
    attributed: int | None = None
    unsplit: int | None = None
    for note in notes:
        own = note.minutes_for(chapter_id)
        if own is not None:
            attributed = (attributed or 0) + own
        elif note.unsplit_minutes is not None:
            unsplit = (unsplit or 0) + note.unsplit_minutes
    score, source = (rating[2], SOURCE_LABELS.get(rating[3])) if rating else (None, None)
    return GridCell(
        score,
        score_level(score),
        source,
        attributed,
        unsplit,
        notes,
    )


# --- meeting prep ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRef:
    """A member's id and name."""

    id: int
    name: str


@dataclass(frozen=True)
class PrepQuestion:
    """An open question to talk about, with who asked and how many want it answered."""

    id: int
    title: str
    state: str
    asker: str
    votes: int


@dataclass(frozen=True)
class LowScore:
    """One of the lowest scores, with what the member found hard."""

    member_id: int
    name: str
    score: float
    level: int
    source: str
    note_id: int | None
    difficulties: str


@dataclass(frozen=True)
class MeetingPrep:
    """What to talk about next meeting for one chapter."""

    book: Book
    chapter: Chapter
    questions: list[PrepQuestion]
    more_questions: bool
    missing_members: list[MemberRef]
    writers: int
    members_count: int
    lowest: list[LowScore]
    stats: ScoreStats


def meeting_prep(book_id: int, chapter_number: int) -> MeetingPrep | None:
    """What to talk about next meeting for one chapter (5 queries); None for no such chapter."""
    chapter = db.session.scalar(
        select(Chapter)
        .options(joinedload(Chapter.book))
        .where(Chapter.book_id == book_id, Chapter.number == chapter_number)
    )
    if chapter is None:
        return None
    question_rows = _prep_questions(book_id, chapter_number)
    note_rows = db.session.execute(
        select(Note.id, Note.member_id, Note.title, Note.parsed)
        .join(NoteChapter, NoteChapter.note_id == Note.id)
        .where(NoteChapter.chapter_id == chapter.id, Note.deleted_at.is_(None))
        .order_by(Note.id)
    ).all()
    members = book_members(book_id)
    rating_rows = db.session.execute(
        select(Rating.member_id, Member.name, Rating.score, Rating.source, Rating.note_id)
        .join(Member, Member.id == Rating.member_id)
        .where(Rating.chapter_id == chapter.id)
        .order_by(Rating.score, Member.name)
    ).all()

    note_of_member = {row.member_id: row for row in reversed(note_rows)}  # the earliest note
    return MeetingPrep(
        book=chapter.book,
        chapter=chapter,
        questions=[
            PrepQuestion(r.id, r.title, r.state, r.name, r.votes)
            for r in question_rows[:PREP_QUESTIONS_SHOWN]
        ],
        more_questions=len(question_rows) > PREP_QUESTIONS_SHOWN,
        missing_members=[
            MemberRef(member_id, name)
            for member_id, name in members
            if member_id not in note_of_member
        ],
        writers=len(note_of_member),
        members_count=len(members),
        lowest=_lowest_scores(rating_rows[:LOWEST_SCORES_SHOWN], note_rows, note_of_member),
        stats=summarize(row.score for row in rating_rows),
    )


def _prep_questions(book_id: int, chapter_number: int) -> Sequence[Row[Any]]:
    """The chapter's open questions, most wanted first (one more than shown)."""
    votes = (
        select(Vote.question_id, func.count().label("votes")).group_by(Vote.question_id).subquery()
    )
    vote_count = func.coalesce(votes.c.votes, 0)
    return db.session.execute(
        select(Question.id, Question.title, Question.state, Member.name, vote_count.label("votes"))
        .join(Member, Member.id == Question.asker_id)
        .outerjoin(votes, votes.c.question_id == Question.id)
        .where(
            Question.book_id == book_id,
            Question.chapter_number == chapter_number,
            *open_question_filter(),
        )
        .order_by(vote_count.desc(), Question.created_at, Question.id)
        .limit(PREP_QUESTIONS_SHOWN + 1)
    ).all()


_RatingRow: TypeAlias = Row[int, str, float, str, int | None]
_NoteRow: TypeAlias = Row[int, int, str, NoteParsed]


def _lowest_scores(
    rating_rows: Sequence[_RatingRow],
    note_rows: Sequence[_NoteRow],
    note_of_member: dict[int, _NoteRow],
) -> list[LowScore]:
    """The lowest scores with what each member found hard (from the rated note)."""
    notes_by_id = {row.id: row for row in note_rows}
    lowest = []
    for row in rating_rows:
        note = notes_by_id.get(row.note_id) or note_of_member.get(row.member_id)
        parsed: NoteParsed = note.parsed if note is not None and note.parsed else {}
        lowest.append(
            LowScore(
                member_id=row.member_id,
                name=row.name,
                score=row.score,
                level=score_level(row.score),
                source=SOURCE_LABELS.get(row.source, row.source),
                note_id=note.id if note is not None else None,
                difficulties=str(parsed.get("difficulties") or "").strip(),
            )
        )
    return lowest
