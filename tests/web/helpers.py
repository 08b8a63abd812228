"""Small helpers shared by web tests."""

from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block: `with count_queries() as n: ...; n[0]`."""
    counter = [0]

    def before_cursor_execute(*_args):
        counter[0] += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


NOTE_TEMPLATE = """# 📚 스터디 템플릿

## 📝 내용 정리
- {member}의 {chapter}장 정리

## ❓ 특별히 궁금했던 부분
- {member}의 질문 {chapter}

## ⏳ 독서 과정 기록
- **총 독서 시간**: 1시간 {minutes}분

## 🤔 이해도 점검 & 난이도 평가
- **자신의 이해도를 점수로 표현하기 (5점 만점)**
  - Chapter {chapter}: ⭐⭐⭐ ({score}/5)
"""


def write_note(root, book, member, chapter, *, minutes=10, score=3, extra=""):
    """Write one templated note file under root/book/member/ and return its path."""
    folder = root / book / member
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"[{chapter}장] 제목 {chapter}.md"
    text = NOTE_TEMPLATE.format(member=member, chapter=chapter, minutes=minutes, score=score)
    path.write_text(text + extra, encoding="utf-8")
    return path


@contextmanager
def limited_app(app, **settings):
    """A second app on `app`'s database file with the sign-in limit on (and `settings`)."""
    from app import create_app

    second = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "PASSWORD_HASH_METHOD": app.config["PASSWORD_HASH_METHOD"],
            **settings,
        }
    )
    with second.app_context():
        yield second
        db.session.remove()
        db.engine.dispose()


@contextmanager
def site_on_file(path, **settings):
    """An app on the SQLite file at `path`, readable without signing in (and `settings`)."""
    from app import create_app

    site = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PUBLIC_READ": True,
            **settings,
        }
    )
    with site.app_context():
        yield site
        db.session.remove()
        db.engine.dispose()
