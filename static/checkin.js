// The check-in list (templates/people/check_in.html): a tap posts its form in
// place and swaps in the row the server sends back, so the page does not
// reload; the name box filters the rows as you type. Without this script the
// same forms do a full round (people/views_checkin.py).

const list = document.querySelector(".checkin-list");
const message = document.getElementById("checkin-message");
const attended = document.querySelector("[data-attended]");
const expected = document.querySelector("[data-expected]");

function say(text, isError) {
  message.replaceChildren();
  const p = document.createElement("p");
  p.className = isError ? "form-summary checkin-error" : "flash flash-success";
  p.textContent = text;
  message.append(p);
}

function swap(data) {
  if (!data.row || !data.id) return;
  const old = document.getElementById(data.id);
  if (!old) return;
  const holder = document.createElement("ul");
  holder.innerHTML = data.row; // server-rendered, escaped by the template
  const row = holder.firstElementChild;
  old.replaceWith(row);
  attended.textContent = data.attended;
  expected.textContent = data.expected;
  const all = document.querySelector("[data-checkin-all]");
  if (all) {
    all.querySelector("[data-confirmed]").textContent = data.confirmed;
    all.hidden = !data.confirmed;
  }
  applyFilter();
  const button = row.querySelector("button");
  if (button) button.focus();
}

async function send(form) {
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    let data = {};
    try { data = await response.json(); } catch { data = {}; }
    if (response.ok) {
      swap(data);
      say(data.message || "Saved.", false);
    } else {
      swap(data);
      say(data.error || "This did not work; nothing was changed. Reload the page.", true);
      button.disabled = false;
    }
  } catch {
    say("No connection: nothing was changed. Try again.", true);
    button.disabled = false;
  }
}

if (list) {
  list.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-checkin]");
    if (!form) return;
    event.preventDefault();
    send(form);
  });
}

const filter = document.querySelector("[data-checkin-filter]");
const none = document.querySelector("[data-checkin-none]");

function applyFilter() {
  if (!filter || !list) return;
  const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const row of list.querySelectorAll(".checkin-row")) {
    const name = row.dataset.name || "";
    const match = words.every((w) => name.includes(w));
    row.hidden = !match;
    if (match) shown += 1;
  }
  if (none) none.hidden = shown > 0;
}

if (filter) filter.addEventListener("input", applyFilter);
