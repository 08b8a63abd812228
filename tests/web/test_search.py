"""Search: Korean words inside Korean text, the index kept with every write, the page."""

import itertools

import pytest
from sqlalchemy import event, text

from app.extensions import db
from app.models import Answer, Book, Chapter, Member, Note, NoteChapter, Question, utcnow
from app.search import drop_index, results, search
from app.search import sqlite as sqlite_backend
from tests import factories

pytestmark = pytest.mark.sqlite_only(
    reason="the SQLite (FTS5) engine's own tests; test_search_postgres.py holds PostgreSQL to them"
)

_keys = itertools.count(1)


@pytest.fixture
def book(app):
    """A book with two chapters."""
    book = factories.book("카프카 핵심 가이드", (1, 2), {1: "소개", 2: ""})
    db.session.commit()
    return book


@pytest.fixture
def member(app):
    """A member who writes notes."""
    member = factories.member("김민수", login=False)
    db.session.commit()
    return member


def add_note(book, member, html, *, title="노트", chapter=None, commit=True):
    """A note with this rendered HTML (the search indexes the HTML's text)."""
    note = factories.note(
        book,
        member,
        () if chapter is None else (chapter,),
        source_key=f"note-{next(_keys)}.md",
        title=title,
        source=html,
        content_hash="x",
        html=html,
    )
    if commit:
        db.session.commit()
    return note


def add_question(book, member, title, body_html="", *, chapter=None):
    """A board question."""
    question = factories.thread(book, member, title, chapter, body=body_html, body_html=body_html)
    db.session.commit()
    return question


def add_answer(question, member, body_html):
    """An answer on a question."""
    answer = factories.answer(question, member, body_html)
    db.session.commit()
    return answer


def found(query, **filters):
    """(kind, id) of every hit on the first page."""
    return [(hit.kind, hit.id) for hit in search(query, **filters).hits]


@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("설정", "로그 설정을 바꿨다"),
        ("역사", "한국역사를 공부했다"),
        ("대한민국", "대한민국 만세"),
        ("큐", "메시지 큐"),
        ("kafka", "Kafka는 로그다"),
        ("KAFKA", "kafka는 로그다"),
        ("카프카", "카프카의 파티션"),
        ("DB", "샤딩된 db 서버"),
        ("리더 선출", "파티션의 리더를 다시 선출한다"),
    ],
)
def test_korean_words_inside_korean_text(book, member, query, written):
    note = add_note(book, member, f"<p>{written}</p>")
    add_note(book, member, "<p>관계 없는 글입니다</p>")
    assert found(query) == [("note", note.id)]


@pytest.mark.parametrize("query", ["역사", "한국", "설정", "큐"])
def test_terms_that_are_not_there_find_nothing(book, member, query):
    add_note(book, member, "<p>메시지 브로커를 배웠다</p>")
    assert found(query) == []


def test_every_term_must_match(book, member):
    both = add_note(book, member, "<p>카프카의 파티션과 리더</p>")
    add_note(book, member, "<p>카프카만 나온다</p>")
    assert found("카프카 리더") == [("note", both.id)]


def test_a_phrase_matches_only_the_phrase(book, member):
    phrase = add_note(book, member, "<p>메시지 큐를 쓴다</p>")
    add_note(book, member, "<p>큐에 메시지를 넣는다</p>")
    assert found('"메시지 큐"') == [("note", phrase.id)]
    assert len(found("메시지 큐")) == 2


def test_titles_are_searched(book, member):
    note = add_note(book, member, "<p>본문</p>", title="3장 레플리케이션 정리")
    question = add_question(book, member, "ISR이 뭔가요?")
    assert found("레플리케이션") == [("note", note.id)]
    assert found("isr") == [("question", question.id)]


@pytest.mark.parametrize("query", ["strong", "href", "example", "class", "span"])
def test_markup_is_not_searched(book, member, query):
    add_note(
        book,
        member,
        '<p><strong>굵게</strong> <a href="https://example.com/x">링크</a> '
        '<span class="k">코드</span></p>',
    )
    assert found(query) == []
    assert len(found("굵게 링크 코드")) == 1


