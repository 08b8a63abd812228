"""The account forms (Flask-WTF: each carries a CSRF token)."""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.auth.services import INVITE_DAYS_DEFAULT, INVITE_DAYS_MAX, MAX_PASSWORD_LENGTH
from app.models import Member

REQUIRED = "이 칸을 채워 주세요."


def _password(label: str, autocomplete: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(REQUIRED), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": autocomplete},
    )


def _username() -> StringField:
    return StringField(
        "아이디",
        validators=[DataRequired(REQUIRED), Length(max=50)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )


class LoginForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no type hints
    """Sign in with username and password."""

    username = _username()
    password = _password("비밀번호", "current-password")


class PasswordChangeForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no type hints
    """Change one's own password."""

    current_password = _password("현재 비밀번호", "current-password")
    password = _password("새 비밀번호", "new-password")
    confirm = _password("새 비밀번호 확인", "new-password")


class AcceptInviteForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no type hints
    """Pick a username and password through an invite (and a name when it names nobody)."""

    name = StringField("이름", validators=[Optional(), Length(max=100)])
    username = _username()
    password = _password("비밀번호", "new-password")
    confirm = _password("비밀번호 확인", "new-password")


class RegisterForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no type hints
    """Open registration (OPEN_REGISTRATION=1)."""

    name = StringField("이름", validators=[DataRequired(REQUIRED), Length(max=100)])
    username = _username()
    password = _password("비밀번호", "new-password")
    confirm = _password("비밀번호 확인", "new-password")


class InviteForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no type hints
    """An admin creates an invite link."""

    member_id = SelectField(
        "연결할 멤버",
        coerce=int,
        default=0,
        validate_choice=False,  # the service checks that the member exists and has no login
    )
    role = SelectField("역할", choices=[("member", "멤버"), ("admin", "관리자")], default="member")
    days = IntegerField(
        "유효 기간(일)",
        default=INVITE_DAYS_DEFAULT,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, INVITE_DAYS_MAX, f"1~{INVITE_DAYS_MAX}일로 정해 주세요."),
        ],
    )

    def set_member_choices(self, members: Iterable[Member]) -> None:
        """Offer the members who have no login yet, after "nobody (a new member)"."""
        self.member_id.choices = [(0, "새 멤버 (초대받은 사람이 이름을 정함)")] + [
            (member.id, member.name) for member in members
        ]
