// "Use my device's zone (Asia/Bangkok)": one tap instead of a search through
// a list of some 430 zones. Progressive enhancement: the button is hidden in
// the markup and shown only here, so without JavaScript the list still works.
//
//   <button type="button" hidden data-zone-button data-zone-for="tz" data-zone-submit>Use my device's zone</button>
//
// data-zone-for names the <select> of IANA names (option value or text);
// data-zone-submit sends the select's form after the choice (the agenda:
// one tap shows the times in that zone). See /work/notes/zone_button.txt.

// Names some browsers (Chrome's ICU) still report, and the current IANA
// name the lists offer.
const CURRENT = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Dacca": "Asia/Dhaka",
  "Asia/Thimbu": "Asia/Thimphu",
  "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
  "Asia/Macao": "Asia/Macau",
  "Asia/Ujung_Pandang": "Asia/Makassar",
  "Asia/Chongqing": "Asia/Shanghai",
  "Asia/Harbin": "Asia/Shanghai",
  "Australia/Canberra": "Australia/Sydney",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Europe/Kiev": "Europe/Kyiv",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Etc/UTC": "UTC",
  "Etc/GMT": "UTC",
  "GMT": "UTC",
};

function deviceZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

function optionFor(select, name) {
  for (const option of select.options) {
    if ((option.value || option.text) === name) return option;
  }
  return null;
}

for (const button of document.querySelectorAll("button[data-zone-button]")) {
  const select = document.getElementById(button.dataset.zoneFor || "");
  const device = deviceZone();
  if (!select || !device) continue;
  const option = optionFor(select, device) || optionFor(select, CURRENT[device] || "");
  if (!option) continue;
  const name = option.value || option.text;
  button.textContent = `Use my device's zone (${name})`;
  button.dataset.zone = name;
  button.hidden = false;
  button.addEventListener("click", () => {
    select.value = name;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    const status = document.getElementById(`${select.id}-device-status`);
    if (status) status.textContent = `${name} chosen.`;
    if ("zoneSubmit" in button.dataset && select.form) {
      if (select.form.requestSubmit) select.form.requestSubmit();
      else select.form.submit();
    }
  });
}
