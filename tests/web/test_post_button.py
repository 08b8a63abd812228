"""Every button-only form is the one `post_button` macro (templates/_macros.html)."""

import re
from pathlib import Path

from flask import render_template_string

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CSRF_INPUT = re.compile(r'<input type="hidden" name="csrf_token" value="\{\{ csrf_token\(\) \}\}">')
HIDDEN_TAG = re.compile(r"\{\{ \w+\.hidden_tag\(\) \}\}")


def test_no_template_writes_a_button_only_form_by_hand():
    by_hand = []
    for path in TEMPLATES.rglob("*.html"):
        if path.name == "_macros.html" and path.parent == TEMPLATES:
            continue  # the macro itself
        for form in re.findall(r"<form\b.*?</form>", path.read_text(encoding="utf-8"), re.S):
            inner = re.sub(r"^<form\b[^>]*>|</form>$", "", form)
            inner = HIDDEN_TAG.sub("", CSRF_INPUT.sub("", inner))
            if re.fullmatch(r"\s*<button\b[^>]*>.*?</button>\s*", inner, re.S):
                by_hand.append(f"{path.relative_to(TEMPLATES)}: {form[:80]}")
    assert by_hand == []


def render(source: str, **context) -> str:
    template = '{% from "_macros.html" import post_button %}' + source
    return re.sub(r"\s+", " ", render_template_string(template, **context)).strip()


def test_post_button_renders_a_form_with_the_token_and_one_button(app):
    with app.test_request_context():
        html = render("{{ post_button('/x', '지우기', class='danger small', confirm='정말?') }}")
        assert re.fullmatch(
            r'<form class="inline" method="post" action="/x" data-confirm="정말\?">'
            r' <input type="hidden" name="csrf_token" value="[^"]+">'
            r' <button type="submit" class="danger small">지우기</button> </form>',
            html,
        )
        block = render("{{ post_button('/y', '동기화', form_class='') }}")
        assert block.startswith('<form method="post" action="/y">')
        assert '<button type="submit">동기화</button>' in block


def test_post_button_takes_attributes_and_a_call_block_as_content(app):
    with app.test_request_context():
        html = render(
            "{% call post_button('/v', class='vote', attrs={'aria-pressed': 'true'}) %}"
            "<b>{{ n }}</b>{% endcall %}",
            n="<3>",
        )
    button = '<button type="submit" class="vote" aria-pressed="true"><b>&lt;3&gt;</b></button>'
    assert button in html
