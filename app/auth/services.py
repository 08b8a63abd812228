"""Accounts: signing in, passwords, admins, invites and registration. One transaction each."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, joinedload, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth import names
from app.auth.permissions import ensure_admin
from app.errors import Invalid, NotFound, get_or_404
from app.extensions import db
from app.models import ApiToken, Invite, Member, Note, utcnow
from app.web.paging import Page, clamp_page, offset_of

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200
USERNAME_PATTERN = re.compile(r"^[\w.-]{2,50}$")
INVITE_DAYS_DEFAULT = 7
INVITE_DAYS_MAX = 90
DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_NAME = "관리자"
PASSWORD_HASH_METHOD = "scrypt"


# --- passwords and usernames ----------------------------------------------------------------


def _hash_method() -> str:
    # Tests may lower scrypt's cost ("scrypt:1024:8:1"); a site keeps werkzeug's default.
    return str(current_app.config.get("PASSWORD_HASH_METHOD", PASSWORD_HASH_METHOD))


def hash_password(password: str) -> str:
    """The scrypt hash stored for a password."""
    return generate_password_hash(password, method=_hash_method())


@functools.cache
def _dummy_hash(method: str) -> str:
    """Checked when the username is unknown, so both cases take the same time."""
    return generate_password_hash("not-a-real-password", method=method)


def normalize_username(username: str) -> str:
    """A username as stored and compared: NFKC, trimmed and lower-case."""
    return names.normalize(username).lower()


def _look_alike_taken(
    column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None], value: str
) -> bool:
    """True when an existing member's name or username (column) looks like `value`."""
    wanted = names.skeleton(value)
    taken = db.session.scalars(select(column).where(column.is_not(None)))
    return any(existing is not None and names.skeleton(existing) == wanted for existing in taken)


def check_new_password(password: str, confirm: str | None = None) -> None:
    """Raise Invalid when a new password is too short, too long or not confirmed."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"비밀번호는 {MIN_PASSWORD_LENGTH}자 이상이어야 합니다.", "password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(f"비밀번호는 {MAX_PASSWORD_LENGTH}자 이하여야 합니다.", "password")
    if confirm is not None and password != confirm:
        raise Invalid("비밀번호 확인이 일치하지 않습니다.", "confirm")


def _check_username(username: str) -> str:
    normalized = normalize_username(username)
    if names.has_invisible(username) or not USERNAME_PATTERN.match(normalized):
        raise Invalid(
            "아이디는 2~50자의 글자, 숫자, 마침표(.), 밑줄(_), 하이픈(-)만 쓸 수 있습니다.",
            "username",
        )
    if _member_by_username(normalized) is not None:
        raise Invalid("이미 쓰이고 있는 아이디입니다.", "username")
    if _look_alike_taken(Member.username, normalized):
        message = "이미 있는 아이디와 너무 비슷합니다. 다른 아이디를 적어 주세요."
        raise Invalid(message, "username")
    return normalized


def _check_name(name: str) -> str:
    if names.has_invisible(name):
        message = "이름에 보이지 않는 문자(제어 문자, 폭 없는 공백 등)는 쓸 수 없습니다."
        raise Invalid(message, "name")
    name = names.normalize(name)
    if not 1 <= len(name) <= 100:
        raise Invalid("이름은 1~100자로 적어 주세요.", "name")
    if db.session.execute(select(Member.id).where(Member.name == name)).first():
        raise Invalid("같은 이름의 멤버가 이미 있습니다. 다른 이름을 적어 주세요.", "name")
    if _look_alike_taken(Member.name, name):
        raise Invalid("이미 있는 멤버의 이름과 너무 비슷합니다. 다른 이름을 적어 주세요.", "name")
    return name


def _member_by_username(username: str) -> Member | None:
    return db.session.execute(
        select(Member).where(func.lower(Member.username) == normalize_username(username))
    ).scalar_one_or_none()


def _commit_new_login() -> None:
    """Commit, turning a race on a unique name or username into a clear message."""
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Invalid("이미 쓰이고 있는 아이디 또는 이름입니다.") from error


# --- signing in -----------------------------------------------------------------------------


def authenticate(username: str, password: str) -> Member | None:
    """The member with this username and password, or None (the same for unknown usernames)."""
    member = _member_by_username(username) if username.strip() else None
    if member is None or member.password_hash is None:
        check_password_hash(_dummy_hash(_hash_method()), password)
        return None
    return member if check_password_hash(member.password_hash, password) else None


def change_password(
    member_id: int, current_password: str, new_password: str, confirm: str
) -> Member:
    """Replace a member's password after checking the current one; return the member."""
    member = db.session.get(Member, member_id)
    if member is None or member.password_hash is None:
        raise Invalid("로그인한 계정을 찾을 수 없습니다.")
    if not check_password_hash(member.password_hash, current_password):
        raise Invalid("현재 비밀번호가 맞지 않습니다.", "current_password")
    check_new_password(new_password, confirm)
    member.password_hash = hash_password(new_password)
    member.session_generation += 1  # every other session ends
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.member_id == member.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()
    return member


