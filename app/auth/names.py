"""Names and usernames people cannot confuse: NFKC, no invisible characters, no look-alikes.
Pure code (no Flask)."""

from __future__ import annotations

import unicodedata

# Letters of other scripts drawn like Latin ones (the common part of Unicode's confusables).
LOOK_ALIKES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "к": "k", "м": "m",
        "т": "t", "в": "b", "н": "h", "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i",
        "κ": "k", "τ": "t", "χ": "x", "υ": "u", "ε": "e", "0": "o", "1": "l", "|": "l",
        "ı": "i", "ℓ": "l",
    }
)  # fmt: skip
# Hangul fillers are letters (Lo) yet show nothing.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def normalize(text: str) -> str:
    """NFKC (full-width to plain, NFD Hangul to NFC) with runs of white space made one."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def has_invisible(text: str) -> bool:
    """True when the text holds a control, format (zero-width) or filler character
    (white space is allowed: it is collapsed to one space)."""
    return any(
        not ch.isspace()
        and (unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn", "Cs") or ch in INVISIBLE_LETTERS)
        for ch in text
    )


def skeleton(text: str) -> str:
    """What a name looks like: normalized, case-folded, look-alike letters mapped, and
    spaces, dots, hyphens and underscores dropped; two names with one skeleton clash."""
    folded = normalize(text).casefold().translate(LOOK_ALIKES)
    return "".join(ch for ch in folded if ch not in " .-_")
