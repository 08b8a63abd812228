"""The Markdown renderer: what notes need renders, nothing unsafe survives."""

import html
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import cmarkgfm
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.notes.render import (
    Heading,
    render_markdown,
    sanitize_html,
)

# ------------------------------------------------------------------ what renders


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param(
            "| 단어 | 정의 |\n|---|:-:|\n| 도커 | 컨테이너 |",
            ["<table>", "<th>단어</th>", '<th align="center">정의</th>', '<td align="center">'],
            id="table",
        ),
        pytest.param(
            "```python\ndef f(x):\n    return x\n```",
            [
                '<div class="highlight"><pre tabindex="0">',
                '<span class="k">def</span>',
                '<span class="nf">f</span>',
            ],
            id="fenced-code-highlighted-with-classes",
        ),
        pytest.param(
            "```SQL\nSELECT * FROM t\n```",
            ['<span class="k">SELECT</span>'],
            id="language-name-in-capitals",
        ),
        pytest.param(
            "```없는언어\nx < y\n```",
            ['<div class="highlight"><pre tabindex="0">', "x &lt; y"],
            id="unknown-language-still-a-code-block",
        ),
        pytest.param(
            "- 목록\n  ```kotlin\n  val x = 1\n  ```",
            ["<li>", '<div class="highlight">', '<span class="kd">val</span>'],
            id="code-inside-a-list-item",
        ),
        pytest.param(
            "- [ ] 할 일\n- [x] 한 일",
            [
                '<ul class="task-list">',
                '<li class="task-list-item"><input type="checkbox" disabled="disabled"> 할 일',
                '<input type="checkbox" disabled="disabled" checked=""> 한 일',
            ],
            id="task-list",
        ),
        pytest.param(
            "참고: https://example.com/a?b=1 를 보세요",
            [
                '<a href="https://example.com/a?b=1" rel="nofollow noopener">'
                "https://example.com/a?b=1</a>"
            ],
            id="bare-url-autolink",
        ),
        pytest.param(
            "[문서](https://docs.docker.com) 와 [위로](#제목)",
            [
                '<a href="https://docs.docker.com" rel="nofollow noopener">문서</a>',
                '<a href="#제목">위로</a>',
            ],
            id="external-links-get-rel-internal-do-not",
        ),
        pytest.param(
            "$$\nQPS = (DAU \\cdot Action) \\cdot 10^5\n$$",
            ['<div class="arithmatex">\\[\nQPS = (DAU \\cdot Action) \\cdot 10^5\n\\]</div>'],
            id="display-math-kept",
        ),
        pytest.param(
            "복잡도는 $O(\\log n)$이다",
            ['<span class="arithmatex">\\(O(\\log n)\\)</span>이다'],
            id="inline-math-kept",
        ),
        pytest.param(
            "```math\na^2 + b^2 = c^2\n```",
            ['<div class="arithmatex">\\[\na^2 + b^2 = c^2\n\\]</div>'],
            id="math-fence",
        ),
        pytest.param(
            "- ${레지스트리주소}/${프로젝트명}:${태그}",
            ["${레지스트리주소}/${프로젝트명}:${태그}"],
            id="shell-variables-are-not-math",
        ),
        pytest.param("가격은 $5 또는 $10", ["가격은 $5 또는 $10"], id="prices-are-not-math"),
        pytest.param(
            "첫 줄\n둘째 줄", ["<p>첫 줄\n둘째 줄</p>"], id="no-line-break-for-single-newline"
        ),
        pytest.param("~~지운 글~~", ["<del>지운 글</del>"], id="strikethrough"),
        pytest.param(
            "본문[^1]\n\n[^1]: 각주",
            [
                '<sup id="fnref1"><a class="footnote-ref" href="#fn1">1</a></sup>',
                '<li id="fn1">',
                "각주",
            ],
            id="footnote",
        ),
        pytest.param(
            "<table>\n<tr>\n    <td>도커 이미지</td>\n    <td>한 줄<br>두 줄</td>\n</tr>\n</table>",
            ["<table>", "<td>도커 이미지</td>", "<td>한 줄<br>두 줄</td>"],
            id="raw-html-table-and-br",
        ),
        pytest.param(
            '<img width="1202" alt="image" src="https://github.com/user-attachments/a.png" />',
            ['<img width="1202" alt="image" src="https://github.com/user-attachments/a.png">'],
            id="raw-html-img",
        ),
        pytest.param(
            "<details><summary>더 보기</summary>숨은 내용</details>",
            ["<details>", "<summary>더 보기</summary>", "숨은 내용", "</details>"],
            id="details-summary",
        ),
        pytest.param(
            "<details>\n<summary>정답 보기</summary>\n\n- **굵게**\n- <NodeIP>\n</details>",
            [
                "<summary>정답 보기</summary>",
                "<li><strong>굵게</strong></li>",
                "<li>\n&lt;NodeIP&gt;\n</li>",  # an HTML-block line, as on GitHub
            ],
            id="markdown-inside-details",
        ),
        pytest.param(
            "![구조](https://example.com/arch.png)",
            ['<img alt="구조" src="https://example.com/arch.png">'],
            id="external-image-kept",
        ),
    ],
)
def test_renders(markdown, expected):
    rendered = render_markdown(markdown).html
    for fragment in expected:
        assert fragment in rendered


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("---\nchapter: 4\nmember: 김범석\ntags:\n  - a\n---\n# 제목", '<h1 id="제목">제목</h1>'),
        ("\ufeff---\r\nchapters: [4, 5]\r\n---\r\n본문", "<p>본문</p>"),
        ("---\n\n문단 사이 선\n\n---\n\n끝", "<hr>\n<p>문단 사이 선</p>\n<hr>\n<p>끝</p>"),
    ],
)
def test_front_matter_is_not_rendered(markdown, expected):
    assert render_markdown(markdown).html == expected


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param(
            "- 상위\n  - 두 칸 들여쓴 하위\n    - 네 칸",
            "<ul>\n<li>상위\n<ul>\n<li>두 칸 들여쓴 하위\n<ul>\n<li>네 칸</li>",
            id="two-space-nesting",
        ),
        pytest.param(
            "- 상위\n    - 네 칸 들여쓴 하위",
            "<ul>\n<li>상위\n<ul>\n<li>네 칸 들여쓴 하위</li>",
            id="four-space-nesting",
        ),
        pytest.param(
            "설명 문장\n- 바로 아래 목록",
            "<p>설명 문장</p>\n<ul>\n<li>바로 아래 목록</li>",
            id="list-right-under-a-paragraph",
        ),
        pytest.param(
            "- 항목\n1. 번호 항목",
            "<ul>\n<li>항목</li>\n</ul>\n<ol>\n<li>번호 항목</li>",
            id="bullets-then-numbers-are-two-lists",
        ),
        pytest.param(
            "1. 첫째\n   - 하위\n2. 둘째",
            "<ol>\n<li>첫째\n<ul>\n<li>하위</li>\n</ul>\n</li>\n<li>둘째</li>",
            id="bullets-inside-numbers",
        ),
        pytest.param(
            '- 항목\n<img alt="a" src="https://e.com/a.png" />\n\n끝',
            '<ul>\n<li>항목</li>\n</ul>\n<img alt="a" src="https://e.com/a.png">',
            id="a-lone-tag-under-an-item-ends-the-list-as-on-github",
        ),
        pytest.param(
            "- 마지막 항목\n- \n\n## 다음",
            "<ul>\n<li>마지막 항목</li>\n<li></li>\n</ul>\n<h2",
            id="an-empty-item-does-not-make-a-heading",
        ),
    ],
)
def test_lists_nest_as_on_github(markdown, expected):
    assert expected in render_markdown(markdown).html


