"""The member page's note and score rows built in Python."""

from app.notes.queries import MemberNote, MemberRating
from app.notes.rows import member_note_rows, member_rating_rows


def test_note_rows_escape_titles_and_list_chapters():
    html = member_note_rows([MemberNote(7, "<b>a & b</b>", 'Book "1"', 75, [2, 3])])
    assert '<a href="/notes/7">&lt;b&gt;a &amp; b&lt;/b&gt;</a>' in html
    assert "Book &#34;1&#34; · 2장, 3장 · 1시간 15분</div></li>" in html


def test_note_rows_without_chapters_or_minutes():
    html = member_note_rows([MemberNote(1, "t", "b", None, [])])
    assert '<div class="meta">b ·  · –</div>' in html
    assert member_note_rows([]) == ""


def test_rating_rows_link_the_chapter_and_name_the_source():
    html = member_rating_rows(
        [MemberRating(2, "B<", 4, 3.5, "web"), MemberRating(2, "B<", 5, 1.0, "note")]
    )
    assert html.count("<tr>") == 2
    assert '<td>B&lt;</td><td><a href="/books/2/chapters/4">4장</a></td>' in html
    assert 'title="이해도 3.5 / 5">3.5</span></td><td>웹</td>' in html
    assert "<td>노트</td>" in html
