"""Read a study note: what docs/NOTE_FORMAT.md says a note yields. Pure: no Flask, no database.

decoding (bytes to text) → frontmatter → paths (book, member, chapters from the path) →
sections (the template's headings) → scores, reading, questions → note (ParsedNote).
template holds the note template and its checks; chapters the one chapter-list reading;
lines the Markdown line helpers; types the result and the `Note.parsed` JSON shape."""

from app.notes.parse.chapters import chapters_in_name, parse_chapter_list
from app.notes.parse.decoding import (
    NoteReadError,
    decode_note,
    normalize_newlines,
    too_large_error,
)
from app.notes.parse.frontmatter import split_front_matter
from app.notes.parse.lines import strip_emphasis
from app.notes.parse.note import parse_note
from app.notes.parse.paths import PathFacts, path_facts
from app.notes.parse.questions import MAX_QUESTIONS, parse_questions
from app.notes.parse.reading import read_minutes
from app.notes.parse.scores import read_score
from app.notes.parse.types import NoteParsed, ParsedNote, ParsedQuestion, note_parsed

__all__ = [
    "MAX_QUESTIONS",
    "NoteParsed",
    "NoteReadError",
    "ParsedNote",
    "ParsedQuestion",
    "PathFacts",
    "chapters_in_name",
    "decode_note",
    "normalize_newlines",
    "note_parsed",
    "parse_chapter_list",
    "parse_note",
    "parse_questions",
    "path_facts",
    "read_minutes",
    "read_score",
    "split_front_matter",
    "strip_emphasis",
    "too_large_error",
]
