"""Search query parsing into FTS5 expressions, n-grams, plain text and snippets."""

import unicodedata

import pytest

from app.search.query import bigram_text, fts_query, parse_query
from app.search.text import highlight, highlight_pattern, html_to_text, snippet


@pytest.mark.parametrize(
    ("query", "trigram", "bigram"),
    [
        # 3+ characters: a substring on the trigram table, particles and all.
        ("설정을", '"설정을"', None),
        ("대한민국", '"대한민국"', None),
        ("Kafka", '"Kafka"', None),
        # 2 characters: one bigram token, lower-cased.
        ("역사", None, '"역사"'),
        ("DB", None, '"db"'),
        # 1 character: a prefix on the bigram table.
        ("큐", None, '"큐"*'),
        # Several terms: all of them (AND), each on its own table.
        ("설정을 큐", '"설정을"', '"큐"*'),
        ("샤딩 리더 선출", None, '"샤딩" AND "리더" AND "선출"'),
        ("카프카 파티션 큐", '"카프카" AND "파티션"', '"큐"*'),
        # A quoted phrase is one trigram string, spaces included.
        ('"메시지 큐"', '"메시지 큐"', None),
        ('"메시지   큐" 설정', '"메시지 큐"', '"설정"'),
        ('"메시지 큐', '"메시지 큐"', None),  # unterminated quote: phrase to the end
        # FTS syntax is never syntax: stripped at the edges, quoted inside.
        ("설정*", None, '"설정"'),
        ("-kafka", '"kafka"', None),
        ("NEAR(a b)", '"NEAR(a"', '"b"*'),
        ("title:샤딩", '"title:샤딩"', None),
        ("^리더", None, '"리더"'),
        ("C++", '"C++"', None),
        ("C#", None, '"c"*'),
        # Repeated terms count once, whatever the case.
        ("kafka Kafka KAFKA", '"kafka"', None),
    ],
)
def test_query_to_fts_expressions(query, trigram, bigram):
    fts = fts_query(parse_query(query))
    assert (fts.trigram, fts.bigram) == (trigram, bigram)


@pytest.mark.parametrize(
    "query", ["", "   ", "!!!", '"', '""', "* - ( ) : ^", "?!.,", '"..."', "———"]
)
def test_queries_without_letters_ask_for_nothing(query):
    assert fts_query(parse_query(query)).is_empty


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("  샤딩   리더 ", [("샤딩", False), ("리더", False)]),
        ('"메시지 큐" 설정', [("메시지 큐", True), ("설정", False)]),
        ('"큐"', [("큐", False)]),  # a one-word phrase is just a term
        ("카프카의\u3000파티션", [("카프카의", False), ("파티션", False)]),
        # Decomposed Hangul (macOS file names and pastes) is composed first.
        (unicodedata.normalize("NFD", "샤딩"), [("샤딩", False)]),
    ],
)
def test_parse_query_terms(query, terms):
    assert [(t.text, t.phrase) for t in parse_query(query)] == terms


def test_parse_query_keeps_at_most_eight_terms():
    assert len(parse_query(" ".join(f"단어{i}" for i in range(20)))) == 8


@pytest.mark.parametrize(
    ("text", "grams"),
    [
        ("설정을", "설정 정을 을"),
        ("메시지 큐", "메시 시지 지 큐"),
        ("Kafka, DB!", "ka af fk ka a db b"),
        ("snake_case", "sn na ak ke e ca as se e"),
        ("", ""),
        ("... !!!", ""),
    ],
)
def test_bigram_text(text, grams):
    assert bigram_text(text) == grams


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>로그 <strong>설정</strong>을 바꿈</p>", "로그 설정을 바꿈"),
        ('<p><a href="https://x.example/strong">링크</a></p>', "링크"),
        ("<ul><li>하나</li><li>둘</li></ul>", "하나 둘"),
        ("<p>a &amp; b &lt;tag&gt;</p>", "a & b <tag>"),
        ("<pre><code>x = 1\ny = 2</code></pre>", "x = 1 y = 2"),
        ("<p>줄<br>바꿈</p>", "줄 바꿈"),
        ("<script>alert(1)</script><p>본문</p>", "본문"),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    "html",
    [
        "<p>a<br/>b</p>",
        "<template>숨김</template>보임",
        "<template/>보임",
        '<a title="x>y">t</a>',
        "<a href=x>t</a>",
        "a < b > c",
        "<P>대문자</P>",
        "<my-el>t</my-el>",
        "x &amp y &#x41;",
        "<p>x</p><!-- c -->y",
        '<img alt="그림" src="a.png"/>뒤',
        "<p>a</p\n>b",
        "<style>p{}</style>글",
        "<div><template><p>안</p></template>밖</div>",
    ],
)
def test_html_to_text_fast_path_reads_as_the_html_parser(html):
    """The regex path gives the parser's text, or steps aside for it."""
    from app.search.text import _TextExtractor, normalize_text

    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    assert html_to_text(html) == normalize_text("".join(extractor.parts))


@pytest.mark.parametrize(
    ("text", "words", "html"),
    [
        ("설정을 바꿈", ("설정",), "<mark>설정</mark>을 바꿈"),
        ("Kafka와 kafka", ("kafka",), "<mark>Kafka</mark>와 <mark>kafka</mark>"),
        ("<b>큐</b>", ("큐",), "&lt;b&gt;<mark>큐</mark>&lt;/b&gt;"),
        ("a+b", ("a+b",), "<mark>a+b</mark>"),
        ("메시지 큐", ("메시지 큐", "큐"), "<mark>메시지 큐</mark>"),
        ("그대로", (), "그대로"),
    ],
)
def test_highlight_escapes_then_marks(text, words, html):
    assert str(highlight(text, highlight_pattern(words))) == html


def test_snippet_is_a_window_around_the_first_match():
    text = "앞 " * 200 + "여기에 샤딩이 나온다 " + "뒤 " * 200
    result = str(snippet(text, highlight_pattern(("샤딩",)), width=60))
    assert result.startswith("… ") and result.endswith(" …")
    assert "<mark>샤딩</mark>" in result
    assert len(result) < 100


def test_snippet_of_short_text_without_match_is_the_text():
    assert str(snippet("짧은 글 <x>", None)) == "짧은 글 &lt;x&gt;"


def test_sanitized_html_takes_the_fast_path():
    from app.search.text import _plain_tags_text
    from app.text.markdown import render_markdown

    html = render_markdown(
        '# 제목\n\n- **하나** [링크](https://x.example "t")\n\n| a |\n|---|\n| b |'
    ).html
    assert _plain_tags_text(html) is not None
