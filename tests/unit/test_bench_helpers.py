"""The benchmark's pure helpers: percentiles, and the notes it generates."""

import pytest

from bench.generate import compose_note, member_names, minutes_text, stars
from bench.run import percentile, verdict


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        ([5.0], 0.5, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.0),
        (list(range(1, 101)), 0.99, 99),
        (list(range(1, 101)), 0.50, 50),
        ([3.0, 1.0, 2.0], 1.0, 3.0),
    ],
)
def test_percentile_is_nearest_rank(values, share, expected):
    assert percentile(values, share) == expected


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        percentile([], 0.5)


@pytest.mark.parametrize(("ok", "word"), [(True, "PASS"), (False, "MISS"), (None, "n/a")])
def test_verdict(ok, word):
    assert verdict(ok) == word


@pytest.mark.parametrize(
    ("score", "text"),
    [
        (4.0, "⭐⭐⭐⭐☆ (4/5)"),
        (3.5, "⭐⭐⭐½☆ (3.5/5)"),
        (5.0, "⭐⭐⭐⭐⭐ (5/5)"),
        (0.5, "½☆☆☆☆ (0.5/5)"),
    ],
)
def test_stars_writes_the_template_score_line(score, text):
    assert stars(score) == text


@pytest.mark.parametrize(
    ("minutes", "text"), [(140, "2시간 20분"), (45, "45분"), (180, "3시간"), (60, "1시간")]
)
def test_minutes_text(minutes, text):
    assert minutes_text(minutes) == text


def test_members_have_fifty_unique_names():
    assert len(set(member_names())) == 50


def test_a_generated_note_has_every_template_section_and_its_figures():
    note = compose_note(book_index=1, member_index=3, chapter=7)
    for keyword in ("목차", "내용 정리", "후기", "궁금", "독서 과정", "이해도"):
        assert any(keyword in line for line in note.text.splitlines() if line.startswith("#"))
    assert f"Chapter 7: {stars(note.score)}" in note.text
    assert f"**총 독서 시간**: {minutes_text(note.minutes)}" in note.text
    assert "```" in note.text and "| 항목 |" in note.text and "<details>" in note.text
    assert len(note.questions) == 4
    assert note.relative_path == f"{member_names()[3]}/[7장][{note.chapter_title}].md"


def test_generated_notes_are_deterministic():
    assert compose_note(0, 0, 1).text == compose_note(0, 0, 1).text
    assert compose_note(0, 0, 1).text != compose_note(0, 1, 1).text


# --- the load tables: SQLite beside PostgreSQL -----------------------------------------


def _run(rate, hello, pages, writer=None):
    from bench.run import LoadRun

    return LoadRun(rate, hello=[{"rps": r} for r in hello], pages=pages, writer=writer or {})


@pytest.mark.parametrize(
    ("rps", "hello", "expected"), [(500.0, 1000.0, 0.5), (None, 1000.0, None), (5.0, None, None)]
)
def test_share_of_hello(rps, hello, expected):
    from bench.run import share_of_hello

    assert share_of_hello(rps, hello) == expected


def test_load_cells_judge_share_and_p99_against_the_loads_targets():
    from bench.run import load_cells

    run = _run(1.0, [900.0, 1100.0], {"/a": {"rps": 450.0, "p99_ms": 60.0}})

    assert load_cells(run, "/a", (0.40, 50.0)) == "45% | 60.0 | PASS MISS"
    assert load_cells(run, "/a", (0.50, 100.0)) == "45% | 60.0 | MISS PASS"
    assert load_cells(run, "/missing", (0.40, 50.0)) == "— | — | n/a n/a"
    assert load_cells(None, "/a", (0.40, 50.0)) == "— | — | n/a n/a"


