// The agenda builder (templates/programme/agenda.html): add, edit, duplicate,
// move and cancel items in place. Each form and link is an ordinary round
// without this script (programme/views_agenda.py); with it, the same form is
// sent with the header X-Agenda-Builder and the server answers JSON with HTML
// fragments it rendered (escaped by its templates), so no page is loaded.

const region = document.getElementById("agenda-builder");
const addSlot = document.querySelector("[data-builder-add]");
const message = document.getElementById("builder-message");
const HEADERS = { "X-Agenda-Builder": "1", Accept: "application/json" };

function say(messages, error) {
  message.replaceChildren();
  for (const { text, category } of messages) {
    const p = document.createElement("p");
    p.className = `flash flash-${category}`;
    p.textContent = text;
    message.append(p);
  }
  if (error) {
    const p = document.createElement("p");
    p.className = "form-summary";
    p.setAttribute("role", "alert");
    p.textContent = error;
    message.append(p);
  }
}

function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html; // server-rendered, escaped by the template
  return template.content;
}

function closeEditors() {
  for (const row of region.querySelectorAll(".builder-editor-row")) row.remove();
}

function focusFirstProblem(form) {
  const target = form.querySelector("[aria-invalid=true]") || form.querySelector("[role=alert]") || form.querySelector("input, select, textarea");
  if (target) {
    if (!target.matches("input, select, textarea")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
}

function refresh(data) {
  if (data.agenda !== undefined) region.replaceChildren(fragment(data.agenda));
  say(data.messages || [], data.error);
}

async function call(url, options) {
  try {
    const response = await fetch(url, { credentials: "same-origin", ...options, headers: HEADERS });
    let data = {};
    try { data = await response.json(); } catch { data = { error: "This did not work; nothing was changed. Reload the page." }; }
    return { ok: response.ok, data };
  } catch {
    return { ok: false, data: { error: "No connection: nothing was changed. Try again." } };
  }
}

async function submit(form) {
  const button = form.querySelector("button[type=submit], button:not([type])");
  if (button) button.disabled = true;
  const isAdd = addSlot && addSlot.contains(form);
  const { ok, data } = await call(form.action, { method: "POST", body: new FormData(form) });
  if (ok) {
    refresh(data);
    if (isAdd && data.add !== undefined) {
      addSlot.replaceChildren(fragment(data.add));
      const title = addSlot.querySelector("input[name='title']");
      if (title) title.focus();
    } else {
      const row = data.focus && document.getElementById(data.focus);
      const link = row && row.querySelector("a, button");
      if (link) link.focus();
    }
    return;
  }
  if (data.form !== undefined) {
    const fresh = fragment(data.form).firstElementChild;
    form.replaceWith(fresh);
    focusFirstProblem(fresh);
    say([], null);
  } else {
    refresh(data);
    if (button && button.isConnected) button.disabled = false;
  }
}

async function open(link) {
  const row = link.closest("tr");
  const { ok, data } = await call(link.href, { method: "GET" });
  if (!ok || data.form === undefined) {
    say([], data.error || "This did not open; reload the page.");
    return;
  }
  closeEditors();
  const editor = document.createElement("tr");
  editor.className = "builder-editor-row";
  const cell = document.createElement("td");
  cell.colSpan = row.children.length;
  cell.append(fragment(data.form));
  editor.append(cell);
  row.after(editor);
  const field = cell.querySelector("input:not([type=hidden]), select, textarea");
  if (field) field.focus();
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-builder]");
  if (!form) return;
  event.preventDefault();
  submit(form);
});

document.addEventListener("click", (event) => {
  const opener = event.target.closest("a[data-builder-open]");
  if (opener && region.contains(opener)) {
    event.preventDefault();
    open(opener);
    return;
  }
  const closer = event.target.closest("a[data-builder-close]");
  const editor = closer && closer.closest(".builder-editor-row");
  if (editor) {
    event.preventDefault();
    const item = editor.previousElementSibling;
    editor.remove();
    const link = item && item.querySelector("a[data-builder-open]");
    if (link) link.focus();
  }
});
