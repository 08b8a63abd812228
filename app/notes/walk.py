"""Which files of a folder are notes. Pure: no Flask."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from app.notes.parse import NoteReadError, decode_note, too_large_error

MARKDOWN_SUFFIXES = {".md", ".markdown"}


@dataclass(frozen=True)
class NoteFile:
    """A file found under the imported root."""

    root: Path
    path: Path
    relative: PurePosixPath
    not_markdown: bool = False


def walk_notes(root: Path) -> Iterator[NoteFile]:
    """Every file under `root`, sorted by path, hidden files and folders passed over.

    A file given directly is read whatever its name."""
    root = Path(root)
    if root.is_file():
        yield NoteFile(root.parent, root, PurePosixPath(root.name))
        return
    for path in sorted(root.rglob("*")):
        relative = PurePosixPath(path.relative_to(root).as_posix())
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        yield NoteFile(root, path, relative, path.suffix.lower() not in MARKDOWN_SUFFIXES)


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