@pytest.mark.parametrize("query", ["!!!", "...", '"', '""', "* - ( ) : ^", "?"])
def test_only_punctuation_finds_nothing_without_error(client, book, member, query):
    add_note(book, member, "<p>!!! ... ? * - ( ) : ^ 기호가 많은 글</p>")
    assert search(query).hits == []
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "검색할 글자가 없습니다" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        'NEAR("a" "b")',
        "a OR b",
        "카프카 NOT 리더",
        "col:카프카",
        "^카프카",
        "카프카*",
        '"카프카',
        "(카프카",
        "카프카)",
        "-카프카",
        "a AND",
        "{title} : 리더",
        "'; DROP TABLE notes; --",
        "%_%",
        "x" * 500,
    ],
)
def test_fts_syntax_in_queries_never_errors(client, book, member, query):
    add_note(book, member, "<p>카프카 리더</p>")
    search(query)
    assert client.get("/search", query_string={"q": query}).status_code == 200


def test_syntax_characters_are_stripped_from_words(book, member):
    note = add_note(book, member, "<p>카프카 리더</p>")
    for query in ("카프카*", "-카프카", "(리더)", "^리더", '"카프카'):
        assert found(query) == [("note", note.id)], query


# --- the index follows every write, in the same transaction --------------------------------


def indexed_count():
    """Rows in the search index."""
    return db.session.execute(text("SELECT count(*) FROM search_documents")).scalar_one()


def test_index_follows_insert_update_and_soft_delete(book, member):
    note = add_note(book, member, "<p>샤딩 전략</p>")
    assert found("샤딩") == [("note", note.id)]

    note.html = "<p>레플리카 배치</p>"
    db.session.commit()
    assert found("샤딩") == []
    assert found("레플리카") == [("note", note.id)]

    note.deleted_at = utcnow()
    db.session.commit()
    assert found("레플리카") == []
    assert indexed_count() == 0

    note.deleted_at = None  # restored
    db.session.commit()
    assert found("레플리카") == [("note", note.id)]


def test_rollback_leaves_the_index_unchanged(book, member):
    kept = add_note(book, member, "<p>샤딩 전략</p>")
    before = indexed_count()

    add_note(book, member, "<p>샤딩 실패</p>", commit=False)
    kept.html = "<p>바뀐 글</p>"
    db.session.flush()
    assert len(found("샤딩")) == 1  # the same transaction sees its own writes
    db.session.rollback()

    assert indexed_count() == before
    assert found("샤딩") == [("note", kept.id)]
    assert found("바뀐") == []


def test_note_hard_delete_leaves_the_index(book, member):
    note = add_note(book, member, "<p>샤딩 전략</p>")
    db.session.delete(note)
    db.session.commit()
    assert found("샤딩") == [] and indexed_count() == 0


def test_questions_and_answers_follow_hide_delete_and_restore(book, member):
    question = add_question(book, member, "파티션 수는?", "<p>몇 개가 좋나요</p>")
    answer = add_answer(question, member, "<p>브로커 수의 배수</p>")
    assert found("배수") == [("answer", answer.id)]
    assert found("파티션") == [("question", question.id)]

    answer.hidden_at = utcnow()
    db.session.commit()
    assert found("배수") == []

    answer.hidden_at = None
    question.deleted_at = utcnow()  # a deleted question takes its answers out of search
    db.session.commit()
    assert found("파티션") == [] and found("배수") == []

    question.deleted_at = None
    db.session.commit()
    assert found("파티션") == [("question", question.id)]
    assert found("배수") == [("answer", answer.id)]


def test_deleting_a_book_takes_its_documents_out(book, member):
    add_note(book, member, "<p>샤딩 전략</p>")
    add_question(book, member, "샤딩 질문")
    # Rows the database would cascade away: the session never sees them one by one.
    for model in (Question, NoteChapter, Note, Chapter):
        db.session.execute(db.delete(model))
    db.session.expire_all()
    db.session.delete(book)
    db.session.commit()
    assert found("샤딩") == [] and indexed_count() == 0


def test_note_chapters_follow_chapter_changes(book, member):
    note = add_note(book, member, "<p>샤딩</p>", chapter=1)
    assert found("샤딩", chapter=1) == [("note", note.id)]
    chapter = db.session.scalars(db.select(Chapter).where(Chapter.number == 1)).one()
    chapter.number = 7
    db.session.commit()
    assert found("샤딩", chapter=1) == []
    assert found("샤딩", chapter=7) == [("note", note.id)]


def test_answers_show_their_questions_current_title(book, member):
    question = add_question(book, member, "처음 제목")
    add_answer(question, member, "<p>샤딩 답</p>")
    question.title = "바뀐 제목"
    db.session.commit()
    assert [str(hit.title_html) for hit in search("샤딩").hits] == ["바뀐 제목"]


