"""The question board and its threads: thin views over app.board.services."""

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.auth.permissions import require_member
from app.board import services
from app.board.forms import AnswerForm, QuestionEditForm, QuestionForm, int_or_none
from app.board.services import BoardFilters
from app.errors import Conflict, Invalid, attach_to_form
from app.models import Answer, Question
from app.web.forms import EmptyForm
from app.web.page_versions import versioned
from app.web.query_args import page_number

bp = Blueprint("board", __name__)


@bp.app_context_processor
def inject_unread_notifications() -> dict[str, int]:
    """The unread count for the header badge: one COUNT query, none for anonymous visitors."""
    if not current_user.is_authenticated:
        return {"board_unread_count": 0}
    return {"board_unread_count": services.unread_notification_count(current_user.id)}


def _viewer() -> services.Actor | None:
    viewer: services.Actor | None = (
        current_user._get_current_object() if current_user.is_authenticated else None
    )
    return viewer


def _member() -> services.Actor:
    """The signed-in member, in views behind require_member."""
    member: services.Actor = current_user._get_current_object()
    return member


def _thread_url(question_id: int, anchor: str | None = None) -> str:
    return url_for("board.thread", question_id=question_id, _anchor=anchor)


# --- the board and threads ----------------------------------------------------------------


@bp.get("/board")
@versioned("board")
def index() -> ResponseReturnValue:
    """The board: filters, sort orders, pagination."""
    args = request.args
    filters = BoardFilters(
        book_id=int_or_none(args.get("book")),
        chapter_number=int_or_none(args.get("chapter")),
        state=args.get("state") if args.get("state") in services.STATES else None,
        mine=args.get("mine") == "1" and current_user.is_authenticated,
        unanswered=args.get("unanswered") == "1",
        hidden=args.get("hidden") == "1",
        sort=args.get("sort", "new") if args.get("sort") in services.SORTS else "new",
        page=page_number(args.get("page")),
    )
    board = services.board_page(filters, _viewer())
    return render_template("board/index.html", board=board)


@bp.get("/questions/<int:question_id>")
@versioned("thread:{question_id}")
def thread(question_id: int) -> ResponseReturnValue:
    """One thread with its answers."""
    thread = services.get_thread(question_id, _viewer())
    # Forms (and so a CSRF token in the session) only for members who can use them: an
    # anonymous reader's page then stays the same for everyone and can be reused.
    signed_in = current_user.is_authenticated
    return render_template(
        "board/thread.html",
        thread=thread,
        form=AnswerForm() if signed_in else None,
        action=EmptyForm() if signed_in else None,
    )


@bp.route("/questions/new", methods=["GET", "POST"])
@require_member
def ask() -> ResponseReturnValue:
    """Ask a question (title, Markdown body, book, chapter), with a preview."""
    form = QuestionForm()
    if request.method == "GET":
        form.book_id.data = int_or_none(request.args.get("book"))
        form.chapter_number.data = request.args.get("chapter", "")
    previewing = request.method == "POST" and form.preview.data
    try:
        context = services.ask_context(form.body.data or "" if previewing else None)
    except Invalid as error:
        context = services.ask_context()
        form.body.errors = [error.message]
    form.book_id.choices = [("", "책을 고르세요"), *context.books]
    if not previewing and form.validate_on_submit():
        try:
            question = services.ask_question(
                _member(),
                book_id=form.book_id.data,
                chapter_number=int_or_none(form.chapter_number.data),
                title=form.title.data or "",
                body=form.body.data or "",
            )
        except Invalid as error:
            attach_to_form(form, error)
        else:
            flash("질문을 올렸습니다.", "success")
            return redirect(_thread_url(question.id))
    return render_template("board/ask.html", form=form, preview=context.preview)


@bp.post("/questions/<int:question_id>/answers")
@require_member
def answer(question_id: int) -> ResponseReturnValue:
    """Post an answer (or show its preview without saving)."""
    form = AnswerForm()
    preview_body = None
    if form.preview.data:
        preview_body = form.body.data or ""
    elif form.validate_on_submit():
        try:
            saved = services.post_answer(_member(), question_id, form.body.data or "")
        except Invalid as error:
            form.body.errors = [error.message]
        else:
            flash("답변을 올렸습니다.", "success")
            return redirect(_thread_url(question_id, f"answer-{saved.id}"))
    try:
        thread = services.get_thread(question_id, _member(), answer_preview=preview_body)
    except Invalid as error:
        form.body.errors = [error.message]
        thread = services.get_thread(question_id, _member())
    return render_template("board/thread.html", thread=thread, form=form, action=EmptyForm())


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@require_member
def edit_question(question_id: int) -> ResponseReturnValue:
    """Edit a question (its asker or an admin); the old text stays in the history."""
    question = services.get_question_for_edit(_member(), question_id)
    form = QuestionEditForm(obj=question)
    return _edit_page(
        form,
        save=lambda: services.edit_question(
            _member(), question_id, title=form.title.data or "", body=form.body.data or ""
        ),
        back=_thread_url(question_id),
        heading="질문 고치기",
    )


@bp.route("/answers/<int:answer_id>/edit", methods=["GET", "POST"])
@require_member
def edit_answer(answer_id: int) -> ResponseReturnValue:
    """Edit an answer (its author or an admin); the old text stays in the history."""
    answer = services.get_answer_for_edit(_member(), answer_id)
    form = AnswerForm(obj=answer)
    form.submit.label.text = "저장"
    return _edit_page(
        form,
        save=lambda: services.edit_answer(_member(), answer_id, form.body.data or ""),
        back=_thread_url(answer.question_id, f"answer-{answer_id}"),
        heading="답변 고치기",
    )