@pytest.mark.parametrize(
    ("markdown", "link"),
    [
        ("https://example.com에서 확인", "https://example.com"),
        ("www.example.com/docs를 보라", "http://www.example.com/docs"),
        ("https://ko.wikipedia.org/wiki/도커 참고", "https://ko.wikipedia.org/wiki/도커"),
        ("https://example.com/search?q=가나 검색", "https://example.com/search?q=가나"),
        ("(https://example.com)에서", "https://example.com"),
    ],
)
def test_bare_url_ends_before_a_korean_particle(markdown, link):
    rendered = render_markdown(markdown).html
    assert f'<a href="{link}" rel="nofollow noopener">' in rendered


def test_list_markers_inside_code_blocks_stay_code():
    rendered = render_markdown("```\n  - not a list\n```\n\n    indented code").html
    assert "<li>" not in rendered
    assert "  - not a list" in rendered
    assert '<pre tabindex="0"><code>indented code\n</code></pre>' in rendered


# ---------------------------------------------------------- text that looks like tags


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param(
            "- <NodeIP>:<NodePort>를 이용해 접근",
            "&lt;NodeIP&gt;:&lt;NodePort&gt;를 이용해 접근",
            id="placeholders",
        ),
        pytest.param("List<String> 반환", "List&lt;String&gt; 반환", id="generic-type"),
        pytest.param("Map<K, V>", "Map&lt;K, V&gt;", id="generic-with-two-params"),
        pytest.param("Optional<Object>", "Optional&lt;Object&gt;", id="generic-named-like-tag"),
        pytest.param("a < b 이고 c > d", "a &lt; b 이고 c &gt; d", id="comparison"),
        pytest.param("`List<T>`", "<code>List&lt;T&gt;</code>", id="code-span-escaped-once"),
        pytest.param(
            "```kotlin\nfun pollAll(): List<FooEvent>\n```",
            "&lt;</span><span",
            id="fenced-code-escaped-once",
        ),
        pytest.param(
            "<table><tr><td>List<String></td></tr></table>",
            "<td>List&lt;String&gt;</td>",
            id="inside-raw-html",
        ),
        pytest.param(
            "`Tech-Books/<book title>/<member name>/<file>.md`",
            "<code>Tech-Books/&lt;book title&gt;/&lt;member name&gt;/&lt;file&gt;.md</code>",
            id="path-template-in-code",
        ),
        pytest.param(
            "경로 <book title>/<file>.md",
            "경로 &lt;book title&gt;/&lt;file&gt;.md",
            id="path-template-in-text",
        ),
    ],
)
def test_tag_like_text_shows_as_written(markdown, expected):
    rendered = render_markdown(markdown).html
    assert expected in rendered
    assert "&amp;lt;" not in rendered


