"""Which files of a folder are notes. Pure: no Flask."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

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
