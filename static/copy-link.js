// Copy buttons beside links (templates/agenda_views/links.html): hidden
// without JavaScript, where the link text in its field is selectable.
const status = document.getElementById("copy-status");

async function copy(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    input.focus();
    input.select();
    try { return document.execCommand("copy"); } catch { return false; }
  }
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  const input = document.getElementById(button.dataset.copy);
  if (!input) continue;
  button.hidden = false;
  const label = button.firstChild.textContent;
  button.addEventListener("click", async () => {
    const done = await copy(input);
    button.firstChild.textContent = done ? "Copied" : "Select and copy";
    if (status) status.textContent = done ? "Link copied." : "Copying failed: the link is selected, copy it yourself.";
    if (!done) { input.focus(); input.select(); }
    setTimeout(() => { button.firstChild.textContent = label; }, 2500);
  });
}
