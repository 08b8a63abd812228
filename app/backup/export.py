"""A portable export of everything: Markdown, JSON, CSV and image files, no Studyhall needed."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Answer, Asset, Book, Chapter, Member, Note, Question, Rating

UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]')


def safe_name(text: str, fallback: str = "_") -> str:
    """One path segment from any title: no separators, controls or leading dots."""
    name = UNSAFE.sub("_", text).strip().lstrip(".")[:150]
    return name or fallback


def _front_matter(fields: dict[str, Any]) -> str:
    """A YAML front matter block (every value JSON-quoted, which YAML reads too)."""
    lines = [
        f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}"
        for key, value in fields.items()
    ]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def export_notes(root: Path) -> int:
    """Each note as notes/<book>/<member>/<file>.md, its versions in <file>.versions/."""
    count = 0
    for note in db.session.scalars(select(Note).order_by(Note.id)):
        folder = root / "notes" / safe_name(note.book.title) / safe_name(note.member.name)
        folder.mkdir(parents=True, exist_ok=True)
        stem = safe_name(Path(note.source_key).stem, f"note-{note.id}")
        meta = {
            "id": note.id,
            "title": note.title,
            "book": note.book.title,
            "member": note.member.name,
            "created_at": note.created_at,
            "updated_at": note.updated_at,
            "deleted_at": note.deleted_at,
            "versions": note.version_count,
            "origin": note.origin,
        }
        (folder / f"{stem}.md").write_text(_front_matter(meta) + note.source, encoding="utf-8")
        for version in note.versions:
            vfolder = folder / f"{stem}.versions"
            vfolder.mkdir(exist_ok=True)
            vmeta = {"version": version.number, "created_at": version.created_at}
            vmeta["author"] = version.author.name if version.author else None
            text = _front_matter(vmeta) + version.source
            (vfolder / f"v{version.number:04d}.md").write_text(text, encoding="utf-8")
        count += 1
    return count


def export_threads(root: Path) -> int:
    """Each thread as questions/<id>.md (question, then answers) and questions/<id>.json."""
    folder = root / "questions"
    folder.mkdir(parents=True, exist_ok=True)
    names = dict(db.session.execute(select(Member.id, Member.name)).all())
    books = dict(db.session.execute(select(Book.id, Book.title)).all())
    count = 0
    for question in db.session.scalars(select(Question).order_by(Question.id)):
        answers = list(
            db.session.scalars(
                select(Answer).where(Answer.question_id == question.id).order_by(Answer.id)
            )
        )
        meta = _thread_meta(question, answers, names, books)
        parts = [_front_matter({k: v for k, v in meta.items() if k != "answers"})]
        parts.append(f"# {question.title}\n\n{question.body}\n")
        for answer, ameta in zip(answers, meta["answers"], strict=True):
            head = f"\n## 답변 {answer.id} — {ameta['author']} ({answer.created_at:%Y-%m-%d %H:%M})"
            parts.append(head + (" ✅" if answer.accepted else "") + f"\n\n{answer.body}\n")
        (folder / f"{question.id}.md").write_text("".join(parts), encoding="utf-8")
        data = json.dumps(meta, ensure_ascii=False, indent=2, default=str)
        (folder / f"{question.id}.json").write_text(data, encoding="utf-8")
        count += 1
    return count


def _thread_meta(
    question: Question, answers: list[Answer], names: dict[int, str], books: dict[int, str]
) -> dict[str, Any]:
    """A thread's metadata (and its answers') as plain JSON values."""
    return {
        "id": question.id,
        "title": question.title,
        "book": books.get(question.book_id),
        "chapter": question.chapter_number,
        "asker": names.get(question.asker_id),
        "state": question.state,
        "created_at": question.created_at,
        "deleted_at": question.deleted_at,
        "hidden_at": question.hidden_at,
        "answers": [
            {
                "id": a.id,
                "author": names.get(a.author_id),
                "body": a.body,
                "accepted": a.accepted,
                "created_at": a.created_at,
                "deleted_at": a.deleted_at,
            }
            for a in answers
        ],
    }


def export_ratings(root: Path) -> int:
    """Every chapter rating as ratings.csv (book, chapter, member, score, source, date)."""
    rows = db.session.execute(
        select(
            Book.title, Chapter.number, Member.name, Rating.score, Rating.source, Rating.updated_at
        )
        .join(Chapter, Chapter.id == Rating.chapter_id)
        .join(Book, Book.id == Chapter.book_id)
        .join(Member, Member.id == Rating.member_id)
        .order_by(Book.title, Chapter.number, Member.name)
    ).all()
    with (root / "ratings.csv").open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["book", "chapter", "member", "score", "source", "updated_at"])
        writer.writerows(rows)
    return len(rows)


def export_images(root: Path) -> int:
    """Every stored image as images/<sha256-prefix>-<filename>."""
    folder = root / "images"
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for asset in db.session.scalars(select(Asset).order_by(Asset.id)):
        (folder / f"{asset.sha256[:12]}-{safe_name(asset.filename)}").write_bytes(asset.data)
        count += 1
    return count


def export_all(root: Path) -> dict[str, int]:
    """Write the whole export under `root`; returns how many of each kind were written."""
    root.mkdir(parents=True, exist_ok=True)
    return {
        "notes": export_notes(root),
        "questions": export_threads(root),
        "ratings": export_ratings(root),
        "images": export_images(root),
    }
