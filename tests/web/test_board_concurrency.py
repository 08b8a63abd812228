"""No lost writes: many members answering one thread at once all get their answers saved."""

import threading

from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, Notification, Question
from tests.web.board_helpers import ask, make_book, quick_member

WRITERS = 8
ANSWERS_EACH = 5


def test_concurrent_answers_are_all_saved(app, login):
    assert app.config["SQLALCHEMY_DATABASE_URI"] != "sqlite://"  # a real file or server
    asker = quick_member("asker")
    question = ask(asker, make_book())
    question_id, asker_id = question.id, asker.id
    url = f"/questions/{question.id}/answers"
    writers = [quick_member(f"writer{i}") for i in range(WRITERS)]
    clients = [login(member, on=app.test_client()) for member in writers]
    start = threading.Barrier(WRITERS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def answer_many(client, number):
        try:
            start.wait()
            for i in range(ANSWERS_EACH):
                response = client.post(
                    url,
                    data={"body": f"작성자 {number}의 답변 {i}", "submit": "1"},
                )
                statuses.append(response.status_code)
        except BaseException as error:  # reported below; a thread's exception is otherwise lost
            errors.append(error)

    threads = [
        threading.Thread(target=answer_many, args=(client, n)) for n, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [302] * (WRITERS * ANSWERS_EACH)
    db.session.expire_all()
    total = WRITERS * ANSWERS_EACH
    assert db.session.scalar(select(func.count()).select_from(Answer)) == total
    bodies = set(db.session.scalars(select(Answer.body)))
    assert len(bodies) == total
    saved = db.session.get(Question, question_id)
    assert (saved.answers_count, saved.state) == (total, "answered")
    notified = db.session.scalar(select(func.count()).where(Notification.member_id == asker_id))
    assert notified == total
