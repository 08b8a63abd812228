"""The reading schedule and mail settings in a real browser: an admin sets a meeting, the
home page shows it with who has written, a member chooses how to get mail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.browser import require_page, screenshot
from tests.e2e.site import with_app

expect = pytest.importorskip("playwright.sync_api").expect


def _book_id(site) -> int:
    from app.models import Book

    with with_app(site) as db:
        found = db.session.query(Book.id).first()
    assert found is not None, f"the importer made no book:\n{site.import_output}"
    return found[0]


def test_admin_sets_a_meeting_and_the_home_page_shows_it(open_page, site):
    from app.models import utcnow

    book = _book_id(site)
    require_page(site, f"/books/{book}/schedule")
    day = (utcnow().date() + timedelta(days=5)).isoformat()
    page = open_page(as_member="관리자")
    page.goto(f"/books/{book}")
    page.get_by_role("link", name="읽기 일정 관리").click()
    page.get_by_label("날짜").fill(day)
    page.get_by_label("다룰 장").fill("1")
    page.get_by_role("button", name="모임 저장").click()
    expect(page.locator(".flash")).to_contain_text(f"{day} 모임을 저장했습니다")
    screenshot(page, "schedule-admin")
    page.goto("/")
    meeting = page.locator(".next-meeting")
    expect(meeting).to_contain_text(f"다음 모임: {day}")
    expect(meeting).to_contain_text("노트를 쓴 회원")
    expect(meeting).to_contain_text("지민")
    screenshot(page, "schedule-home-next-meeting")


def test_member_chooses_mail_settings(page, site):
    require_page(site, "/me/mail", "POST")
    page.goto("/me")
    page.get_by_role("link", name="전자우편 알림 설정").click()
    page.get_by_label("전자우편 주소").fill("jimin@example.org")
    page.get_by_role("group", name="내 질문에 달린 답변").get_by_label("하루 모아 보기").check()
    page.get_by_role("group", name="모임 알림").get_by_label("받지 않음").check()
    page.get_by_role("button", name="저장").click()
    expect(page.locator(".flash")).to_contain_text("알림 설정을 저장했습니다")
    group = page.get_by_role("group", name="내 질문에 달린 답변")
    expect(group.get_by_label("하루 모아 보기")).to_be_checked()
    screenshot(page, "mail-settings")
