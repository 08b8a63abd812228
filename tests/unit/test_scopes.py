"""Filling the write rules: columns, old and new values, empty columns and references."""

from app.web.scopes import expand, rule_columns


def values_of(row: dict):
    return lambda column: row[column]


def no_lookup(*_args):
    raise AssertionError("no reference to look up")


def test_templates_are_filled_from_old_and_new_values_and_skip_empty_columns():
    row = {"id": [7], "book_id": [1, 2], "note_id": [None]}
    scopes = expand(
        ["thread:{id}", "book:{book_id}", "note:{note_id}", "board"], [values_of(row)], no_lookup
    )
    assert scopes == {"thread:7", "book:1", "book:2", "board"}


def test_references_are_looked_up_in_batches_until_none_is_left():
    calls = []

    def lookup(table, column, keys, columns):
        calls.append((table, column, sorted(keys), sorted(columns)))
        if table == "answers":
            return [{"question_id": 3}]
        return [{"id": 3, "book_id": 1, "chapter_number": 2, "asker_id": 5, "note_id": None}]

    rows = [values_of({"answer_id": [10, 11]})]
    scopes = expand(["@answer:{answer_id}"], rows, lookup)
    assert {"thread:3", "book:1", "chapter:1:2", "member:5", "board"} <= scopes
    assert [call[:3] for call in calls] == [("answers", "id", [10, 11]), ("questions", "id", [3])]


def test_rule_columns():
    assert rule_columns(["book:{book_id}", "chapter:{book_id}:{number}", "site"]) == {
        "book_id",
        "number",
    }