def end_sessions(member_id: int) -> None:
    """Sign a member out server-side: every session signed in so far stops working."""
    db.session.execute(
        update(Member)
        .where(Member.id == member_id)
        .values(session_generation=Member.session_generation + 1)
    )
    db.session.commit()


# --- administrators -------------------------------------------------------------------------


def create_admin(name: str, password: str, username: str | None = None) -> Member:
    """Create an admin called `name` (username `username`, by default the name), or give a
    login-less member of that name an admin login."""
    check_new_password(password)
    name = names.normalize(name)
    existing = db.session.execute(select(Member).where(Member.name == name)).scalar_one_or_none()
    if existing is not None and existing.has_login:
        raise Invalid(f"'{name}' 멤버는 이미 로그인할 수 있습니다.", "name")
    username = _check_username(username or name)
    member = existing or Member(name=_check_name(name))
    member.username = username
    member.password_hash = hash_password(password)
    member.role = "admin"
    db.session.add(member)
    _commit_new_login()
    return member


def ensure_demo_admin() -> tuple[Member, str] | None:
    """On a site where nobody can sign in yet, create admin `admin` and return it with its
    generated password (to print once); otherwise None."""
    anyone = db.session.execute(select(Member.id).where(Member.password_hash.is_not(None))).first()
    if anyone is not None or _member_by_username(DEMO_ADMIN_USERNAME) is not None:
        return None
    password = secrets.token_urlsafe(12)
    name = DEMO_ADMIN_NAME
    if db.session.execute(select(Member.id).where(Member.name == name)).first():
        name = f"{DEMO_ADMIN_NAME} ({DEMO_ADMIN_USERNAME})"
    member = Member(
        name=name,
        username=DEMO_ADMIN_USERNAME,
        password_hash=hash_password(password),
        role="admin",
    )
    db.session.add(member)
    _commit_new_login()
    return member, password


# --- invites --------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    """The SHA-256 (hex) stored for a secret token."""
    return hashlib.sha256(token.encode()).hexdigest()


def invite_state(invite: Invite, now: datetime | None = None) -> str:
    """ "used", "expired" or "pending"."""
    if invite.used_at is not None:
        return "used"
    if invite.expires_at <= (now or utcnow()):
        return "expired"
    return "pending"


