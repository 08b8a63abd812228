"""The profile's API-token section: create a token (shown once), revoke it; CSRF on."""

from __future__ import annotations

import re

from app.api.tokens import member_for_token, member_tokens


def test_profile_lists_tokens_and_offers_a_form(client, make_member, login):
    member = make_member("지민")
    login(member)
    page = client.get("/me").get_data(as_text=True)
    assert 'id="api-tokens"' in page and "아직 만든 토큰이 없습니다" in page
    assert 'for="token-name"' in page


def test_creating_a_token_shows_it_once_and_it_works(client, make_member, login):
    member = make_member("지민")
    login(member)
    response = client.post("/me/tokens", data={"name": "알림 봇"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    plain = re.search(r'id="new-token"[^>]*value="(sh_[^"]+)"', page).group(1)
    assert member_for_token(plain).id == member.id
    profile = client.get("/me").get_data(as_text=True)
    assert "알림 봇" in profile and plain not in profile


def test_blank_token_name_is_refused_with_a_message(client, make_member, login):
    member = make_member("지민")
    login(member)
    response = client.post("/me/tokens", data={"name": "  "}, follow_redirects=True)
    assert "토큰 이름을 입력해 주세요" in response.get_data(as_text=True)
    assert member_tokens(member.id) == []


def test_revoking_a_token_stops_it(client, make_member, login):
    member = make_member("지민")
    login(member)
    client.post("/me/tokens", data={"name": "봇"})
    (token,) = member_tokens(member.id)
    response = client.post(f"/me/tokens/{token.id}/revoke", follow_redirects=True)
    assert "토큰을 폐기했습니다" in response.get_data(as_text=True)
    assert token.revoked_at is not None


def test_nobody_revokes_someone_elses_token(client, make_member, login):
    owner, other = make_member("지민"), make_member("서준")
    login(owner)
    client.post("/me/tokens", data={"name": "봇"})
    (token,) = member_tokens(owner.id)
    login(other)
    client.post(f"/me/tokens/{token.id}/revoke")
    assert token.revoked_at is None


def test_token_forms_need_a_csrf_token(app, client, make_member, login):
    app.config["WTF_CSRF_ENABLED"] = True
    member = make_member("지민")
    login(member)
    response = client.post("/me/tokens", data={"name": "봇"})
    assert response.status_code == 400
    assert member_tokens(member.id) == []


def test_visitors_cannot_create_tokens(app, client):
    app.config["PUBLIC_READ"] = False
    response = client.post("/me/tokens", data={"name": "봇"})
    assert response.status_code in (302, 401)
