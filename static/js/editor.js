// The note editor's live preview: the server renders it (same parser, renderer and
// sanitizer as saving); without this script the 미리보기 button does the same.
(() => {
  const form = document.getElementById("note-editor");
  const target = document.getElementById("note-preview");
  const status = document.getElementById("preview-status");
  if (!form || !target) return;
  const token = form.querySelector("input[name=csrf_token]");
  let timer = null;
  let controller = null;

  async function refresh() {
    const body = new FormData(form);
    body.delete("upload");
    if (controller) controller.abort();
    controller = new AbortController();
    status.textContent = "미리보기를 만드는 중…";
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", Accept: "text/html" },
        signal: controller.signal,
      });
      if (!response.ok) {
        status.textContent = response.status === 400
          ? "보안 토큰이 만료되었습니다. 페이지를 새로 고쳐 주세요 (내용은 먼저 복사해 두세요)."
          : `미리보기를 만들지 못했습니다 (${response.status}).`;
        return;
      }
      target.innerHTML = await response.text();  // sanitized on the server
      status.textContent = "미리보기를 갱신했습니다.";
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = "미리보기를 만들지 못했습니다.";
    }
  }

  form.addEventListener("input", (event) => {
    if (event.target.type === "file") return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
  if (form.querySelector("textarea").value.trim()) refresh();
})();