def create_invite(
    admin: Member,
    *,
    member_id: int | None = None,
    role: str = "member",
    days: int = INVITE_DAYS_DEFAULT,
) -> tuple[Invite, str]:
    """Create a single-use invite (optionally for a login-less member); return it and its token."""
    ensure_admin(admin)
    if role not in ("admin", "member"):
        raise Invalid("역할은 관리자 또는 멤버만 고를 수 있습니다.", "role")
    if not 1 <= days <= INVITE_DAYS_MAX:
        raise Invalid(f"유효 기간은 1~{INVITE_DAYS_MAX}일로 정해 주세요.", "days")
    if member_id is not None:
        member = db.session.get(Member, member_id) if 0 < member_id < 2**63 else None
        if member is None:
            raise Invalid("초대할 멤버를 찾을 수 없습니다.", "member_id")
        if member.has_login:
            raise Invalid(f"{member.name} 님은 이미 로그인할 수 있습니다.", "member_id")
    token = secrets.token_urlsafe(32)
    invite = Invite(
        token_hash=hash_token(token),
        created_by_id=admin.id,
        member_id=member_id,
        role=role,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(invite)
    db.session.commit()
    return invite, token


def open_invite(token: str) -> Invite:
    """The pending invite behind a token, or NotFound saying why it cannot be used."""
    invite = db.session.execute(
        select(Invite).where(Invite.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if invite is None:
        raise NotFound("초대 링크가 올바르지 않습니다. 링크를 다시 확인해 주세요.")
    state = invite_state(invite)
    if state == "used":
        raise NotFound("이미 사용된 초대 링크입니다. 관리자에게 새 링크를 요청해 주세요.")
    if state == "expired":
        raise NotFound("기간이 지난 초대 링크입니다. 관리자에게 새 링크를 요청해 주세요.")
    if invite.member is not None and invite.member.has_login:
        raise NotFound("이 초대로 연결된 멤버는 이미 로그인할 수 있습니다.")
    return invite


def accept_invite(
    token: str, *, username: str, password: str, confirm: str, name: str | None = None
) -> Member:
    """Use an invite: give its member (or a new member called `name`) a login."""
    invite = open_invite(token)
    check_new_password(password, confirm)
    normalized = _check_username(username)
    new_name = _check_name(name or "") if invite.member is None else None
    _claim_invite(invite)
    member = invite.member
    if member is None:
        member = Member(name=new_name, role=invite.role)
        db.session.add(member)
    else:
        member.role = "admin" if invite.role == "admin" else member.role
    member.username = normalized
    member.password_hash = hash_password(password)
    db.session.flush()
    invite.used_by_id = member.id
    _commit_new_login()
    return member


def _claim_invite(invite: Invite) -> None:
    """Mark the invite used with one conditional UPDATE, so of several sessions using it
    at once exactly one goes on; the others get NotFound."""
    now = utcnow()
    # An UPDATE gives a CursorResult (which has rowcount); Session.execute is typed as Result.
    claimed = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(Invite)
            .where(Invite.id == invite.id, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise NotFound("이미 사용된 초대 링크입니다. 관리자에게 새 링크를 요청해 주세요.")
    invite.used_at = now


def revoke_invite(admin: Member, invite_id: int) -> None:
    """End a pending invite now so its link no longer works."""
    ensure_admin(admin)
    invite = get_or_404(Invite, invite_id, "초대를 찾을 수 없습니다.")
    if invite_state(invite) == "pending":
        invite.expires_at = utcnow()
        db.session.commit()


def register(*, name: str, username: str, password: str, confirm: str) -> Member:
    """Open registration: create a member with a login (only when OPEN_REGISTRATION is on)."""
    check_new_password(password, confirm)
    member = Member(
        name=_check_name(name),
        username=_check_username(username),
        password_hash=hash_password(password),
        role="member",
    )
    db.session.add(member)
    _commit_new_login()
    return member


# --- the admin page -------------------------------------------------------------------------


@dataclass
class AdminOverview:
    """What the admin page shows."""

    members: Page[Member]
    note_counts: dict[int, int]
    unclaimed: list[Member]
    invites: list[Invite]
    deleted_notes: list[Note]


def admin_overview(page: int = 1, per_page: int = 50) -> AdminOverview:
    """Members (paginated, with note counts), login-less members, the latest invites and
    the latest deleted notes (to restore)."""
    total = db.session.scalar(select(func.count(Member.id))) or 0
    page = clamp_page(page, total, per_page)
    listed = db.session.scalars(
        select(Member).order_by(Member.name).limit(per_page).offset(offset_of(page, per_page))
    )
    members = Page(list(listed), total, page, per_page)
    ids = [member.id for member in members.items]
    note_counts = dict(
        db.session.execute(
            select(Note.member_id, func.count(Note.id))
            .where(Note.member_id.in_(ids), Note.deleted_at.is_(None))
            .group_by(Note.member_id)
        ).all()
    )
    unclaimed = db.session.execute(
        select(Member).where(Member.password_hash.is_(None)).order_by(Member.name)
    ).scalars()
    invites = db.session.execute(
        select(Invite)
        .options(selectinload(Invite.member), selectinload(Invite.created_by))
        .order_by(Invite.created_at.desc(), Invite.id.desc())
        .limit(50)
    ).scalars()
    deleted_notes = db.session.execute(
        select(Note)
        .options(joinedload(Note.member), joinedload(Note.book))
        .where(Note.deleted_at.is_not(None))
        .order_by(Note.deleted_at.desc())
        .limit(50)
    ).scalars()
    return AdminOverview(members, note_counts, list(unclaimed), list(invites), list(deleted_notes))
