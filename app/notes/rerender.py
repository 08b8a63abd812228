"""Re-render stored notes, questions and answers with the current renderer."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Answer, Note, Question
from app.notes.parse import normalize_newlines, split_front_matter
from app.notes.render import render_markdown
from app.text.markdown import body_html

_SERVED_IMAGE = re.compile(r'src="(/assets/\d+/[^"]*)"')


@dataclass
class RerenderReport:
    """How many rows got new HTML, and notes whose images could not be matched again."""

    notes: int = 0
    questions: int = 0
    answers: int = 0
    unmatched_images: int = 0


def _served_images(old_html: str) -> list[str]:
    """The served image URLs of a stored page, once each, in order of appearance."""
    return list(dict.fromkeys(_SERVED_IMAGE.findall(old_html)))


def _rerender_note(note: Note, report: RerenderReport) -> None:
    """New HTML for one note; its imported images keep the URLs they were served at."""
    body = split_front_matter(unicodedata.normalize("NFC", normalize_newlines(note.source)))[1]
    plain = render_markdown(body)
    served = _served_images(note.html)
    mapping: dict[str, str] = {}
    if served and len(served) == len(plain.local_images):
        mapping = dict(zip(plain.local_images, served, strict=True))
    elif served:
        report.unmatched_images += 1
    rendered = render_markdown(body, image_url=mapping.get)
    if (rendered.html, rendered.toc_html) != (note.html, note.toc_html):
        note.html, note.toc_html = rendered.html, rendered.toc_html
        report.notes += 1


def _rerender_body(row: Question | Answer) -> bool:
    new_html = body_html(row.body)
    if new_html == row.body_html:
        return False
    row.body_html = new_html
    return True


def rerender_all() -> RerenderReport:
    """Render every stored note, question and answer again and commit the changes."""
    report = RerenderReport()
    for note in db.session.scalars(select(Note)):
        _rerender_note(note, report)
    report.questions = sum(_rerender_body(q) for q in db.session.scalars(select(Question)))
    report.answers = sum(_rerender_body(a) for a in db.session.scalars(select(Answer)))
    db.session.commit()
    return report