# ------------------------------------------------------------- table of contents


def test_korean_headings_get_unique_working_anchors():
    text = "# 📚 스터디 템플릿\n## 📝 2. 내용 정리\n### 이미지\n### 이미지\n## 💡 3. 후기\n"
    rendered = render_markdown(text)
    assert rendered.headings == [
        Heading(1, "📚 스터디 템플릿", "스터디-템플릿"),
        Heading(2, "📝 2. 내용 정리", "2-내용-정리"),
        Heading(3, "이미지", "이미지"),
        Heading(3, "이미지", "이미지_1"),
        Heading(2, "💡 3. 후기", "3-후기"),
    ]
    for heading in rendered.headings:
        assert f'id="{heading.id}"' in rendered.html
        assert f'href="#{heading.id}"' in rendered.toc_html


def test_toc_is_a_nested_list():
    rendered = render_markdown("## 가\n### 나\n## 다")
    assert rendered.toc_html == (
        '<ul><li><a href="#가">가</a><ul><li><a href="#나">나</a></li></ul></li>'
        '<li><a href="#다">다</a></li></ul>'
    )


def test_heading_text_without_markup_and_escaped_in_toc():
    rendered = render_markdown("## **굵은** <NodeIP> 설명")
    assert rendered.headings[0].text == "굵은 <NodeIP> 설명"
    assert "굵은 &lt;NodeIP&gt; 설명</a>" in rendered.toc_html


def test_no_headings_no_toc():
    rendered = render_markdown("본문만 있다")
    assert (rendered.toc_html, rendered.headings) == ("", [])


# ------------------------------------------------------------------------ images


