"""What a note's path says: `book/member/[3장][객체지향].md` → book, member, chapter 3 and
its title. The layouts are described in docs/NOTE_FORMAT.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from app.notes.parse.chapters import chapters_in_name

NOT_MEMBER_STEMS = {"readme", "index"}


@dataclass
class PathFacts:
    """What a note's path says: book, member, chapters and the title of the chapter part."""

    book: str | None = None
    member: str | None = None
    chapters: list[int] = field(default_factory=list)
    chapter_title: str | None = None
    file_title: str | None = None


def path_facts(path: str | PurePosixPath, *, book_given: bool) -> PathFacts:
    """Read book, member and chapters out of a path relative to the imported root."""
    parts = [
        p for p in PurePosixPath(str(path).replace("\\", "/")).parts if p not in ("", ".", "/")
    ]
    facts = PathFacts()
    if not parts:
        return facts
    folders, filename = parts[:-1], parts[-1]
    stem = filename.rsplit(".", 1)[0] if "." in filename[1:] else filename
    folder_chapters = [chapters_in_name(folder) for folder in folders]

    if not book_given and folders and not folder_chapters[0][0]:
        facts.book = folders[0].strip() or None
        candidates = list(range(1, len(folders)))
    else:
        candidates = list(range(len(folders)))

    file_chapters, file_title = chapters_in_name(stem)
    if file_chapters:
        facts.chapters, facts.chapter_title = file_chapters, file_title
    else:
        for index in reversed(candidates):
            if folder_chapters[index][0]:
                facts.chapters, facts.chapter_title = folder_chapters[index]
                break
    facts.file_title = file_title if file_chapters else None

    # The member: the nearest part that is neither a chapter part nor README/index. The file
    # name itself only names a member inside a chapter folder (`[3장] 객체지향/sanha.md`).
    parent_is_chapter = bool(folders) and bool(folder_chapters[-1][0])
    if (
        parent_is_chapter
        and not file_chapters
        and stem.lower() not in NOT_MEMBER_STEMS
        and (len(folders) - 1) in candidates
    ):
        facts.member = stem.strip() or None
        return facts
    for index in reversed(candidates):
        if not folder_chapters[index][0] and folders[index].lower() not in NOT_MEMBER_STEMS:
            facts.member = folders[index].strip() or None
            break
    return facts
