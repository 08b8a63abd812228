"""Who may edit what: the pure permission checks."""

import pytest

from app.auth.permissions import can_edit, can_moderate, ensure_admin, ensure_can_edit
from app.errors import Forbidden
from app.models import Member


class Anonymous:
    is_authenticated = False
    has_login = False
    is_admin = False
    id = None


def member(member_id, role="member", login=True):
    return Member(
        id=member_id, name=f"m{member_id}", role=role, password_hash="x" if login else None
    )


AUTHOR = member(1)
OTHER = member(2)
ADMIN = member(3, role="admin")
NO_LOGIN = member(4, login=False)


@pytest.mark.parametrize(
    ("who", "owner_id", "allowed"),
    [
        (AUTHOR, 1, True),
        (OTHER, 1, False),
        (ADMIN, 1, True),
        (ADMIN, None, True),
        (AUTHOR, None, False),
        (Anonymous(), 1, False),
        (None, 1, False),
        (NO_LOGIN, 4, False),
    ],
)
def test_can_edit(who, owner_id, allowed):
    assert can_edit(who, owner_id) is allowed
    if allowed:
        ensure_can_edit(who, owner_id)
    else:
        with pytest.raises(Forbidden):
            ensure_can_edit(who, owner_id)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [(ADMIN, True), (AUTHOR, False), (Anonymous(), False), (None, False)],
)
def test_can_moderate(who, allowed):
    assert can_moderate(who) is allowed
    if not allowed:
        with pytest.raises(Forbidden):
            ensure_admin(who)