def test_local_images_listed_in_order_and_mapped():
    text = (
        "![라이프 사이클](./images/container_lifecycle.png)\n\n"
        "![외부](https://example.com/x.png)\n\n"
        "![이미지](<images/스크린샷 2025-03-09 오후 6.21.45.png>)\n\n"
        '<img src="images/%EA%B5%AC%EC%A1%B0.png" width="50%"/>\n\n'
        "![다시](./images/container_lifecycle.png)"
    )
    served = {
        "./images/container_lifecycle.png": "/media/1",
        "images/스크린샷 2025-03-09 오후 6.21.45.png": "/media/2",
    }
    rendered = render_markdown(text, image_url=served.get)
    assert rendered.local_images == [
        "./images/container_lifecycle.png",
        "images/스크린샷 2025-03-09 오후 6.21.45.png",
        "images/구조.png",
    ]
    assert '<img alt="라이프 사이클" src="/media/1">' in rendered.html
    assert '<img alt="이미지" src="/media/2">' in rendered.html
    assert '<img src="images/%EA%B5%AC%EC%A1%B0.png" width="50%" alt="이미지">' in rendered.html
    assert '<img alt="외부" src="https://example.com/x.png">' in rendered.html


def test_links_to_local_images_are_mapped_too():
    rendered = render_markdown(
        "[![작게](./images/a.png)](./images/a.png) [원본](images/b.PNG) [노트](./other.md)",
        image_url=lambda path: "/media/" + path.rsplit("/", 1)[-1],
    )
    assert '<a href="/media/a.png"><img alt="작게" src="/media/a.png"></a>' in rendered.html
    assert '<a href="/media/b.PNG">원본</a>' in rendered.html
    assert '<a href="./other.md">노트</a>' in rendered.html
    assert rendered.local_images == ["./images/a.png", "images/b.PNG"]


def test_images_left_as_written_without_image_url():
    rendered = render_markdown("![a](./images/a.png)")
    assert '<img alt="a" src="./images/a.png">' in rendered.html
    assert rendered.local_images == ["./images/a.png"]


def test_threads_render_independently():
    texts = [f"# 제목 {n}\n\n![그림](./images/{n}.png)\n\n- 항목 {n}" for n in range(40)]

    def render(text):
        return render_markdown(text, image_url=lambda path: "/media/" + path)

    expected = [render(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(render, texts)) == expected


# -------------------------------------------------------------------------- corpus


def test_seed_note_html_table_renders_as_a_table(corpus):
    (seed,) = sorted((corpus / "seed").glob("*.md"))
    rendered = render_markdown(seed.read_text(encoding="utf-8-sig"))
    assert "<table>" in rendered.html
    assert "<td>도커 이미지</td>" in rendered.html
    assert "실행 중지 삭제 등의 명령을 내릴 수 있음<br>" in rendered.html
    assert "&lt;td&gt;" not in rendered.html
    assert Heading(2, "📝 2. 내용 정리", "2-내용-정리") in rendered.headings


def test_every_real_note_renders_its_lists_and_headings(corpus):
    notes = sorted(corpus.rglob("*.md"))
    assert notes
    for note in notes:
        text = note.read_bytes().decode("utf-8-sig", errors="replace")
        rendered = render_markdown(text).html
        outside_code = re.sub(r"<pre[^>]*>.*?</pre>", "", rendered, flags=re.DOTALL)
        # Markers GitHub shows as text too (a lazy continuation line) are no leftovers.
        github = cmarkgfm.github_flavored_markdown_to_html(text)
        leftovers = [line for line in _marker_lines(outside_code) if line not in github]
        assert leftovers == [], note


def _marker_lines(rendered: str) -> list[str]:
    return [
        line
        for line in rendered.splitlines()
        if re.match(r"\s*(?:[-*+]|\d+[.)]|#{1,6})\s+\S", line) or "```" in line
    ]


def test_image_path_with_spaces_is_text_as_on_github():
    rendered = render_markdown("![a](images/b c.png)")
    assert rendered.html == "<p>![a](images/b c.png)</p>"


# ------------------------------------------------------------------------- safety


class _ActiveParts(HTMLParser):
    """Collects whatever in HTML could run script, load a frame, or restyle the page."""

    DANGEROUS_TAGS = frozenset(
        {
            *("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet"),
            *("form", "button", "textarea", "select", "meta", "base", "link", "svg", "math"),
            *("template", "noscript", "video", "audio", "source"),
        }
    )
    URL_ATTRIBUTES = frozenset(
        {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "data"}
    )

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        attributes = dict(attrs)
        if tag == "input" and (
            attributes.get("type") != "checkbox" or "disabled" not in attributes
        ):
            self.found.append("<input> that takes input")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "http-equiv", "target"}:
                self.found.append(f"{tag} {name}=")
            if name in self.URL_ATTRIBUTES and value is not None:
                # What a browser's URL parser does before it reads the scheme.
                url = re.sub(r"[\t\n\r]", "", html.unescape(value)).lower()
                url = re.sub(r"^[\x00-\x20]+", "", url)
                if url.startswith(("javascript:", "vbscript:", "data:")):
                    self.found.append(f"{tag} {name}={value}")