def _edit_page(
    form: QuestionEditForm | AnswerForm, *, save: Callable[[], Any], back: str, heading: str
) -> ResponseReturnValue:
    preview = None
    if request.method == "POST" and form.preview.data:
        try:
            preview = services.preview_html(form.body.data or "")
        except Invalid as error:
            form.body.errors = [error.message]
    elif form.validate_on_submit():
        try:
            save()
        except Invalid as error:
            attach_to_form(form, error)
        else:
            flash("고친 내용을 저장했습니다.", "success")
            return redirect(back)
    return render_template(
        "board/edit.html", form=form, preview=preview, back=back, heading=heading
    )


# --- actions: buttons that change one thing and come back to the thread -------------------


def _to_thread(post: Question | Answer) -> str:
    return _thread_url(getattr(post, "question_id", None) or post.id)


def _action_view(
    call: Callable[[Any, int], Any], success: str, after: Callable[[Any], str]
) -> Callable[[int], ResponseReturnValue]:
    """A POST view that runs one service call on the URL's id, flashes, and redirects."""

    @require_member
    def view(post_id: int) -> ResponseReturnValue:
        try:
            result = call(_member(), post_id)
        except (Invalid, Conflict) as error:
            flash(error.message, "error")
            return redirect(request.referrer or url_for("board.index"))
        flash(success, "success")
        return redirect(after(result))

    return view


def _to_board(_post: Question) -> str:
    return url_for("board.index")


class _Action(NamedTuple):
    """A POST on a post: the URL /<kind>s/<id>/<verb>, the endpoint <verb>_<kind>."""

    kind: str
    verb: str
    call: Callable[[Any, int], Any]
    success: str
    after: Callable[[Any], str] = _to_thread


def _post_actions(kind: str, model: type[Question] | type[Answer], label: str) -> list[_Action]:
    """Delete (its author or an admin), hide and restore (admins): alike for both kinds."""
    after_delete = _to_board if model is Question else _to_thread
    delete = partial(services.delete_post, model=model)
    hide = partial(services.moderate_post, model=model, hide=True)
    restore = partial(services.moderate_post, model=model, hide=False)
    return [
        _Action(kind, "delete", delete, f"{label}을 삭제했습니다.", after_delete),
        _Action(kind, "hide", hide, f"{label}을 숨겼습니다."),
        _Action(kind, "restore", restore, f"{label}을 되살렸습니다."),
    ]


ACTIONS = [
    *_post_actions("question", Question, "질문"),
    _Action("question", "reopen", services.reopen_question, "질문을 다시 열었습니다."),
    *_post_actions("answer", Answer, "답변"),
    _Action(
        "answer",
        "accept",
        partial(services.set_answer_accepted, accepted=True),
        "답변을 채택했습니다. 질문이 해결됨으로 바뀌었습니다.",
    ),
    _Action(
        "answer",
        "unaccept",
        partial(services.set_answer_accepted, accepted=False),
        "채택을 취소했습니다.",
    ),
]

for _action in ACTIONS:
    bp.add_url_rule(
        f"/{_action.kind}s/<int:post_id>/{_action.verb}",
        f"{_action.verb}_{_action.kind}",
        _action_view(_action.call, _action.success, _action.after),
        methods=["POST"],
    )


@bp.post("/questions/<int:question_id>/vote")
@require_member
def vote(question_id: int) -> ResponseReturnValue:
    """Toggle "나도 궁금해요"."""
    try:
        on = services.toggle_vote(_member(), question_id)
    except Invalid as error:
        flash(error.message, "error")
    else:
        flash("나도 궁금해요를 눌렀습니다." if on else "나도 궁금해요를 취소했습니다.", "success")
    return redirect(_thread_url(question_id))


@bp.post("/board/preview")
@require_member
def preview() -> ResponseReturnValue:
    """The sanitized HTML of a Markdown text, for the editors' live preview."""
    try:
        html = services.preview_html(request.form.get("body", ""))
    except Invalid as error:
        return Response(error.message, status=400, mimetype="text/plain")
    return Response(html, mimetype="text/html")


# --- notifications ------------------------------------------------------------------------


@bp.get("/notifications")
@require_member
def notifications() -> ResponseReturnValue:
    """The member's notifications, newest first."""
    page = services.notifications_page(current_user.id, page_number(request.args.get("page")))
    return render_template("board/notifications.html", page=page, action=EmptyForm())


@bp.post("/notifications/read")
@require_member
def read_all_notifications() -> ResponseReturnValue:
    """Mark every notification read."""
    count = services.mark_notifications_read(current_user.id)
    flash(f"알림 {count}개를 읽음으로 표시했습니다.", "success")
    return redirect(url_for("board.notifications"))


@bp.post("/notifications/<int:notification_id>/read")
@require_member
def read_notification(notification_id: int) -> ResponseReturnValue:
    """Mark one notification read."""
    services.mark_notifications_read(current_user.id, notification_id)
    return redirect(url_for("board.notifications"))


@bp.post("/notifications/<int:notification_id>/open")
@require_member
def open_notification(notification_id: int) -> ResponseReturnValue:
    """Mark one notification read and go to its thread."""
    question_id = services.open_notification(current_user.id, notification_id)
    return redirect(_thread_url(question_id))
