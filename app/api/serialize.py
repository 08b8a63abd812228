"""Models and service results as the JSON objects the OpenAPI document describes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from app.models import Answer, Member, Note, Question
from app.notes.parse import NoteParsed

if TYPE_CHECKING:
    from app.notes.queries import BookSummary
    from app.ratings.dashboard import BookDashboard
    from app.ratings.stats import ScoreStats
    from app.search.results import SearchHit


def timestamp(value: datetime | None) -> str | None:
    """A UTC timestamp in RFC 3339 form."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def page_of(items: list[dict[str, Any]], total: int, page: int, per_page: int) -> dict[str, Any]:
    """A page of a list: `{"items", "total", "page", "per_page"}`."""
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def member(found: Member | None) -> dict[str, Any] | None:
    """A member as the API shows them: id and name."""
    return {"id": found.id, "name": found.name} if found else None


def book_summary(summary: BookSummary) -> dict[str, Any]:
    """A book with its counts (from `app.notes.queries.book_summaries`)."""
    return {
        "id": summary.book.id,
        "title": summary.book.title,
        "chapters_count": summary.chapters,
        "notes_count": summary.notes,
        "members_count": summary.members,
        "open_questions": summary.open_questions,
        "reading_minutes": summary.reading_minutes,
    }


def _as_is(found: object, *names: str) -> dict[str, Any]:
    """The attributes the API shows under their own names, unchanged."""
    return {name: getattr(found, name) for name in names}


def _times(found: object, *names: str) -> dict[str, str | None]:
    """The datetime attributes, as RFC 3339 timestamps."""
    return {name: timestamp(getattr(found, name)) for name in names}


def note(found: Note) -> dict[str, Any]:
    """A note: who wrote it for which chapters, what was read out of it, its HTML."""
    parsed: NoteParsed = found.parsed or {}
    return {
        **_as_is(found, "id", "book_id"),
        "member": member(found.member),
        "title": found.title,
        "chapters": [link.chapter.number for link in found.note_chapters],
        "reading_minutes": found.reading_minutes,
        "chapter_minutes": parsed.get("chapter_minutes", {}),
        "scores": parsed.get("scores", {}),
        "difficulties": parsed.get("difficulties", ""),
        "warnings": list(found.warnings or []),
        **_as_is(found, "html", "toc_html", "source", "version_count", "origin"),
        **_times(found, "created_at", "updated_at"),
    }


def question(found: Question) -> dict[str, Any]:
    """A thread on the board, without its answers."""
    return {
        **_as_is(found, "id", "book_id"),
        "chapter": found.chapter_number,
        **_as_is(found, "title", "body", "body_html", "state"),
        "asker": member(found.asker),
        "answers_count": found.answers_count,
        "votes": found.votes_count,
        "note_id": found.note_id,
        **_times(found, "created_at", "last_activity_at"),
    }


def answer(found: Answer) -> dict[str, Any]:
    """An answer on a thread."""
    return {
        **_as_is(found, "id", "question_id"),
        "author": member(found.author),
        **_as_is(found, "body", "body_html", "accepted"),
        **_times(found, "created_at"),
    }


def rating_stats(stats: ScoreStats | None) -> dict[str, Any]:
    """Count, mean, median and half-step histogram of a chapter's scores."""
    if stats is None:
        return {"count": 0, "mean": None, "median": None, "histogram": [0] * 10}
    return {
        "count": stats.count,
        "mean": stats.mean,
        "median": stats.median,
        "histogram": list(stats.histogram),
    }


def book(dashboard: BookDashboard) -> dict[str, Any]:
    """A book and its chapters, from the book dashboard the page shows."""
    return {
        "id": dashboard.book.id,
        "title": dashboard.book.title,
        "chapters": [
            {
                "number": row.number,
                "title": row.title,
                "notes_count": row.notes,
                "open_questions": row.open_questions,
                "reading_minutes": row.minutes,
                "ratings": rating_stats(row.stats),
            }
            for row in dashboard.chapters
        ],
    }


def rating(book_id: int, chapter: int, score: float, stats: ScoreStats | None) -> dict[str, Any]:
    """A member's saved score, with the chapter's statistics after it."""
    return {"book_id": book_id, "chapter": chapter, "score": score, "ratings": rating_stats(stats)}


def search_hit(hit: SearchHit) -> dict[str, Any]:
    """A search result: what it is, its title, a plain-text snippet and where it lives."""
    return {
        "kind": hit.kind,
        "id": hit.id,
        "title": strip_tags(hit.title_html),
        "snippet": strip_tags(hit.snippet_html),
        "url": hit.path,
    }


def strip_tags(html: str) -> str:
    """The text of a highlighted fragment (the search marks terms with <mark>)."""
    return Markup(html).striptags()