def test_index_built_on_first_write_includes_existing_rows(book, member):
    first = add_note(book, member, "<p>샤딩 하나</p>")
    drop_index(db.session.connection())
    db.session.commit()
    assert found("샤딩") == []  # no index: no results, no error
    second = add_note(book, member, "<p>샤딩 둘</p>")
    assert sorted(found("샤딩")) == sorted([("note", first.id), ("note", second.id)])


def test_reindex_command_rebuilds_the_index(runner, book, member):
    note = add_note(book, member, "<p>샤딩 전략</p>")
    db.session.execute(text("DELETE FROM search_documents"))
    db.session.execute(text("INSERT INTO search_bigram(search_bigram) VALUES ('delete-all')"))
    db.session.execute(text("INSERT INTO search_trigram(search_trigram) VALUES ('delete-all')"))
    db.session.commit()
    assert found("샤딩") == []

    result = runner.invoke(args=["search", "reindex"])

    assert result.exit_code == 0, result.output
    assert "문서 1개" in result.output
    db.session.expire_all()
    assert found("샤딩") == [("note", note.id)]


def test_migrations_ignore_the_index_tables(runner, book, member):
    add_note(book, member, "<p>색인이 생긴다</p>")
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


# --- filters, grouping, pages ------------------------------------------------------------


def test_filters_by_book_chapter_member_and_kind(book, member):
    other_book = factories.book("데이터 중심 애플리케이션 설계", (1,), {1: ""})
    other_member = factories.member("이지은", login=False)
    db.session.commit()
    in_chapter_2 = add_note(book, member, "<p>샤딩 1</p>", chapter=2)
    in_chapter_1 = add_note(book, member, "<p>샤딩 2</p>", chapter=1)
    by_other = add_note(book, other_member, "<p>샤딩 3</p>", chapter=2)
    in_other_book = add_note(other_book, member, "<p>샤딩 4</p>", chapter=1)
    question = add_question(book, member, "샤딩 질문", chapter=2)

    assert len(found("샤딩")) == 5
    assert ("note", in_other_book.id) not in found("샤딩", book_id=book.id)
    assert sorted(found("샤딩", book_id=book.id, chapter=2)) == sorted(
        [("note", in_chapter_2.id), ("note", by_other.id), ("question", question.id)]
    )
    assert ("note", in_chapter_1.id) in found("샤딩", chapter=1)
    assert found("샤딩", member_id=other_member.id) == [("note", by_other.id)]
    assert found("샤딩", kind="question") == [("question", question.id)]
    results = search("샤딩", kind="question")
    assert results.counts == {"note": 4, "question": 1, "answer": 0}
    assert results.total == 1


def test_results_are_grouped_by_kind(book, member):
    add_note(book, member, "<p>샤딩</p>")
    question = add_question(book, member, "샤딩?")
    add_answer(question, member, "<p>샤딩은 분할</p>")
    results = search("샤딩")
    assert [group.label for group in results.groups] == ["노트", "질문", "답변"]


def test_pages(book, member):
    for i in range(25):
        add_note(book, member, f"<p>샤딩 {i}</p>", commit=False)
    db.session.commit()
    first, second = search("샤딩", page=1), search("샤딩", page=2)
    assert (len(first.hits), len(second.hits), first.total, first.pages) == (20, 5, 25, 2)
    assert not {hit.id for hit in first.hits} & {hit.id for hit in second.hits}
    assert search("샤딩", page=9).hits == []


def test_counts_stop_at_the_cap_on_every_path(book, member, monkeypatch):
    monkeypatch.setattr(results, "COUNT_CAP", 3)
    notes = [add_note(book, member, f"<p>샤딩 파티션 {i}</p>", commit=False) for i in range(5)]
    question = add_question(book, member, "샤딩 파티션?")
    for query, filters in [("샤딩", {}), ("샤딩", {"book_id": book.id}), ("샤딩 파티션", {})]:
        result = search(query, per_page=2, **filters)
        assert result.counts == {"note": 4, "question": 1, "answer": 0}, (query, filters)
        assert (result.total, result.more, result.pages) == (4, True, 2)
        assert (result.total_text, result.count_text(), result.count_text("note")) == (
            "4+",
            "4+",
            "3+",
        )
        newest = [("note", note.id) for note in reversed(notes)]
        ranked = [hit for page in (1, 2, 3) for hit in found_page(query, page, **filters)]
        assert ranked == [("question", question.id), *newest]  # its title holds the terms
    only_questions = search("샤딩", kind="question")
    assert (only_questions.total, only_questions.more, only_questions.total_text) == (1, False, "1")


