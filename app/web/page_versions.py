"""Page versions: one number per scope of pages (app/web/scopes.py), grown by every committed
write to what those pages show, so that a cached page's freshness is one query.

The scopes are bumped from one place, the session's events, so no write path can forget:
after each flush every new, changed or deleted row names its scopes; a bulk UPDATE or DELETE
first selects the rows it is about to touch; references (`@question:7`: that question's
scopes) are looked up once, just before the transaction commits, and the scopes become one
upsert of `page_versions` inside it. A page's freshness is then one query over its scopes
(`current_versions`), whatever was written."""

from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any, cast

from flask import request
from flask_login import current_user
from sqlalchemy import bindparam, event, inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session

from app.extensions import db
from app.models import PageVersion
from app.web.scopes import (
    NO_PAGE_TABLES,
    SITE,
    UNSHOWN_COLUMNS,
    WRITE_SCOPES,
    Lookup,
    Reference,
    Unknown,
    expand,
    fill,
    follow,
    rule_columns,
)

_PENDING = "page_scopes"
_REFERENCES = "page_scope_references"
_BUMP = text(
    "INSERT INTO page_versions (scope, version) VALUES (:scope, 1) "
    "ON CONFLICT (scope) DO UPDATE SET version = page_versions.version + 1"
)


# Built once: every page runs it, and building and keying it cost more than running it.
_VERSIONS = select(PageVersion.scope, PageVersion.version).where(
    PageVersion.scope.in_(bindparam("scopes", expanding=True))
)


def current_versions(scopes: Iterable[str]) -> list[tuple[str, int]]:
    """Each scope's version now, in scope order (one query); never-written scopes are 0."""
    wanted = sorted(set(scopes))
    rows = db.session.execute(_VERSIONS, {"scopes": wanted})
    found: dict[str, int] = {scope: version for scope, version in rows}
    return [(scope, found.get(scope, 0)) for scope in wanted]


def pending_scopes(session: Session) -> set[str]:
    """The scopes this transaction's writes will bump when it commits (references aside)."""
    return cast(set[str], session.info.setdefault(_PENDING, set()))


def _pending_references(session: Session) -> set[Reference]:
    return cast(set[Reference], session.info.setdefault(_REFERENCES, set()))


def _lookup(session: Session) -> Lookup:
    """Rows of a table whose key column holds one of the keys, read in this transaction."""

    def rows(table: str, column: str, keys: list[Any], columns: set[str]) -> list[dict[str, Any]]:
        found = db.metadata.tables[table]
        query = select(*(found.c[name] for name in sorted(columns))).where(
            found.c[column].in_(keys)
        )
        return [dict(row) for row in session.connection().execute(query).mappings()]

    return rows


def _object_values(obj: object) -> Callable[[str], list[Any]]:
    """A column's values in a flushed object: new and old (a moved row changes both places)."""
    state = inspect(obj)
    mapper = state.mapper

    def values(column: str) -> list[Any]:
        key = mapper.get_property_by_column(mapper.local_table.c[column]).key
        history = state.attrs[key].history
        found = [*history.added, *history.unchanged, *history.deleted]
        if found:
            return found
        try:
            return [getattr(obj, key)]
        except Exception as error:  # an expired column of a deleted row: no way to know
            raise Unknown(column) from error

    return values


def _changed_columns(obj: object) -> set[str]:
    state = inspect(obj)
    return {
        prop.columns[0].name
        for prop in state.mapper.column_attrs
        if state.attrs[prop.key].history.has_changes()
    }


