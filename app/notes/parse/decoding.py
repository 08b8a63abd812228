"""A note's bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or CP949/EUC-KR."""

from __future__ import annotations

import unicodedata

from app.text.files import human_size


class NoteReadError(Exception):
    """A file that cannot be read as a note at all (binary, empty, too large, bad encoding)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR to "\\n", without a leading byte-order mark."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def too_large_error(size: int, max_bytes: int) -> NoteReadError:
    """The error for a file larger than the configured limit."""
    return NoteReadError(f"파일이 너무 큽니다: {human_size(size)} (최대 {human_size(max_bytes)}).")


def _decode(data: bytes) -> str:
    """The text of `data` in the first encoding that reads it, or NoteReadError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" in data:
        raise NoteReadError("바이너리 파일입니다 (NUL 바이트가 들어 있어 글로 읽을 수 없습니다).")
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NoteReadError("글자 인코딩을 알 수 없습니다: UTF-8도 CP949(EUC-KR)도 아닙니다.")


def decode_note(data: bytes, max_bytes: int) -> str:
    """Decode a note's bytes or raise NoteReadError (too large, empty, binary, unknown)."""
    if len(data) > max_bytes:
        raise too_large_error(len(data), max_bytes)
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise NoteReadError("빈 파일입니다.")
    text = _decode(data)
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in "\t\n\r\x0c"
    )
    if "\x00" in text or controls > max(8, len(text) // 20):
        raise NoteReadError("바이너리 파일입니다 (제어 문자가 많아 글로 읽을 수 없습니다).")
    text = normalize_newlines(text)
    if not text.strip():
        raise NoteReadError("빈 파일입니다.")
    return text
