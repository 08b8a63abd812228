// The question board: live Markdown preview and confirmations. Without JavaScript the
// 미리보기 button posts the form and the server renders the preview instead.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function showPreview(editor, form) {
    var textarea = editor.querySelector("textarea");
    var target = editor.querySelector(".md-preview");
    if (!textarea || !target) { return; }
    var body = new FormData();
    body.append("body", textarea.value);
    target.classList.remove("is-empty");
    target.setAttribute("aria-busy", "true");
    fetch(editor.getAttribute("data-preview-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form) }
    }).then(function (response) {
      return response.text().then(function (text) {
        if (!response.ok) { throw new Error(text || "미리보기를 만들지 못했습니다."); }
        return text;
      });
    }).then(function (html) {
      // The server returns HTML already sanitized by the same renderer used when saving.
      target.innerHTML = html || '<p class="muted">미리 볼 내용이 없습니다.</p>';
    }).catch(function (error) {
      target.textContent = error.message || "미리보기를 만들지 못했습니다.";
    }).finally(function () {
      target.removeAttribute("aria-busy");
    });
  }

  document.querySelectorAll(".md-editor").forEach(function (editor) {
    var form = editor.closest("form");
    if (!form) { return; }
    var button = form.querySelector('[name="preview"]');
    if (!button) { return; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      showPreview(editor, form);
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
