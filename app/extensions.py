"""Flask extensions, created here and bound to the app in create_app."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so Alembic batch migrations on SQLite can alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# mypy cannot use `db.Model` (an attribute) as a base class; models inherit `Model`, which is
# db.Model at run time and the typed declarative base when type checking.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

_View = TypeVar("_View", bound=Callable[..., Any])


def csrf_exempt(view: _View) -> _View:
    """Exempt a view from CSRF checks: flask_wtf's `csrf.exempt`, typed (flask_wtf has no hints)."""
    return cast(_View, csrf.exempt(view))


def refresh_planner_statistics() -> None:
    """After a bulk write, let SQLite's query planner see the tables' new sizes (a bounded
    ANALYZE: about 25 ms at bench scale). PostgreSQL's autovacuum does this by itself.

    Without statistics SQLite may walk the wrong index: the home page's newest answers took
    150 ms instead of 5 on an imported bench site."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA analysis_limit=1000")
        connection.exec_driver_sql("ANALYZE")
