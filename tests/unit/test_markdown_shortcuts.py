"""The renderer's shortcuts (label walks remembered, inline rules dispatched by character)
give exactly the HTML of markdown-it's own loops, on tricky inputs, the spec and the notes."""

from __future__ import annotations

import pytest

from app.text.markdown import _new_markdown
from tests.unit.test_gfm_differential import SPEC_DIR, spec_examples

TRICKY = [
    "[a [b](c) d](e)",
    "![a [b](c) d](e)",
    "[a `]` b](c) and [a <x]> b](c) and [a\\]b](c)",
    "^[inline [b] note] and [^1]\n\n[^1]: note",
    "[x]: /u\n\n[a [x] b] [x][] [[x]] [[x]](y) [x] [y][x]",
    "[[[[a](b)]]](c) ![[[[a](b)]]](c) [![a](b)](c)",
    "[" * 30 + "x" + "]" * 30 + "(y)",
    "![" * 30 + "x" + "]" * 30 + "(y)",
    "*a [b* c](d) **e [f** g] ~~h [i~~ j](k) $x [y$ z](w)",
    "<a href='[x]'>[y](z)</a> [<b>](c) &amp;[d](e) \\[f](g)",
    "[\n" * 40 + "]" + "(u)\n" * 3,
    # Lines that may end a paragraph, a quote or a list item (the block rule dispatch).
    "a\n- b\n> c\n```\nd\n```\n<div>\nx\n</div>\n# e\n$$\nf\n$$\n[^1]: g\n[r]: /u\n***\n1) h\n",
    "- a\n  b\n    c\n> d\ne\n---\n| a | b |\n|---|:-:|\n| 1 | 2 |\n",
    "  ~~~\n  x\n  ~~~\n<img src=a>\n",
    "> - a\n>   > b\n> c\n\n2. d\n3) e\n+ f\n\t- g\n[x]:\n/u\n't'\n\n[x] [^1]\n\n[^1]: n",
]
for depth in range(15, 26):
    TRICKY += [
        "[" * depth + "foo" + "]" * depth + "()",
        "[" * depth + "foo]()",
        "![" * depth + "foo]()",
        "[" * depth + "foo](u)" + "]" * depth,
        "[a](" * depth + "b" + ")" * depth,
    ]


def _both(texts: list[str]) -> list[str]:
    fast, plain = _new_markdown(), _new_markdown(shortcuts=False)
    return [text for text in texts if fast.render(text, {}) != plain.render(text, {})]


def test_tricky_links_render_alike():
    assert _both(TRICKY) == []


def test_spec_examples_render_alike():
    if not (SPEC_DIR / "spec.txt").is_file():
        pytest.skip(f"the GFM spec is not at {SPEC_DIR} (it lives beside the project)")
    texts = [
        text
        for name in ("spec.txt", "extensions.txt")
        for _s, _n, text in spec_examples(SPEC_DIR / name)
    ]
    assert len(texts) > 600
    assert _both(texts) == []


def test_real_notes_render_alike(corpus):
    texts = [
        note.read_text(encoding="utf-8-sig", errors="replace")
        for note in sorted(corpus.rglob("*.md"))
    ]
    assert _both(texts) == []
