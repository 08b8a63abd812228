"""A full disk: the import stops at the first storage error; writes answer 503 in Korean."""

import shutil

import pytest

from tests.web.board_helpers import ask, make_book, quick_member
from tests.web.helpers import site_on_file, write_note
from tests.web.storage_helpers import small_tmpfs

pytestmark = pytest.mark.sqlite_only(reason="a full disk under a SQLite file (WAL, journal)")

FILLER = "가나다라마바사 아자차카타파하 " * 4000  # ~100 kB of text per note


@pytest.fixture
def full_disk_site(migrated_database, tmp_path):
    """A site whose database lives on a 2 MB tmpfs."""
    with small_tmpfs(tmp_path / "small", size="2m") as mount:
        target = mount / "site.sqlite3"
        shutil.copy(migrated_database, target)
        with site_on_file(target) as site:
            yield site, mount


def fill(mount) -> None:
    """Fill the file system to the last byte."""
    with (mount / "filler").open("wb", buffering=0) as handle:
        for size in (65536, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError:
                pass


def test_import_stops_at_the_first_storage_error(full_disk_site, tmp_path):
    site, _mount = full_disk_site
    notes = tmp_path / "notes"
    for chapter in range(1, 61):
        write_note(notes, "책", "지민", chapter, extra="\n" + FILLER)
    result = site.test_cli_runner().invoke(args=["notes", "import", str(notes)])
    assert result.exit_code != 0, result.output
    assert "저장 공간이 부족합니다" in result.output
    assert result.output.count("건너뜀  ") <= 1, result.output


def test_a_write_while_full_answers_503(full_disk_site):
    site, mount = full_disk_site
    member = quick_member("asker")
    question = ask(member, make_book())
    question_id, member_id = question.id, member.id
    fill(mount)
    client = site.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(member_id)
        session["_fresh"] = True
    response = client.post(
        f"/questions/{question_id}/answers", data={"body": FILLER[:40_000], "submit": "1"}
    )
    assert response.status_code == 503
    assert "저장 공간이 부족합니다" in response.get_data(as_text=True)
    (mount / "filler").unlink()
    assert client.get(f"/questions/{question_id}").status_code == 200