def _scopes_of_object(session: Session, obj: object, dirty: bool, deleted: bool) -> None:
    """Add the scopes a flushed row names to the transaction's pending ones. References are
    followed at commit, once for all flushes, but a deleted row's at once: its own
    references may go with it."""
    table = inspect(obj).mapper.local_table.name
    if table in NO_PAGE_TABLES:
        return
    if dirty:
        changed = _changed_columns(obj)
        if not changed or changed <= UNSHOWN_COLUMNS.get(table, frozenset()):
            return
    rule = WRITE_SCOPES.get(table)
    pending = pending_scopes(session)
    if rule is None:
        pending.add(SITE)
        return
    try:
        scopes, references = fill(rule, [_object_values(obj)])
    except Unknown:
        pending.add(SITE)
        return
    pending |= scopes
    if deleted:
        pending |= follow(references, _lookup(session))
    else:
        _pending_references(session).update(references)


@event.listens_for(Session, "after_flush")
def _collect_flushed(session: Session, _context: object) -> None:
    for obj in session.new:
        _scopes_of_object(session, obj, dirty=False, deleted=False)
    for obj in session.deleted:
        _scopes_of_object(session, obj, dirty=False, deleted=True)
    for obj in session.dirty:
        _scopes_of_object(session, obj, dirty=True, deleted=False)


