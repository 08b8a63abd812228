"""The one Page type: page counts, clamping and offsets."""

import pytest

from app.web.paging import Page, clamp_page, offset_of, page_count


@pytest.mark.parametrize(
    ("total", "per_page", "pages"), [(0, 20, 1), (1, 20, 1), (20, 20, 1), (21, 20, 2), (95, 10, 10)]
)
def test_page_count(total, per_page, pages):
    assert page_count(total, per_page) == pages


@pytest.mark.parametrize(
    ("requested", "page"), [(-3, 1), (0, 1), (1, 1), (3, 3), (4, 3), (10**9, 3)]
)
def test_a_page_past_either_end_is_the_nearest_page(requested, page):
    assert clamp_page(requested, total=45, per_page=20) == page


def test_a_page_knows_its_neighbours_and_behaves_like_its_items():
    middle = Page(["k", "l"], total=25, page=2, per_page=10)
    assert (middle.pages, middle.has_prev, middle.has_next) == (3, True, True)
    assert list(middle) == ["k", "l"] and len(middle) == 2 and middle
    last = Page([], total=0, page=1, per_page=10)
    assert (last.pages, last.has_prev, last.has_next, bool(last)) == (1, False, False, False)
    assert offset_of(3, 10) == 20
