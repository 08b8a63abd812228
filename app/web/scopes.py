"""What each write changes: the page scopes a changed row of each table bumps. Pure data.

A scope names a set of pages (`thread:7` is the thread page of question 7). A cached page
lists the scopes it shows (see `versioned` in app/web/page_versions.py) and stays current
while none of them moves. A write bumps the scopes its rows name here:

- `"book:{book_id}"` is filled from the changed row's columns (old and new values, so a
  question moved to another book changes both); a template with an empty column is skipped.
- `"@question:{question_id}"` is a reference: the scopes of the rows that REFERENCES names
  (here the question with that id, looked up in the same transaction).
- `site` is every page: the rule for tables whose rows appear everywhere (member names,
  book and chapter titles) and for a table missing from both lists below.

`expand` fills the templates (pure: rows are read through the callables it is given).

Page scopes: `site`, `home`, `board`, `search`, `book:<id>` (dashboard, meeting prep),
`chapter:<book id>:<number>`, `note:<id>`, `thread:<id>`, `member:<id>` (member page) and
`inbox:<member id>` (the unread badge on every page that member sees).
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import product
from typing import Any

SITE = "site"

_THREAD = ("thread:{id}", "board", "search", "home")
QUESTION_SCOPES = (
    *_THREAD,
    "book:{book_id}",
    "chapter:{book_id}:{chapter_number}",
    "member:{asker_id}",
    "note:{note_id}",
)
NOTE_SCOPES = (
    "note:{id}",
    "book:{book_id}",
    "member:{member_id}",
    "search",
    "home",
    "@chapters_of_note:{id}",
    "@threads_of_note:{id}",  # a thread shows its note's title
)
CHAPTER_SCOPES = ("book:{book_id}", "chapter:{book_id}:{number}")
RATING_SCOPES = (
    "@chapter:{chapter_id}",
    "member:{member_id}",
    "@notes_of_member:{member_id}",  # a note shows its author's score for its chapters
    "home",
)

WRITE_SCOPES: dict[str, tuple[str, ...]] = {
    "members": (SITE,),  # names on every page
    "books": (SITE,),  # titles on every page (menus, filters)
    "chapters": (SITE,),  # titles on board, search and book pages
    "notes": NOTE_SCOPES,
    "note_chapters": ("@note:{note_id}", "@chapter:{chapter_id}"),
    "note_versions": ("note:{note_id}",),
    "questions": QUESTION_SCOPES,
    "answers": ("@question:{question_id}", "member:{author_id}"),
    "post_revisions": ("@question:{question_id}", "@answer:{answer_id}"),
    "votes": ("@question:{question_id}",),
    "notifications": ("inbox:{member_id}",),
    "ratings": RATING_SCOPES,
    "rating_events": RATING_SCOPES,
    "meetings": ("book:{book_id}", "home"),  # the next meeting on home and the dashboard
    "repositories": (SITE,),  # a note links to its file in the repository
}

# Tables no cached page reads: writing them changes no page.
NO_PAGE_TABLES = frozenset(
    {
        "login_attempts",
        "invites",
        "api_tokens",
        "assets",  # served under their own content-hash ETag
        "git_identities",  # pages show a version's author through note_versions
        "page_versions",
        "idempotency_keys",
        "mail_settings",
        "book_webhooks",
        "outbox",
        "feed_tokens",
    }
)

# Columns no cached page shows: a change to only these changes no page.
UNSHOWN_COLUMNS: dict[str, frozenset[str]] = {
    "members": frozenset({"session_generation"}),  # grows on sign-out
    "repositories": frozenset({"last_commit", "last_synced_at", "last_error", "secret", "token"}),
}

# name → (table, key column, scopes of each row whose key column holds the value).
REFERENCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "question": ("questions", "id", QUESTION_SCOPES),
    "answer": ("answers", "id", ("@question:{question_id}",)),
    "note": ("notes", "id", NOTE_SCOPES),
    "chapter": ("chapters", "id", CHAPTER_SCOPES),
    "chapters_of_note": ("note_chapters", "note_id", ("@chapter:{chapter_id}",)),
    "threads_of_note": ("questions", "note_id", ("thread:{id}",)),
    "notes_of_member": ("notes", "member_id", ("note:{id}",)),
}


_FIELD = re.compile(r"\{(\w+)\}")
_REFERENCE = re.compile(r"@(\w+):\{(\w+)\}$")

Values = Callable[[str], list[Any]]  # a column name → that row's values (old and new)
Lookup = Callable[[str, str, list[Any], set[str]], list[dict[str, Any]]]
"""(table, key column, keys, columns wanted) → the rows whose key column holds one of the keys."""


Reference = tuple[str, Any]  # (a name in REFERENCES, a key)


class Unknown(Exception):
    """A column a rule needs could not be read: the caller bumps `site` instead."""


def rule_columns(templates: Iterable[str]) -> set[str]:
    """The columns a rule's templates read."""
    return {name for template in templates for name in _FIELD.findall(template)}


def expand(templates: Iterable[str], rows: Iterable[Values], lookup: Lookup) -> set[str]:
    """The scopes these rows name, following references (each looked up once, in batches)."""
    scopes, references = fill(tuple(templates), rows)
    return scopes | follow(references, lookup)


def follow(references: set[Reference], lookup: Lookup) -> set[str]:
    """The scopes these references name, and those of the references they name in turn."""
    scopes: set[str] = set()
    seen: set[Reference] = set()
    while references - seen:
        wanted: dict[str, list[Any]] = defaultdict(list)
        for name, key in references - seen:
            wanted[name].append(key)
        seen |= references
        references = set()
        for name, keys in wanted.items():
            table, column, rule = REFERENCES[name]
            found = lookup(table, column, keys, rule_columns(rule))
            more_scopes, more = fill(rule, [_row_values(row) for row in found])
            scopes |= more_scopes
            references |= more
    return scopes


def _row_values(row: dict[str, Any]) -> Values:
    return lambda column: [row[column]]


def fill(templates: tuple[str, ...], rows: Iterable[Values]) -> tuple[set[str], set[Reference]]:
    """The scopes these rows name directly, and the references they name (not yet followed)."""
    scopes: set[str] = set()
    references: set[Reference] = set()
    for values in rows:
        for template in templates:
            if reference := _REFERENCE.match(template):
                name, column = reference.groups()
                references |= {(name, key) for key in values(column) if key is not None}
                continue
            names = _FIELD.findall(template)
            for combination in product(*(values(name) for name in names)):
                if None not in combination:
                    scopes.add(template.format(**dict(zip(names, combination, strict=True))))
    return scopes, references
