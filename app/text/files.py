"""Facts about files that several features share: which suffixes are images, and how a
byte count reads in a message. Pure: no Flask, no database."""

from __future__ import annotations

# Image files a note may show and an import keeps, with the type they are served as.
IMAGE_TYPES: dict[str, str] = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".bmp": "image/bmp",
    ".avif": "image/avif",
}
IMAGE_SUFFIXES: tuple[str, ...] = tuple(IMAGE_TYPES)


def human_size(size: int) -> str:
    """A byte count for a message: "3 MB", "1.5 MB", "512 KB", "300 바이트"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} 바이트"
