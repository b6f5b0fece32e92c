"""The layout of the list pages a new user met first, in a real browser on
the demo data: the workshop list on a 390 px phone shows every value of
every row without scrolling (the table scrolled inside its box before, its
network, place and status off-screen); at 1280 px the follow-up list never
breaks a date, the recommendations' filters each fit on one line with their
options readable, and a workshop's linked pages wrap as groups, not one link
alone on a line."""

from __future__ import annotations

import pytest

from .conftest import log_in, no_sideways_scroll

pytestmark = pytest.mark.browser

# Each cell of each workshop row, and its text, inside the viewport's width; and the cell holding the title
# as wide as most of the page (a narrow column wrapped titles to four or five lines).
WORKSHOP_ROWS = """w => {
  const off = [], narrow = [];
  const rows = [...document.querySelectorAll('main table tbody tr')];
  for (const tr of rows) {
    const title = tr.querySelector('th').innerText.split('\\n')[0].slice(0, 30);
    for (const cell of tr.querySelectorAll('th, td')) {
      const range = document.createRange();
      range.selectNodeContents(cell);
      for (const r of [cell.getBoundingClientRect(), range.getBoundingClientRect()])
        if (r.left < -1 || r.right > w + 1) off.push(`${title}: "${cell.innerText.trim().slice(0, 30)}" at ${Math.round(r.left)}-${Math.round(r.right)}px`);
    }
    const th = tr.querySelector('th').getBoundingClientRect();
    if (th.width < w * 0.8) narrow.push(`${title}: ${Math.round(th.width)}px`);
  }
  const wraps = [...document.querySelectorAll('main .table-wrap')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => `${e.scrollWidth}px in ${e.clientWidth}px`);
  return {rows: rows.length, off, narrow, wraps};
}"""


def test_the_workshop_list_shows_every_value_on_a_phone_and_stays_a_table_on_a_desktop(phone, page, live_server):
    log_in(phone, live_server, "organiser@example.org")
    phone.goto(f"{live_server}/workshops")
    assert no_sideways_scroll(phone)
    layout = phone.evaluate(WORKSHOP_ROWS, phone.viewport_size["width"])
    assert layout["rows"] >= 10
    assert layout | {"rows": 0} == {"rows": 0, "off": [], "narrow": [], "wraps": []}
    first = phone.locator("main table tbody tr").first
    assert "Published" in first.inner_text() or "Draft" in first.inner_text()
    assert "Network · series" in first.locator("td[data-label]").first.get_attribute("data-label")

    log_in(page, live_server, "organiser@example.org")
    page.goto(f"{live_server}/workshops")
    assert page.locator("main table thead").first.is_visible()
    row = page.locator("main table tbody tr").first
    tops = {round(cell.bounding_box()["y"]) for cell in row.locator("th, td").all()}
    assert len(tops) == 1, "at 1280 px a workshop is one table row, its cells side by side"


# Every date in the list's cells (2024-04-20, 12–13 March 2024) on a single line.
BROKEN_DATES = r"""() => {
  const pattern = /\d{4}-\d{2}-\d{2}|\d{1,2}(?:–\d{1,2})? [A-Z][a-z]+ \d{4}/g;
  const walker = document.createTreeWalker(document.querySelector('main table tbody'), NodeFilter.SHOW_TEXT);
  let found = 0;
  const broken = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(pattern)) {
      found++;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return {found, broken};
}"""


def test_the_follow_up_list_never_breaks_a_date(page, live_server):
    log_in(page, live_server, "organiser@example.org")
    page.goto(f"{live_server}/follow-up")
    dates = page.evaluate(BROKEN_DATES)
    assert dates["found"] > 20
    assert dates["broken"] == []


# Each filter's label on one line, and each select's chosen option, and every option of the short fixed
# lists, within the select's box (its text area: less its padding and the arrow's room).
FILTERS = """() => {
  const c = document.createElement('canvas').getContext('2d');
  const out = {labels: [], cut: []};
  for (const label of document.querySelectorAll('form.filters label')) {
    const range = document.createRange();
    range.selectNodeContents(label.firstChild);
    if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) out.labels.push(label.innerText);
  }
  for (const s of document.querySelectorAll('form.filters select')) {
    const cs = getComputedStyle(s);
    c.font = cs.font;
    const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const texts = ['status', 'stage', 'priority', 'sort', 'year', 'network'].includes(s.id)
      ? [...s.options].map(o => o.text) : [s.options[s.selectedIndex].text];
    for (const t of texts) if (c.measureText(t).width > room) out.cut.push(`${s.id}: ${t}`);
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_recommendation_filters_keep_in_line_and_show_their_options(browser, live_server, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = ctx.new_page()
        log_in(page, live_server, "organiser@example.org")
        page.goto(f"{live_server}/recommendations")
        assert page.evaluate(FILTERS) == {"labels": [], "cut": []}
        year = page.get_by_label("Year", exact=True)
        assert "workshop" in year.get_attribute("title") and "output" in year.get_attribute("title")
        assert no_sideways_scroll(page)
    finally:
        ctx.close()


def test_a_workshops_linked_pages_wrap_as_groups(page, live_server):
    log_in(page, live_server, "organiser@example.org")
    page.goto(f"{live_server}/workshops/3")
    links = page.get_by_role("navigation", name="Linked pages")
    check_in = links.get_by_role("link", name="Check-in on the day").bounding_box()
    share = links.get_by_role("link", name="Share links").bounding_box()
    agenda = links.get_by_role("link", name="Participants' agenda page").bounding_box()
    assert check_in["y"] == share["y"] == agenda["y"], "the pages to open share one line"
    counts = links.get_by_role("link", name="Participants", exact=True).bounding_box()
    assert counts["y"] < agenda["y"]
    assert agenda["y"] - (counts["y"] + counts["height"]) < 16, "the two lines sit close together"
