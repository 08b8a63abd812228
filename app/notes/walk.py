"""Which files of a folder are notes (NOTE_FORMAT.md). Pure: no Flask, no database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.notes.parse import NoteReadError, decode_note, too_large_error

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class FoundFile:
    """A file met while walking a folder: its path relative to the folder (POSIX, for
    `parse_note`), its path on disk, and whether it is Markdown (else it is only listed)."""

    relative_path: str
    absolute_path: Path
    is_markdown: bool


def is_hidden(name: str) -> bool:
    """Hidden files and folders (`.github/`, `.DS_Store`) are passed over."""
    return name.startswith(".")


def is_markdown_name(name: str) -> bool:
    """`*.md` and `*.markdown` (any case) are notes to read."""
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def walk_folder(root: str | os.PathLike[str]) -> list[FoundFile]:
    """Every non-hidden file under `root`, sorted by relative path; hidden files and
    folders are skipped, symbolic links to folders are not followed."""
    root_path = Path(root)
    found: list[FoundFile] = []
    for folder, folders, files in os.walk(root_path, followlinks=False):
        folders[:] = sorted(name for name in folders if not is_hidden(name))
        for name in files:
            if is_hidden(name):
                continue
            absolute = Path(folder) / name
            if not absolute.is_file():
                continue
            relative = absolute.relative_to(root_path).as_posix()
            found.append(FoundFile(relative, absolute, is_markdown_name(name)))
    found.sort(key=lambda item: item.relative_path)
    return found


def files_to_read(path: str | os.PathLike[str]) -> list[FoundFile]:
    """What a path named on the command line yields: a folder is walked; a file is read
    whatever its name, as a lone file (its relative path is its own name)."""
    given = Path(path)
    if given.is_dir():
        return walk_folder(given)
    return [FoundFile(given.name, given, True)]


def walk_notes(root: str | os.PathLike[str]) -> Iterator[tuple[str, Path]]:
    """(relative path, absolute path) of each Markdown note under `root`, sorted."""
    for item in walk_folder(root):
        if item.is_markdown:
            yield item.relative_path, item.absolute_path


def read_note_file(path: str | os.PathLike[str], max_bytes: int) -> str:
    """Read and decode one note file, or raise NoteReadError with a Korean reason
    (a file too large is refused from its size, before it is read)."""
    file_path = Path(path)
    try:
        size = file_path.stat().st_size
        if size > max_bytes:
            raise too_large_error(size, max_bytes)
        data = file_path.read_bytes()
    except OSError as error:
        raise NoteReadError(f"파일을 열 수 없습니다: {error.strerror or error}.") from error
    return decode_note(data, max_bytes)
