"""Inputs that make naive Markdown parsers and regular expressions slow (up to 100 KB).

Shared by the test that feeds them through the parser and the renderer and by
bench/pathological.py, which prints how long each takes.
"""

from __future__ import annotations

SCORE_NOTE_HEAD = "# 노트\n\n## ✅ 4. 자기 점검\n\n**📈 이해도 점수**\n\n- Chapter 1: "


def pathological_inputs() -> dict[str, str]:
    """Name -> Markdown text, each at most about 100 KB."""
    return {
        "brackets": "[" * 12_000,
        "brackets-100k": "[" * 100_000,
        "brackets-closed": "[" * 12_000 + "]",
        "brackets-closed-100k": "[" * 100_000 + "]",
        "image-brackets": "![" * 50_000 + "]",
        "bracket-lines": "[\n" * 50_000 + "]",
        "brackets-link": "[" * 100_000 + "](u)",
        "image-brackets-link": "![" * 50_000 + "](u)",
        "bracket-lines-link": "[\n" * 50_000 + "](u)",
        "bracket-lines-ref": "[x]: /u\n\n" + "[\n" * 50_000 + "]",
        "open-tags": "<a " * 10_000,
        "stars": "*" * 50_000,
        "stars-words": "*a " * 30_000,
        "underscores": "_a " * 30_000,
        "backticks": "`" * 50_000,
        "backtick-pairs": "`a``" * 20_000,
        "quotes-deep": ">" * 10_000 + " x",
        "quotes-deep-lines": "".join(">" * depth + " x\n" for depth in range(1, 440)),
        "lists-deep": "".join("  " * depth + "- x\n" for depth in range(300)),
        "list-markers-deep": "- " * 10_000 + "x",
        "quote-lists-deep": "> - " * 5_000 + "x",
        "headings": "## 가\n" * 12_000,
        "tasks": "- [ ] x\n" * 12_000,
        "score-digits": SCORE_NOTE_HEAD + "1" * 20_000 + "\n",
        "score-digits-slash": SCORE_NOTE_HEAD + "1" * 20_000 + "/" + "\n",
        "time-digits": "## 독서 과정\n\n- 읽은 시간: " + "9" * 20_000 + "\n",
        "front-matter": "---\n" + "  \n" * 30_000 + "#\n",
        "dollars": "$a " * 30_000,
        "links": "[a](" * 20_000,
        "autolinks": "www.a" * 20_000,
        "emails": "a@" * 40_000,
        "tildes": "~" * 50_000,
        "url-entities": "https://a.b/" + "&a;" * 25_000,
        "url-parens": "https://a.b/" + ")" * 50_000,
        "table-columns": "|a" * 5_000 + "\n" + "|-" * 5_000 + "\n" + "|a" * 5_000 + "\n",
    }
