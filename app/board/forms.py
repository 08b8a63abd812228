"""The board's forms: asking, answering and editing, each with a 미리보기 button."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.board.services import BODY_MAX, TITLE_MAX
from app.web.query_args import sqlite_int

TITLE_VALIDATORS = [
    DataRequired("제목을 입력해 주세요."),
    Length(max=TITLE_MAX, message=f"제목은 {TITLE_MAX}자까지 쓸 수 있습니다."),
]
BODY_LENGTH = Length(max=BODY_MAX, message=f"내용은 {BODY_MAX:,}자까지 쓸 수 있습니다.")


def int_or_none(value: object) -> int | None:
    """A select's value as an int, or None when nothing (or nonsense) was chosen."""
    try:
        return sqlite_int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class QuestionForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no type hints
    """Ask a new question."""

    title = StringField("제목", validators=TITLE_VALIDATORS)
    body = TextAreaField("내용 (Markdown)", validators=[BODY_LENGTH])
    book_id = SelectField("책", coerce=int_or_none, validate_choice=False)
    chapter_number = StringField(
        "장 번호",
        validators=[Optional(), Regexp(r"^\d{1,4}$", message="장 번호는 숫자로 적어 주세요.")],
    )
    preview = SubmitField("미리보기")
    submit = SubmitField("질문 올리기")


class QuestionEditForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no type hints
    """Edit a question's title and body."""

    title = StringField("제목", validators=TITLE_VALIDATORS)
    body = TextAreaField("내용 (Markdown)", validators=[BODY_LENGTH])
    preview = SubmitField("미리보기")
    submit = SubmitField("저장")


class AnswerForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no type hints
    """Write or edit an answer."""

    body = TextAreaField(
        "답변 (Markdown)", validators=[DataRequired("답변 내용을 입력해 주세요."), BODY_LENGTH]
    )
    preview = SubmitField("미리보기")
    submit = SubmitField("답변 올리기")
