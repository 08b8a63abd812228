"""Print how long each pathological input takes through the renderer and the parser."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.notes.parse import parse_note
from app.notes.render import render_markdown
from app.text.pathological import pathological_inputs

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _seconds(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    """Time every pathological input, then the median render time of the real notes."""
    print(f"{'input':<22}{'bytes':>8}{'render s':>10}{'parse s':>10}")
    for name, text in pathological_inputs().items():
        render = _seconds(render_markdown, text)
        parse = _seconds(parse_note, text, "책/멤버/1장.md")
        print(f"{name:<22}{len(text.encode()):>8}{render:>10.3f}{parse:>10.3f}")
    notes = sorted(CORPUS.rglob("*.md"))
    if notes:
        texts = [note.read_bytes().decode("utf-8-sig", errors="replace") for note in notes]
        for text in texts[:5]:
            render_markdown(text)  # warm up
        times = [_seconds(render_markdown, text) * 1000 for text in texts]
        print(f"corpus: {len(times)} notes, median render {statistics.median(times):.2f} ms")


if __name__ == "__main__":
    main()
