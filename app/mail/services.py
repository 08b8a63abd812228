"""Writes to a member's mail settings: address, modes per kind, unsubscribe."""

from app.errors import Invalid
from app.extensions import db
from app.mail.outbox import KINDS
from app.models import MailSettings, Member, utcnow

MODES = {"immediate": "바로", "digest": "하루 모아 보기", "never": "받지 않음"}


def get_settings(member_id: int) -> MailSettings | None:
    """The member's mail settings, or None before they set an address."""
    return db.session.get(MailSettings, member_id)


def save_settings(actor: Member, email: str, modes: dict[str, str]) -> MailSettings:
    """Save the actor's own address and the mode of each kind of mail."""
    email = email.strip()
    if "@" not in email or len(email) > 254 or " " in email:
        raise Invalid("올바른 전자우편 주소를 적어 주세요.", "email")
    if any(modes.get(kind) not in MODES for kind in KINDS):
        raise Invalid("알림마다 받는 방식을 골라 주세요.")
    settings = get_settings(actor.id) or MailSettings(member_id=actor.id)
    settings.email = email
    for kind in KINDS:
        setattr(settings, kind, modes[kind])
    settings.updated_at = utcnow()
    db.session.add(settings)
    db.session.commit()
    return settings


def unsubscribe(member_id: int, kind: str) -> bool:
    """Stop one kind of mail ("digest": every kind now sent as a digest); True if changed."""
    settings = get_settings(member_id)
    if settings is None:
        return False
    kinds = [k for k in KINDS if getattr(settings, k) == "digest"] if kind == "digest" else [kind]
    changed = False
    for name in kinds:
        if name in KINDS and getattr(settings, name) != "never":
            setattr(settings, name, "never")
            changed = True
    db.session.commit()
    return changed