def active_parts(rendered_html: str) -> list[str]:
    parser = _ActiveParts()
    parser.feed(rendered_html)
    parser.close()
    return parser.found


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>x</script>",
        '<img src="x" onerror="y">',
        '<a href=" &#14; java&#x09;script:x">a</a>',
        '<a href="DATA:text/html,x">a</a>',
        '<div style="x">a</div>',
        '<input type="text">',
    ],
)
def test_the_checker_finds_active_parts_in_unsanitized_html(unsafe):
    assert active_parts(unsafe) != []


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<Script>alert(1)</Script>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<img src=\"x\" onerror='alert(1)' />",
    '<img src="`x`" onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--><img src=x onerror=alert(1)>-->",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;script:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="https://ok.example" onclick="alert(1)" target="_blank">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    '![x](https://ok.example/a.png "a\\" onerror=alert(1)")',
    "<javascript:alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<form action="/logout"><input name="a"><button>go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    '<input type="text" value="x">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body { display: none }</style>",
    "<style>@import url(https://evil.example/x.css);</style>",
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">가짜 로그인</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<details open ontoggle=alert(1)>x</details>",
    "<body onload=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<td onmouseover=alert(1)>x</td>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "<textarea><script>alert(1)</script></textarea>",
    "<template><script>alert(1)</script></template>",
    '```"><script>alert(1)</script>\ncode\n```',
    "$</span><script>alert(1)</script>$",
    "$$\n</div><script>alert(1)</script>\n$$",
    "- [x] <img src=x onerror=alert(1)>",
    "## <img src=x onerror=alert(1)> 제목",
    "\x02wzxhzdk:0\x03<script>alert(1)</script>",
    "<details>\n<summary><img src=x onerror=alert(1)></summary>\n\n"
    "<script>alert(1)</script>\n</details>",
    '<div markdown="1">\n\n<script>alert(1)</script>\n[x](javascript:alert(1))\n</div>',
    '<details markdown="1" ontoggle="alert(1)" open>\n\n*x*\n</details>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_not_active(payload):
    rendered = render_markdown(payload)
    assert active_parts(rendered.html) == []
    assert active_parts(rendered.toc_html) == []
    assert "<script" not in rendered.html.lower()


def test_a_note_full_of_xss_payloads_renders_with_none_active():
    note = "# 노트\n\n" + "\n\n".join(XSS_PAYLOADS) + "\n\n끝 문단"
    rendered = render_markdown(note).html
    assert active_parts(rendered) == []
    assert "끝 문단" in rendered


def test_script_shown_as_text_when_written_in_mixed_case():
    assert (
        "&lt;Script&gt;alert(1)&lt;/Script&gt;" in render_markdown("<Script>alert(1)</Script>").html
    )


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p onclick="x()">글</p>', "<p>글</p>"),
        (
            '<a href="https://e.com" class="btn">링크</a>',
            '<a href="https://e.com" rel="nofollow noopener">링크</a>',
        ),
        ('<a href="/notes/1">안쪽</a>', '<a href="/notes/1">안쪽</a>'),
        (
            '<span class="k">def</span><span class="evil">x</span>',
            '<span class="k">def</span><span>x</span>',
        ),
        ("<script>alert(1)</script>본문", "본문"),
        ('<div style="color:red">x</div>', "<div>x</div>"),
    ],
)
def test_sanitize_html(dirty, clean):
    assert sanitize_html(dirty) == clean


