// Typesets the math that the Markdown renderer keeps in .arithmatex elements
// (inline "\(…\)" in a span, display "\[…\]" in a div) with the vendored KaTeX.
// KaTeX is fetched only when the page has math.
(function () {
  "use strict";

  var here = document.currentScript && document.currentScript.src;
  var katexBase = new URL("../vendor/katex/", here || window.location.href).href;

  function unwrap(tex) {
    var text = tex.trim();
    var pairs = [["\\(", "\\)"], ["\\[", "\\]"], ["$$", "$$"], ["$", "$"]];
    for (var i = 0; i < pairs.length; i++) {
      var open = pairs[i][0];
      var close = pairs[i][1];
      if (text.length >= open.length + close.length &&
          text.slice(0, open.length) === open && text.slice(-close.length) === close) {
        return text.slice(open.length, text.length - close.length);
      }
    }
    return text;
  }

  function typeset(elements) {
    elements.forEach(function (element) {
      var source = unwrap(element.textContent);
      var display = element.tagName !== "SPAN";
      try {
        window.katex.render(source, element, {
          displayMode: display,
          throwOnError: false,
          strict: "ignore",
        });
        element.setAttribute("data-tex", source);
      } catch (error) {
        // Leave the TeX source as written: still readable.
      }
    });
  }

  function start() {
    var elements = document.querySelectorAll(".arithmatex");
    if (!elements.length) {
      return;
    }
    if (window.katex) {
      typeset(elements);
      return;
    }
    var stylesheet = document.createElement("link");
    stylesheet.rel = "stylesheet";
    stylesheet.href = katexBase + "katex.min.css";
    document.head.appendChild(stylesheet);
    var script = document.createElement("script");
    script.src = katexBase + "katex.min.js";
    script.onload = function () { typeset(elements); };
    document.head.appendChild(script);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
