"""Print how long each pathological input takes through the renderer and the parser."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.notes.parse import parse_chapter_list, parse_note
from app.notes.render import render_markdown
from app.text.pathological import pathological_inputs

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _seconds(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def _cpu_seconds(function, *args) -> float:
    """CPU time of one call: on a shared machine, wall time also counts other processes."""
    start = time.process_time()
    function(*args)
    return time.process_time() - start


def _best_ms(function, text: str, rounds: int = 3) -> float:
    return min(_seconds(function, text) for _ in range(rounds)) * 1000


def main() -> None:
    """Time every pathological input, then the median render time of the real notes."""
    print("Pathological inputs (target: each under 0.5 s)")
    print(f"{'input':<22}{'bytes':>8}{'render s':>10}{'render cpu':>11}{'parse s':>10}")
    for name, text in pathological_inputs().items():
        render = _seconds(render_markdown, text)
        render_cpu = _cpu_seconds(render_markdown, text)
        parse = _seconds(parse_note, text, "책/멤버/1장.md")
        size = len(text.encode())
        print(f"{name:<22}{size:>8}{render:>10.3f}{render_cpu:>11.3f}{parse:>10.3f}")
    field = "4" + " " * 50_000 + "-" + " " * 50_000 + "6"
    print(
        f"{'chapter-field-spaces':<22}{len(field):>8}{_seconds(parse_chapter_list, field):>10.3f}"
    )
    notes = sorted(CORPUS.rglob("*.md"))
    if notes:
        texts = [note.read_bytes().decode("utf-8-sig", errors="replace") for note in notes]
        for text in texts[:5]:
            render_markdown(text)  # warm up
        once = [_seconds(render_markdown, text) * 1000 for text in texts]
        best = [_best_ms(render_markdown, text) for text in texts]
        print(
            f"corpus: {len(texts)} notes, median render {statistics.median(best):.2f} ms "
            f"(best of 3 per note; one pass: {statistics.median(once):.2f} ms; target < 3 ms)"
        )


if __name__ == "__main__":
    main()
