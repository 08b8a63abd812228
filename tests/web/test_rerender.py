"""`flask notes rerender`: stored pages get the current renderer's HTML, images kept."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Note
from app.notes.importer import import_path
from app.notes.render import render_markdown
from tests.web.helpers import write_note

pytestmark = pytest.mark.usefixtures("app")


def test_rerender_replaces_stale_html_and_keeps_served_images(tmp_path, runner):
    notes = tmp_path / "notes"
    path = write_note(notes, "책", "김철수", 1, extra="\n![구조](./images/a.png)\n\n- 가\n---\n")
    (path.parent / "images").mkdir()
    (path.parent / "images" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    import_path(notes, max_bytes=2 * 1024 * 1024)
    note = db.session.scalars(select(Note)).one()
    fresh_html, served = note.html, note.html.split('src="/assets/')[1].split('"')[0]
    # An older renderer's page: other markup, the same served image.
    note.html, note.toc_html = f'<p>옛 렌더링</p><p><img src="/assets/{served}"></p>', ""
    db.session.commit()

    result = runner.invoke(args=["notes", "rerender"])

    assert result.exit_code == 0, result.output
    assert "다시 그린 노트 1" in result.output
    db.session.expire_all()
    note = db.session.scalars(select(Note)).one()
    assert note.html == fresh_html
    assert f'src="/assets/{served}"' in note.html
    assert note.toc_html == render_markdown(note.source).toc_html
    assert "<hr>" in note.html  # GitHub closes the list before the rule


def test_rerender_twice_changes_nothing_the_second_time(tmp_path, runner):
    write_note(tmp_path / "notes", "책", "김철수", 1)
    import_path(tmp_path / "notes", max_bytes=2 * 1024 * 1024)
    runner.invoke(args=["notes", "rerender"])
    result = runner.invoke(args=["notes", "rerender"])
    assert "다시 그린 노트 0 · 질문 0 · 답변 0" in result.output
