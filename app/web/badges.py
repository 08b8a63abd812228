"""The small pieces every list repeats (a score, a reading time, a question's state and chapter) as
Python functions for the templates: the same HTML as the macros they replace in
templates/_macros.html, without a Jinja macro call per row (pure: no Flask)."""

from collections.abc import Callable, Mapping
from datetime import datetime

from markupsafe import Markup, escape

NO_SCORE = Markup('<span class="score score-none" title="점수 없음">–</span>')


def score_badge(score: float | None) -> Markup:
    """A 0.5–5 score as a badge, or a dash for no score."""
    if score is None:
        return NO_SCORE
    shown = f"{score:.1f}"
    return Markup(f'<span class="score" title="이해도 {shown} / 5">{shown}</span>')


def minutes(value: int | float | None) -> str:
    """A reading time: `1시간 5분`, `45분`, or a dash for none."""
    if value is None:
        return "–"
    if value >= 60:
        rest = value % 60
        return f"{value // 60}시간" + (f" {rest}분" if rest else "")
    return f"{value}분"


def state_badge_for(labels: Mapping[str, str]) -> Callable[[str], Markup]:
    """`state_badge(state)`: a question's state as a badge, in these labels."""

    def state_badge(state: str) -> Markup:
        label = labels.get(state, state)
        return Markup(f'<span class="state state-{escape(state)}">{escape(label)}</span>')

    return state_badge


def chapter_label(number: int | None) -> str:
    """A question's chapter: `3장`, or `장 없음` for none."""
    return "장 없음" if number is None else f"{number}장"


def date(value: datetime | None) -> Markup:
    """A UTC moment as `<time>` (minutes shown), or nothing."""
    if not value:
        return Markup("")
    return Markup(
        f'<time datetime="{escape(value.isoformat())}Z">{value.strftime("%Y-%m-%d %H:%M")}</time>'
    )


def template_globals(state_labels: Mapping[str, str]) -> dict[str, Callable[..., object]]:
    """The functions above by the names the templates call them."""
    return {
        "score_badge": score_badge,
        "minutes": minutes,
        "state_badge": state_badge_for(state_labels),
        "date": date,
        "chapter_label": chapter_label,
    }