def test_page_shows_capped_counts(client, book, member, monkeypatch):
    monkeypatch.setattr(results, "COUNT_CAP", 2)
    for i in range(3):
        add_note(book, member, f"<p>샤딩 {i}</p>", commit=False)
    db.session.commit()
    page = client.get("/search?q=샤딩").get_data(as_text=True)
    assert '노트 <span class="count">2+</span>' in page
    assert '질문 <span class="count">0</span>' in page
    assert "검색 결과 2+개" in page


# --- the page ----------------------------------------------------------------------------


def test_page_shows_highlighted_escaped_snippets(client, book, member):
    note = add_note(book, member, "<p>설정을 &lt;script&gt;alert(1)&lt;/script&gt; 바꿨다</p>")
    page = client.get("/search?q=설정").get_data(as_text=True)
    assert f'href="/notes/{note.id}"' in page
    assert "<mark>설정</mark>을" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_page_without_query_explains_search(client):
    page = client.get("/search").get_data(as_text=True)
    assert "검색 도움말" in page and 'name="q"' in page


def test_page_when_nothing_matches_suggests_what_to_try(client, book, member):
    add_note(book, member, "<p>샤딩</p>", chapter=1)
    page = client.get(f"/search?q=샤딩을+레플리카&book={book.id}").get_data(as_text=True)
    assert "에 맞는 결과가 없습니다" in page
    assert "더 짧은 말로" in page and "단어 수를 줄여" in page
    assert "필터를 모두 빼고" in page


def test_page_filters_and_tabs(client, book, member):
    add_note(book, member, "<p>샤딩</p>", chapter=1)
    add_question(book, member, "샤딩?")
    page = client.get(f"/search?q=샤딩&kind=question&book={book.id}").get_data(as_text=True)
    assert 'value="question" selected' in page
    assert f'<option value="{book.id}" selected>' in page
    assert '<option value="1" >1장 · 소개</option>' in page
    assert '질문 <span class="count">1</span>' in page
    assert '노트 <span class="count">1</span>' in page


@pytest.mark.parametrize(
    "query_string",
    ["book=abc", "chapter=-", "member=x", "kind=nope", "page=-3", "page=999", "page=abc"],
)
def test_page_bad_parameters_are_ignored(client, book, member, query_string):
    add_note(book, member, "<p>샤딩</p>")
    assert client.get(f"/search?q=샤딩&{query_string}").status_code == 200