# ------------------------------------------------------------------------ property

_ATTRIBUTE_LIKE = st.sampled_from(
    [
        "<",
        ">",
        "<a href=",
        "<img src=x ",
        " onerror=",
        "javascript:",
        '"',
        "'",
        "`",
        "&#",
        "<script",
        "</",
        "<svg",
        "$",
        "$$",
        "\n",
        "  - ",
        "```",
        "[x](",
        ")",
        "<details>",
        "| a |\n|---|",
        "<!--",
        "-->",
        "\\",
    ]
)
_MARKDOWNISH = st.lists(st.one_of(st.text(max_size=20), _ATTRIBUTE_LIKE), max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), _MARKDOWNISH))
def test_any_text_renders_without_error_or_active_parts(text):
    rendered = render_markdown(text)
    assert "<script" not in rendered.html.lower()
    assert active_parts(rendered.html) == []
    assert active_parts(rendered.toc_html) == []


# ------------------------------------------------------------ Korean, on purpose


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("**패리티 정보(Parity bit)**를 쓴다", "<strong>패리티 정보(Parity bit)</strong>를"),
        ("이것이**(괄호)**다", "이것이<strong>(괄호)</strong>다"),
        ("*기울임(italic)*을", "<em>기울임(italic)</em>을"),
        ("가_나_다", "가_나_다"),  # underscores inside words stay text, as CommonMark says
    ],
)
def test_korean_emphasis_beside_punctuation_is_bold(markdown, expected):
    assert expected in render_markdown(markdown).html


def test_a_single_tilde_is_text_and_two_strike_through():
    rendered = render_markdown("10~20분, 30~40분 그리고 ~~취소~~").html
    assert rendered == "<p>10~20분, 30~40분 그리고 <del>취소</del></p>"


def test_no_bare_domain_autolink_as_on_github():
    rendered = render_markdown("docker.io 와 www.docker.com 과 a@b.com").html
    assert "docker.io 와" in rendered and 'href="http://docker.io"' not in rendered
    assert '<a href="http://www.docker.com" rel="nofollow noopener">' in rendered
    assert '<a href="mailto:a@b.com">a@b.com</a>' in rendered


def test_scrollable_code_takes_focus_and_every_image_has_alt_text():
    """axe on the real notes: a <pre> can scroll, so the keyboard must reach it; a raw <img>
    written without alt still says an image is there (an alt that was given is kept)."""
    html = sanitize_html('<pre>x</pre><img src="a.png"><img alt="" src="b.png">')
    assert html == '<pre tabindex="0">x</pre><img src="a.png" alt="이미지"><img alt="" src="b.png">'


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("주소:http://localhost:8080/a 참고", '<a href="http://localhost:8080/a"'),
        ('"https://example.com"', '"<a href="https://example.com"'),
        ("FTP://files.example.com", "<a>FTP://files.example.com</a>"),
        ("메일:kim@example.com", '메일:<a href="mailto:kim@example.com">'),
        ("kim@example.com에게", '<a href="mailto:kim@example.com">kim@example.com</a>에게'),
    ],
)
def test_bare_links_follow_githubs_rules(markdown, expected):
    assert expected in render_markdown(markdown).html


@pytest.mark.parametrize(
    "markdown", ["xhttp://example.com", "kim@example.com_", "www.a_b.com", "http://_a.com"]
)
def test_text_github_does_not_link_stays_text(markdown):
    assert "<a" not in render_markdown(markdown).html


def test_strong_directly_inside_strong_is_bold_once_as_on_github():
    assert render_markdown("****굵게****").html == "<p><strong>굵게</strong></p>"
    html = render_markdown("**바깥 *기울임 **안쪽** 끝* 끝**").html
    assert html.count("<strong>") == 2 and html.count("<em>") == 1
