"""SVG charts: valid XML, titled, accessible, escaped; no app."""

import xml.etree.ElementTree as ET

import pytest

from app.ratings.charts import (
    bar_chart_svg,
    histogram_svg,
    line_chart_svg,
    score_level,
    series_class,
)

SVG = "{http://www.w3.org/2000/svg}"

CHARTS = {
    "histogram empty": lambda: histogram_svg((0,) * 10, title="3장 점수 분포"),
    "histogram": lambda: histogram_svg((0, 0, 1, 0, 0, 2, 0, 3, 0, 1), title="3장 점수 분포"),
    "lines empty": lambda: line_chart_svg([], [], title="회원별 점수"),
    "lines": lambda: line_chart_svg(
        ["1장", "2장", "3장", "4장"],
        [("김규민", [5, 4, None, 3.5]), ("박이슬", [None, 4, 4.5, None])],
        title="회원별 점수",
    ),
    "bars empty": lambda: bar_chart_svg([], title="독서 시간", unit="시간"),
    "bars": lambda: bar_chart_svg([("김규민", 5.8), ("박이슬", 0)], title="독서 시간", unit="시간"),
}


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_chart_is_valid_svg_with_title_and_label(make):
    root = ET.fromstring(make())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == root.get("aria-label")
    # Colours only through classes/currentColor: the CSP forbids inline styles.
    assert all(element.get("style") is None for element in root.iter())


@pytest.mark.parametrize(
    "make",
    [
        lambda name: histogram_svg((1,) * 10, title=name),
        lambda name: line_chart_svg([name], [(name, [3])], title=name),
        lambda name: bar_chart_svg([(name, 1)], title=name, unit="분"),
    ],
)
def test_text_is_escaped(make):
    hostile = '<script>alert("x")</script> & "따옴표"'
    svg = make(hostile)
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert root.get("aria-label") == hostile
    assert root.find(f"{SVG}title").text == hostile


def test_histogram_has_a_bar_and_label_per_half_step():
    root = ET.fromstring(histogram_svg((0, 0, 1, 0, 0, 2, 0, 3, 0, 1), title="분포"))
    bars = root.findall(f".//{SVG}rect")
    assert len(bars) == 10
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[7] == max(heights) and heights[0] == 0
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert labels == ["0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5"]


def test_line_chart_breaks_lines_at_missing_scores_and_titles_points():
    root = ET.fromstring(
        line_chart_svg(
            ["1장", "2장", "3장", "4장"],
            [("김규민", [5, 4, None, 3.5]), ("박이슬", [None, 4, 4.5, None])],
            title="회원별 점수",
        )
    )
    groups = [g for g in root.iter(f"{SVG}g") if "chart-series" in g.get("class", "")]
    assert [g.get("class") for g in groups] == ["chart-series series-0", "chart-series series-1"]
    first, second = groups
    assert len(first.findall(f"{SVG}polyline")) == 1  # 1–2 joined; 4 stands alone
    assert len(first.findall(f"{SVG}circle")) == 3
    assert len(second.findall(f"{SVG}polyline")) == 1
    point_titles = [c.find(f"{SVG}title").text for c in second.findall(f"{SVG}circle")]
    assert point_titles == ["박이슬 · 2장: 4.0", "박이슬 · 3장: 4.5"]


def test_higher_score_is_drawn_higher():
    root = ET.fromstring(line_chart_svg(["1장", "2장"], [("가", [1, 5])], title="t"))
    low, high = (float(c.get("cy")) for c in root.iter(f"{SVG}circle"))
    assert high < low


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (None, 0),
        (0.5, 1),
        (1, 1),
        (1.5, 2),
        (2, 2),
        (2.5, 3),
        (3, 3),
        (3.5, 4),
        (4, 4),
        (4.5, 5),
        (5, 5),
    ],
)
def test_score_level(score, level):
    assert score_level(score) == level


@pytest.mark.parametrize(("index", "name"), [(0, "series-0"), (7, "series-7"), (9, "series-1")])
def test_series_class_cycles(index, name):
    assert series_class(index) == name