def test_page_runs_a_fixed_number_of_queries(client, book, member):
    def count_queries(url):
        statements = []

        def record(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    add_note(book, member, "<p>샤딩</p>")
    client.get("/search?q=샤딩")  # warm up
    few = count_queries(f"/search?q=샤딩&book={book.id}")
    other = factories.member("박서준", login=False)
    for i in range(15):
        question = add_question(book, other if i % 2 else member, f"샤딩 질문 {i}")
        add_answer(question, member, "<p>샤딩 답</p>")
    many = count_queries(f"/search?q=샤딩&book={book.id}")
    assert few == many


def _post_answer_cost(question, member):
    """Statements, bound values and index rows written while posting one answer."""
    from app.board import services

    statements, values, index_rows = 0, 0, 0

    def record(_conn, _cursor, statement, parameters, _context, executemany):
        nonlocal statements, values, index_rows
        rows = parameters if executemany else [parameters]
        statements += 1
        values += sum(len(row) for row in rows)
        if statement.lstrip().upper().startswith(("INSERT INTO SEARCH_", "DELETE FROM SEARCH_")):
            index_rows += len(rows)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        services.post_answer(member, question.id, "새 샤딩 답변")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return statements, values, index_rows


def test_posting_an_answer_indexes_only_the_new_answer(book, member):
    small = add_question(book, member, "작은 스레드")
    add_answer(small, member, "<p>첫 답</p>")
    big = add_question(book, member, "큰 스레드")
    for i in range(300):
        factories.answer(big, member, f"답 {i}", body_html=f"<p>긴 답변 {i}</p>")
    db.session.commit()
    for question in (small, big):  # warm up: first statements, first change of state
        _post_answer_cost(question, member)

    on_small, on_big = _post_answer_cost(small, member), _post_answer_cost(big, member)

    assert on_big == on_small  # nothing grows with the thread: no re-read of its answers
    assert on_big[2] == 3  # one document row, one trigram row, one bigram row
    posted = db.session.scalars(db.select(Answer.id).filter_by(body="새 샤딩 답변")).all()
    assert sorted(found("새 샤딩")) == [("answer", i) for i in sorted(posted)]


def test_a_failed_reindex_leaves_the_old_index(runner, book, member, monkeypatch):
    note = add_note(book, member, "<p>샤딩 전략</p>")
    add_note(book, member, "<p>다른 글</p>")

    def fail(_conn):
        raise RuntimeError("killed mid-rebuild")  # after the drop and the refill

    monkeypatch.setattr(sqlite_backend, "optimize_index", fail)
    result = runner.invoke(args=["search", "reindex"])

    assert result.exit_code != 0
    db.session.expire_all()
    assert found("샤딩") == [("note", note.id)]
    assert indexed_count() == 2
    marker = db.session.execute(
        text("SELECT count(*) FROM sqlite_master WHERE name = :name"),
        {"name": sqlite_backend.MARKER_TABLE},
    ).scalar_one()
    assert marker == 1  # so the next write does not rebuild the index inside its request


# A real `flask --app app search reindex` that says when the new index is filled (not yet
# committed) and waits there, so the test kills it mid-rebuild at a known point.
_REINDEX_THEN_WAIT = """
import sys, time
import app.search.sqlite as search
optimize = search.optimize_index
def optimize_then_wait(conn):
    optimize(conn)
    print("filled", flush=True)
    time.sleep(120)
search.optimize_index = optimize_then_wait
from flask.cli import main
sys.argv = ["flask", "--app", "app", "search", "reindex"]
main()
"""


def test_killing_reindex_leaves_the_old_index(app, book, member):
    import os
    import subprocess
    import sys
    from pathlib import Path

    note = add_note(book, member, "<p>샤딩 전략</p>")
    body = "<p>" + "샤딩 파티션 리더 선출과 복제 " * 20 + "</p>"
    db.session.execute(
        db.insert(Note),
        [
            {"book_id": book.id, "member_id": member.id, "source_key": f"bulk-{i}.md",
             "title": f"대량 {i}", "source": body, "content_hash": "x", "html": body}
            for i in range(2000)
        ],
    )  # fmt: skip
    db.session.commit()  # a bulk insert, not a flush: the index still holds one document
    assert indexed_count() == 1
    database, ids = Path(db.engine.url.database), (note.id, book.id, member.id)
    db.session.remove()
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "test"}
    process = subprocess.Popen(
        [sys.executable, "-c", _REINDEX_THEN_WAIT],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout.readline().strip() == "filled", process.communicate()
        process.kill()  # SIGKILL: no rollback, no cleanup, like a killed terminal
    finally:
        process.kill()
        process.communicate()

    db.engine.dispose()
    assert found("샤딩") == [("note", ids[0])]
    assert indexed_count() == 1
    # The next write updates the index; it does not rebuild it inside its request.
    add_note(db.session.get(Book, ids[1]), db.session.get(Member, ids[2]), "<p>다른 글</p>")
    assert indexed_count() == 2


# --- ranking: a bounded top-k, the same on every engine ------------------------------------


def test_ranking_titles_first_then_notes_questions_answers_newest_first(book, member):
    old_note = add_note(book, member, "<p>샤딩 이야기</p>")
    new_note = add_note(book, member, "<p>샤딩 다시</p>")
    titled = add_note(book, member, "<p>본문</p>", title="샤딩 정리")
    question = add_question(book, member, "질문", "<p>샤딩?</p>")
    answer = add_answer(question, member, "<p>샤딩 답</p>")
    expected = [
        ("note", titled.id), ("note", new_note.id), ("note", old_note.id),
        ("question", question.id), ("answer", answer.id),
    ]  # fmt: skip
    assert found("샤딩") == expected
    assert found("샤딩", book_id=book.id) == expected  # the filtered path ranks alike
    pages = [found_page("샤딩", page) for page in (1, 2, 3)]
    assert [hit for page in pages for hit in page] == expected


def found_page(query, page, **filters):
    """(kind, id) of the hits on one page of two."""
    return [(hit.kind, hit.id) for hit in search(query, page=page, per_page=2, **filters).hits]


def test_an_edited_document_ranks_as_the_newest(book, member):
    first = add_note(book, member, "<p>샤딩 하나</p>")
    second = add_note(book, member, "<p>샤딩 둘</p>")
    first.html = "<p>샤딩 하나, 고침</p>"
    db.session.commit()
    assert found("샤딩") == [("note", first.id), ("note", second.id)]
