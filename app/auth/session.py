"""How Flask-Login finds the signed-in member."""

from app.extensions import db, login_manager
from app.models import Member


@login_manager.user_loader
def load_member(member_id: str) -> Member | None:
    """Return the member behind a session, if they still may sign in."""
    member = db.session.get(Member, int(member_id))
    return member if member is not None and member.has_login else None


login_manager.login_view = "auth.login"
login_manager.login_message = "로그인이 필요합니다."
login_manager.login_message_category = "warning"
