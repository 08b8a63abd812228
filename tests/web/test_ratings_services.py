"""Writing ratings: note scores and web ratings, the latest wins, history kept."""

import pytest
from sqlalchemy import select

from app.errors import Invalid, NotFound
from app.extensions import db
from app.models import Chapter, Rating, RatingEvent
from app.ratings.dashboard import chapter_panel
from app.ratings.services import (
    apply_note_scores,
    parse_score,
    rate_chapter,
    submit_rating,
)
from tests import factories
from tests.web.helpers import count_queries
from tests.web.ratings_data import add_book, add_member, add_note, chapter


def current(member, chapter_row):
    return db.session.scalar(
        select(Rating).where(Rating.member_id == member.id, Rating.chapter_id == chapter_row.id)
    )


def history(member, chapter_row):
    return [
        (event.source, event.score)
        for event in db.session.scalars(
            select(RatingEvent)
            .where(RatingEvent.member_id == member.id, RatingEvent.chapter_id == chapter_row.id)
            .order_by(RatingEvent.id)
        )
    ]


@pytest.fixture
def setting(app):
    book = add_book(chapters=3)
    member = add_member("김규민")
    note = add_note(book, member, {2: 30}, total=30)
    db.session.commit()
    return book, member, note


def test_note_score_becomes_current_rating_with_history(setting):
    book, member, note = setting
    apply_note_scores(note, {2: 4.0})
    db.session.commit()
    rating = current(member, chapter(book, 2))
    assert (rating.score, rating.source, rating.note_id) == (4.0, "note", note.id)
    assert history(member, chapter(book, 2)) == [("note", 4.0)]


def test_web_rating_then_changed_note_score_latest_wins_and_both_kept(setting):
    book, member, note = setting
    apply_note_scores(note, {2: 4.0})
    db.session.commit()
    rate_chapter(member, chapter(book, 2), 2.5)
    assert current(member, chapter(book, 2)).source == "web"

    apply_note_scores(note, {2: 3.5})  # the note was edited: its score changed
    db.session.commit()
    rating = current(member, chapter(book, 2))
    assert (rating.score, rating.source) == (3.5, "note")
    assert history(member, chapter(book, 2)) == [("note", 4.0), ("web", 2.5), ("note", 3.5)]


def test_unchanged_reimport_keeps_later_web_rating(setting):
    book, member, note = setting
    apply_note_scores(note, {2: 4.0})
    db.session.commit()
    rate_chapter(member, chapter(book, 2), 2.5)

    apply_note_scores(note, {2: 4.0})  # the same note imported again
    db.session.commit()
    rating = current(member, chapter(book, 2))
    assert (rating.score, rating.source) == (2.5, "web")
    assert history(member, chapter(book, 2)) == [("note", 4.0), ("web", 2.5)]


def test_web_rating_before_first_import_is_replaced_by_the_note(setting):
    book, member, note = setting
    rate_chapter(member, chapter(book, 2), 1.5)
    apply_note_scores(note, {2: 4.5})
    db.session.commit()
    assert current(member, chapter(book, 2)).score == 4.5
    assert history(member, chapter(book, 2)) == [("web", 1.5), ("note", 4.5)]


def test_apply_note_scores_does_not_commit(setting):
    book, member, note = setting
    apply_note_scores(note, {2: 4.0})
    db.session.rollback()
    assert current(member, chapter(book, 2)) is None
    assert history(member, chapter(book, 2)) == []


def test_apply_note_scores_creates_missing_chapters_and_skips_invalid(setting):
    book, member, note = setting
    apply_note_scores(note, {7: 5.0, 2: 4.25, 3: 0.0})
    db.session.commit()
    seventh = db.session.scalar(
        select(Chapter).where(Chapter.book_id == book.id, Chapter.number == 7)
    )
    assert seventh is not None
    assert current(member, seventh).score == 5.0
    assert current(member, chapter(book, 2)) is None
    assert current(member, chapter(book, 3)) is None


def test_apply_note_scores_for_a_new_unflushed_note(setting):
    book, member, _ = setting
    note = factories.note(
        book, member, (), flush=False, source_key="new.md", title="새 노트", source="x",
        content_hash="h",
    )  # fmt: skip
    assert note.id is None
    apply_note_scores(note, {1: 3.0})
    db.session.commit()
    assert current(member, chapter(book, 1)).note_id == note.id


def test_same_web_rating_twice_records_once(setting):
    book, member, _ = setting
    rate_chapter(member, chapter(book, 1), 3.0)
    rate_chapter(member, chapter(book, 1), 3.0)
    assert history(member, chapter(book, 1)) == [("web", 3.0)]


@pytest.mark.parametrize("score", [0, 0.25, 5.5, -1, 2.3])
def test_rate_chapter_rejects_scores_off_the_half_steps(setting, score):
    book, member, _ = setting
    with pytest.raises(Invalid, match=r"0\.5점"):
        rate_chapter(member, chapter(book, 1), score)
    assert current(member, chapter(book, 1)) is None


@pytest.mark.parametrize(("raw", "score"), [("4", 4.0), ("3.5", 3.5), (" 0.5 ", 0.5), (5, 5.0)])
def test_parse_score_accepts(raw, score):
    assert parse_score(raw) == score


@pytest.mark.parametrize("raw", [None, "", "abc", "nan", "inf", "6", "0", "2.7"])
def test_parse_score_rejects_with_korean_message(raw):
    with pytest.raises(Invalid, match=r"0\.5점부터 5점까지"):
        parse_score(raw)


def test_submit_rating_unknown_chapter(setting):
    book, member, _ = setting
    with pytest.raises(NotFound):
        submit_rating(book.id, 99, member, "3")


def test_chapter_panel_stats_and_fixed_queries(setting):
    book, member, note = setting
    others = [add_member(name) for name in ("박이슬", "조재현", "문종운")]
    for other, score in zip(others, (2.0, 4.0, 5.0), strict=True):
        rate_chapter(other, chapter(book, 2), score)
    apply_note_scores(note, {2: 4.0})
    db.session.commit()
    chapter_id, member_id = chapter(book, 2).id, member.id
    db.session.expire_all()
    with count_queries() as counter:
        panel = chapter_panel(chapter_id, member_id)
    assert counter[0] == 2
    assert panel.stats.count == 4
    assert panel.stats.mean == pytest.approx(3.75)
    assert panel.stats.median == 4.0
    assert panel.my_score == 4.0 and panel.my_source == "노트"
    assert [r.member_name for r in panel.ratings] == ["박이슬", "김규민", "조재현", "문종운"]
    assert panel.stats.histogram[3] == 1 and panel.stats.histogram[7] == 2
    assert "<svg" in panel.histogram_svg
    assert chapter_panel(999_999, None) is None


def test_rate_chapter_recovers_when_another_request_created_the_rating(setting, monkeypatch):
    book, member, _ = setting
    third = chapter(book, 3)
    rate_chapter(member, third, 2.0)
    real_scalar = db.session.scalar
    calls = []

    def stale_first_lookup(statement, *args, **kwargs):
        calls.append(statement)
        return None if len(calls) == 1 else real_scalar(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalar", stale_first_lookup)
    rating = rate_chapter(member, third, 4.5)
    monkeypatch.undo()
    assert (rating.score, rating.source) == (4.5, "web")
    assert history(member, third) == [("web", 2.0), ("web", 4.5)]
    assert len(db.session.scalars(select(Rating).where(Rating.member_id == member.id)).all()) == 1
