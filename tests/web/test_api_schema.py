"""Schema fuzzing: schemathesis sends generated requests to every operation of the OpenAPI
document (a bounded number each) and checks for server errors and responses that break the
document (status, content type, body schema)."""

from __future__ import annotations

import shutil

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

from app import create_app  # noqa: E402
from app.api.openapi import openapi_document  # noqa: E402
from app.api.tokens import create_token  # noqa: E402
from app.board.services import ask_question, post_answer  # noqa: E402
from app.extensions import db  # noqa: E402
from tests.web.api_data import seed_api_data  # noqa: E402

MAX_EXAMPLES = 25


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory, migrated_database):
    """A Studyhall with one book, note, question and answer, shared by the fuzzing run."""
    path = tmp_path_factory.mktemp("fuzz") / "studyhall.sqlite3"
    shutil.copy(migrated_database, path)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        data = seed_api_data()
        question = ask_question(
            data.asker, book_id=data.book.id, chapter_number=1, title="질문", body=""
        )
        post_answer(data.answerer, question.id, "답변")
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def bearer(fuzzed_app) -> dict[str, str]:
    """An Authorization header for the seeded asker, asking for uncompressed bodies: the
    WSGI transport sends Accept-Encoding like a browser but never decodes what comes back
    (compression itself is tested in test_compression.py)."""
    from app.models import Member

    member = db.session.query(Member).filter_by(name="지민").one()
    _token, plain = create_token(member.id, "fuzz")
    return {"Authorization": f"Bearer {plain}", "Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def api_schema(fuzzed_app):
    """The API's own OpenAPI document, loaded from the app."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzzed_app)


OPERATIONS = [
    (method.upper(), path)
    for path, methods in openapi_document()["paths"].items()
    for method in methods
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_conforms_to_its_openapi_document(api_schema, bearer, method, path):
    # schemathesis' own pytest plugin does not run on this pytest; Hypothesis drives it here.
    strategy = api_schema[path][method].as_strategy()

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def call(case):
        # The board asks more than the schema can say (an existing book, a title that is not
        # only spaces): a schema-valid request may fairly get a 422, so that check is off.
        case.call_and_validate(headers=bearer, excluded_checks=[checks.positive_data_acceptance])

    call()
