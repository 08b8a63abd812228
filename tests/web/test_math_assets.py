"""The note page's math: the script tag and the vendored KaTeX files it loads."""

import pytest
from flask import render_template


def test_math_include_loads_math_js(app):
    with app.test_request_context("/notes/1"):
        html = render_template("notes/_math_scripts.html")
    assert '<script src="/static/js/math.js' in html
    assert "defer" in html


@pytest.mark.parametrize(
    "path",
    [
        "/static/js/math.js",
        "/static/vendor/katex/katex.min.js",
        "/static/vendor/katex/katex.min.css",
        "/static/vendor/katex/fonts/KaTeX_Main-Regular.woff2",
    ],
)
def test_math_assets_are_served(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.data