@event.listens_for(Session, "do_orm_execute")
def _collect_statement(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        pending_scopes(state.session).update(_statement_scopes(state))


def _statement_scopes(state: ORMExecuteState) -> set[str]:
    """The scopes of the rows a bulk statement touches, read before it runs."""
    statement: Any = state.statement
    table = statement.table.name
    if table in NO_PAGE_TABLES:
        return set()
    rule = WRITE_SCOPES.get(table)
    if rule is None:
        return {SITE}
    rows = _parameter_rows(state)
    if rows is not None:  # a bulk INSERT, or a bulk UPDATE by primary key, of many rows
        return _bulk_scopes(state, table, rule, rows)
    values = getattr(statement, "_values", None)
    if state.is_insert or (state.is_update and not values):
        return {SITE}
    columns = rule_columns(rule)
    assigned = {getattr(key, "name", None) or str(key) for key in values or ()}
    if assigned & columns:  # rows moving elsewhere: their new place is an expression
        return {SITE}
    if state.is_update and assigned <= UNSHOWN_COLUMNS.get(table, frozenset()):
        return set()
    if not columns:
        return set(rule)
    query = select(*(statement.table.c[name] for name in sorted(columns)))
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    found = state.session.connection().execute(query).mappings().all()
    return _expand_rows(state, rule, [dict(row) for row in found])


def _parameter_rows(state: ORMExecuteState) -> list[dict[str, Any]] | None:
    """The rows of a statement given a list of parameter dicts, else None."""
    given = state.parameters
    if isinstance(given, Mapping):
        given = [given] if (state.is_insert or "id" in given) else None
    if not given or not (state.is_insert or state.is_update):
        return None
    rows = [dict(row) for row in given if isinstance(row, Mapping)]
    if len(rows) != len(given) or (state.is_update and not all("id" in row for row in rows)):
        return None
    return rows


def _bulk_scopes(
    state: ORMExecuteState, table: str, rule: tuple[str, ...], rows: list[dict[str, Any]]
) -> set[str]:
    """New rows name their scopes from their values (a new row's own page was never shown);
    rows updated by id name those of their stored values, and of the new ones."""
    columns = rule_columns(rule)
    if state.is_insert:
        return _expand_rows(state, rule, [{"id": None, **row} for row in rows])
    assigned = set().union(*(row.keys() for row in rows)) - {"id"}
    if assigned <= UNSHOWN_COLUMNS.get(table, frozenset()):
        return set()
    statement: Any = state.statement
    ids = [row["id"] for row in rows]
    query = select(*(statement.table.c[name] for name in sorted(columns | {"id"})))
    found = state.session.connection().execute(query.where(statement.table.c.id.in_(ids)))
    stored = {row["id"]: dict(row) for row in found.mappings()}
    updated = [{**stored.get(row["id"], {}), **row} for row in rows]
    return _expand_rows(state, rule, [*stored.values(), *updated])


def _expand_rows(
    state: ORMExecuteState, rule: tuple[str, ...], rows: list[dict[str, Any]]
) -> set[str]:
    """The scopes rows of plain values name; a column they lack makes it the whole site."""
    getters = [
        lambda column, row=row: [row[column]] if column in row else _unknown() for row in rows
    ]
    try:
        return expand(rule, getters, _lookup(state.session))
    except Unknown:
        return {SITE}


def _unknown() -> list[Any]:
    raise Unknown


# A savepoint collects its scopes apart: released, they join the enclosing transaction's
# (bumped once, when it commits: a batch of notes bumps each scope once); rolled back,
# they are dropped with its writes.
_SAVED = "page_scopes_saved"
_Saved = dict[object, tuple[set[str], set[Reference]]]


def _saved(session: Session) -> _Saved:
    return cast(_Saved, session.info.setdefault(_SAVED, {}))


@event.listens_for(Session, "after_transaction_create")
def _open_savepoint(session: Session, transaction: Any) -> None:
    if transaction.nested:
        outer = (session.info.pop(_PENDING, set()), session.info.pop(_REFERENCES, set()))
        _saved(session)[transaction] = outer


def _close_savepoint(session: Session, transaction: object, *, keep: bool) -> None:
    """Back to the enclosing transaction's scopes, with the savepoint's when `keep`."""
    outer = _saved(session).pop(transaction, None)
    if outer is None:
        return
    scopes, references = session.info.pop(_PENDING, set()), session.info.pop(_REFERENCES, set())
    if keep:
        outer[0].update(scopes)
        outer[1].update(references)
    session.info[_PENDING], session.info[_REFERENCES] = outer


@event.listens_for(Session, "after_transaction_end")
def _end_savepoint(session: Session, transaction: Any) -> None:
    if transaction.nested:  # neither released nor rolled back here: keep its scopes
        _close_savepoint(session, transaction, keep=True)


@event.listens_for(Session, "before_commit")
def _bump(session: Session) -> None:
    session.flush()  # before_commit runs before commit's own flush: see its changes now
    if (savepoint := session.get_nested_transaction()) is not None:
        _close_savepoint(session, savepoint, keep=True)
        return
    scopes = session.info.pop(_PENDING, set())
    if references := session.info.pop(_REFERENCES, None):
        scopes |= follow(references, _lookup(session))
    if scopes:
        # In one order, so two writers never wait on each other's rows crosswise.
        session.connection().execute(_BUMP, [{"scope": scope} for scope in sorted(scopes)])


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if (savepoint := session.get_nested_transaction()) is not None:
        _close_savepoint(session, savepoint, keep=False)
        return
    session.info.pop(_PENDING, None)
    session.info.pop(_REFERENCES, None)
    session.info.pop(_SAVED, None)


def page_scopes(scopes: Iterable[str]) -> list[str]:
    """What a page shows: its own scopes, everything (`site`), and the viewer's unread badge."""
    shown = [SITE, *scopes]
    if current_user.is_authenticated:
        shown.append(f"inbox:{current_user.get_id()}")
    return shown


def versioned_page(render: Callable[[], Any], scopes: Iterable[str] = ()) -> Any:
    """Serve a page through conditional_page, current while none of its scopes moves."""
    from app.web.caching import conditional_page

    return conditional_page(render, etag_parts=current_versions(page_scopes(scopes)))


def versioned(*templates: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a GET view whose page depends only on the database, the URL and the viewer,
    naming the scopes it shows, filled from the URL: `@versioned("thread:{question_id}")`."""

    if templates and callable(templates[0]):  # `@versioned` alone: its scopes are unsaid
        raise TypeError('versioned needs the scopes the page shows: @versioned("thread:{id}")')

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {**(request.view_args or {}), **kwargs}
            scopes = [template.format(**values) for template in templates]
            return versioned_page(lambda: view(*args, **kwargs), scopes)

        return wrapper

    return decorate
