"""Server-rendered SVG charts. Pure: numbers in, SVG text out; no Flask.

Colours come from CSS classes in app.css (`chart-*`, `series-N`) through `currentColor`,
so the charts follow the light and dark themes; no inline style (the CSP forbids it).
Every chart carries role="img", an aria-label and a <title>; pages add a table beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from app.ratings.stats import HALF_STEPS, MAX_SCORE

SERIES_CLASSES = 8
# A dash pattern per series, so lines differ by more than their colour.
_DASHES = ("", "6 3", "2 3", "8 3 2 3", "", "6 3", "2 3", "8 3 2 3")


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _number(value: float) -> str:
    """A coordinate without float noise: 12.0 → '12', 3.3333 → '3.33'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _open_svg(width: int, height: int, title: str, css_class: str) -> str:
    label = _text(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}" '
        f'preserveAspectRatio="xMidYMid meet"><title>{label}</title>'
    )


def score_level(score: float | None) -> int:
    """The heat level 1 (lowest) to 5 (highest) of a score; 0 when there is none."""
    if score is None:
        return 0
    return max(1, min(5, int((score + 0.5) // 1)))


def series_class(index: int) -> str:
    """The CSS class giving the index-th member's line its colour."""
    return f"series-{index % SERIES_CLASSES}"


def histogram_svg(counts: Sequence[int], *, title: str) -> str:
    """A bar per half step 0.5..5 with its count above it."""
    width, height = 320, 150
    left, right, top, bottom = 8, 8, 18, 22
    slot = (width - left - right) / len(HALF_STEPS)
    tallest = max(counts, default=0) or 1
    plot_height = height - top - bottom
    parts = [_open_svg(width, height, title, "chart-histogram")]
    parts.append(
        f'<line class="chart-axis" x1="{left}" y1="{height - bottom}" '
        f'x2="{width - right}" y2="{height - bottom}" stroke="currentColor"/>'
    )
    for index, (step, count) in enumerate(zip(HALF_STEPS, counts, strict=False)):
        x = left + index * slot
        bar_height = plot_height * count / tallest
        y = height - bottom - bar_height
        centre = x + slot / 2
        parts.append(
            f"<g><title>{_text(f'{step:g}점: {count}명')}</title>"
            f'<rect class="chart-bar" x="{_number(x + 3)}" y="{_number(y)}" '
            f'width="{_number(slot - 6)}" height="{_number(bar_height)}" fill="currentColor"/>'
        )
        if count:
            parts.append(
                f'<text class="chart-value" x="{_number(centre)}" y="{_number(y - 4)}" '
                f'text-anchor="middle" font-size="11" fill="currentColor">{count}</text>'
            )
        parts.append(
            f'<text class="chart-label" x="{_number(centre)}" y="{height - 6}" '
            f'text-anchor="middle" font-size="10" fill="currentColor">{step:g}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
) -> str:
    """One line per (name, scores by x) on a 0–5 scale; a missing score breaks the line."""
    width, height = 640, 260
    left, right, top, bottom = 30, 12, 12, 28
    plot_width = width - left - right
    plot_height = height - top - bottom
    columns = max(len(x_labels), 1)
    step = plot_width / columns

    def x_of(index: int) -> float:
        return left + step * (index + 0.5)

    def y_of(score: float) -> float:
        return top + plot_height * (1 - score / MAX_SCORE)

    parts = [_open_svg(width, height, title, "chart-lines")]
    for level in range(6):
        y = y_of(level)
        parts.append(
            f'<line class="chart-grid" x1="{left}" y1="{_number(y)}" x2="{width - right}" '
            f'y2="{_number(y)}" stroke="currentColor" stroke-width="1"/>'
            f'<text class="chart-label" x="{left - 6}" y="{_number(y + 4)}" text-anchor="end" '
            f'font-size="11" fill="currentColor">{level}</text>'
        )
    for index, label in enumerate(x_labels):
        parts.append(
            f'<text class="chart-label" x="{_number(x_of(index))}" y="{height - 8}" '
            f'text-anchor="middle" font-size="11" fill="currentColor">{_text(label)}</text>'
        )
    for number, (name, scores) in enumerate(series):
        parts.append(f'<g class="chart-series {series_class(number)}">')
        parts.extend(_line_segments(scores, x_of, y_of, _DASHES[number % SERIES_CLASSES]))
        for index, score in enumerate(scores):
            if score is None or index >= len(x_labels):
                continue
            point = f"{name} · {x_labels[index]}: {score:.1f}"
            parts.append(
                f'<circle cx="{_number(x_of(index))}" cy="{_number(y_of(score))}" r="4" '
                f'fill="currentColor"><title>{_text(point)}</title></circle>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _line_segments(
    scores: Sequence[float | None],
    x_of: Callable[[int], float],
    y_of: Callable[[float], float],
    dash: str,
) -> list[str]:
    """Polylines through runs of consecutive scores (a None ends a run)."""
    runs: list[list[str]] = [[]]
    for index, score in enumerate(scores):
        if score is None:
            runs.append([])
        else:
            runs[-1].append(f"{_number(x_of(index))},{_number(y_of(score))}")
    dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
    return [
        f'<polyline points="{" ".join(run)}" fill="none" stroke="currentColor" '
        f'stroke-width="2.5" stroke-linejoin="round"{dash_attribute}/>'
        for run in runs
        if len(run) > 1
    ]


def bar_chart_svg(
    items: Sequence[tuple[str, float]], *, title: str, unit: str, bar_titles: bool = True
) -> str:
    """Horizontal bars, one per (label, value), each with its value and unit written out;
    `bar_titles=False` leaves out each bar's tooltip, which repeats its visible text."""
    row, left, right = 30, 84, 78
    width = 400
    height = max(row * len(items), row) + 8
    biggest = max((value for _, value in items), default=0) or 1
    parts = [_open_svg(width, height, title, "chart-bars")]
    for index, (label, value) in enumerate(items):
        y = 4 + index * row
        bar_width = (width - left - right) * value / biggest
        shown = f"{value:.1f}{unit}"
        tooltip = f"<title>{_text(f'{label}: {shown}')}</title>" if bar_titles else ""
        parts.append(
            f"<g>{tooltip}"
            f'<text class="chart-label" x="{left - 6}" y="{y + 19}" text-anchor="end" '
            f'font-size="14" fill="currentColor">{_text(label)}</text>'
            f'<rect class="chart-bar" x="{left}" y="{y + 3}" width="{_number(bar_width)}" '
            f'height="{row - 8}" rx="3" fill="currentColor"/>'
            f'<text class="chart-value" x="{_number(left + bar_width + 6)}" y="{y + 19}" '
            f'font-size="14" fill="currentColor">{_text(shown)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