def test_load_table_puts_each_engine_beside_the_other_with_the_rates_targets():
    from bench.run import PageResult, load_table

    pages = [PageResult("note", "/n"), PageResult("board", "/b")]
    sqlite = _run(5.0, [1000.0], {"/n": {"rps": 400.0, "p99_ms": 20.0}}, {"posts": 50})
    postgres = _run(5.0, [800.0], {"/n": {"rps": 200.0, "p99_ms": 120.0}, "/b": {"rps": 400.0}})

    lines = load_table(pages, {"SQLite": sqlite, "PostgreSQL": postgres})

    assert lines[0] == "### 5 write/s"
    assert "SQLite share of hello" in lines[2] and "PostgreSQL p99 ms" in lines[2]
    assert lines[2].count("≥30%, p99<100") == 2
    assert lines[4] == "| note | 40% | 20.0 | PASS PASS | 25% | 120.0 | MISS MISS |"
    assert lines[5] == "| board | — | — | n/a n/a | 50% | — | PASS n/a |"
    assert any(
        line.startswith("- SQLite: hello 1,000 req/s; the writer posted 50") for line in lines
    )
    assert "- PostgreSQL: hello 800 req/s" in lines


def test_load_tables_say_why_postgresql_is_missing():
    from bench.run import PageResult, PostgresBench, load_tables

    pages = [PageResult("note", "/n")]
    runs = [_run(0.0, [1000.0], {"/n": {"rps": 500.0, "p99_ms": 9.0}})]

    text = "\n".join(load_tables(runs, PostgresBench(skipped="not installed"), pages))

    assert "PostgreSQL: skipped (not installed)" in text
    assert "### read-only" in text and "PostgreSQL share" not in text
    assert "| note | 50% | 9.0 | PASS PASS |" in text


def test_the_importer_is_left_what_the_later_steps_do_not_need():
    from bench.run import MIXED_RATES, postgres_seconds, seconds_after_import

    pages, duration = 8, 5.0
    without = seconds_after_import(pages, postgres=None, duration_s=duration)
    fresh = seconds_after_import(pages, postgres=170.0, duration_s=duration)
    restored = seconds_after_import(pages, postgres=60.0, duration_s=duration)

    assert fresh - without == postgres_seconds(pages, duration, setup_s=170.0)
    assert fresh - restored == 110.0
    # more pages or longer loads need more time; every load lasts at least its duration
    assert seconds_after_import(pages + 1, postgres=170.0, duration_s=duration) > fresh
    assert seconds_after_import(pages, postgres=170.0, duration_s=10.0) > fresh
    sqlite_loads = 2 * pages + 2 + len(MIXED_RATES) * (pages + 2)
    assert without > sqlite_loads * duration
    postgres_loads = (1 + len(MIXED_RATES)) * (pages + 2)
    assert postgres_seconds(pages, duration, setup_s=0.0) > postgres_loads * duration


def test_load_generator_falls_back_to_python_and_says_why(monkeypatch):
    from bench import run

    monkeypatch.setattr(run.shutil, "which", lambda name: None)
    assert run.load_generator().startswith("python http.client threads (wrk is not installed")
    monkeypatch.setattr(run.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert run.load_generator() == "wrk"


def test_an_earlier_runs_postgresql_copy_is_reused_only_under_the_same_key(tmp_path, monkeypatch):
    from bench import run

    monkeypatch.setattr(run, "PG_DUMP", tmp_path / "bench-postgres.dump")
    monkeypatch.delenv("BENCH_FRESH", raising=False)
    assert not run.saved_copy_is_current("k1")  # nothing saved yet
    (tmp_path / "bench-postgres.dump").write_bytes(b"PGDMP")
    assert not run.saved_copy_is_current("k1")  # a dump without its key
    (tmp_path / "bench-postgres.key").write_text("k1")
    assert run.saved_copy_is_current("k1")
    assert not run.saved_copy_is_current("k2")
    monkeypatch.setenv("BENCH_FRESH", "1")
    assert not run.saved_copy_is_current("k1")
