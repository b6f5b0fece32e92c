"""The programme pages in a real browser on the demo data: an organiser
plans a workshop with a two-day agenda; every page passes axe-core and the
Nu Html Checker, and fits a 390px phone without sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import check_html, log_in, no_sideways_scroll, page_problems

pytestmark = pytest.mark.browser

PAGES = [
    "/networks",
    "/networks/1",
    "/networks/new",
    "/networks/1/edit",
    "/networks/1/institutes/new",
    "/institutes/1/edit",
    "/series",
    "/series?status=active",
    "/series/1",
    "/series/new",
    "/series/1/edit",
    "/workshops",
    "/workshops?year=2025&sort=title",
    "/workshops/new",
    "/workshops/3",
    "/workshops/3/edit",
    "/workshops/3/agenda",
    "/workshops/3/agenda/new",
    "/workshops/3/clone",
    "/workshops/3/cancel",
    "/workshops/3/delete",
]


def test_an_organiser_plans_a_workshop_with_a_two_day_agenda(page, live_server):
    log_in(page, live_server, "organiser@example.org")
    page.goto(f"{live_server}/workshops/new")
    page.get_by_label("Title").fill("NADI Workshop on Urban Search and Rescue 2027")
    page.get_by_label("Series").select_option(label="NADI Annual Meeting")
    page.get_by_label("First day").fill("2027-03-27")
    page.get_by_label("Last day").fill("2027-03-28")
    page.get_by_label("Time zone of the venue").select_option("Europe/London")
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Create workshop").click()
    assert page.get_by_role("heading", level=1).inner_text() == "NADI Workshop on Urban Search and Rescue 2027"
    assert "Draft" in page.locator("hgroup").inner_text()

    page.get_by_role("button", name="Build the agenda").click()
    for day, title, start, end, room in (("2027-03-27", "Opening session", "09:00", "10:00", "Hall"),
                                         ("2027-03-28", "Lessons from Türkiye", "09:00", "10:30", "Hall"),
                                         ("2027-03-28", "Table-top exercise", "10:00", "11:00", "Hall")):
        page.get_by_role("link", name="Add an item").first.click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Day").select_option(day)
        page.get_by_label("Starts").fill(start)
        page.get_by_label("Ends").fill(end)
        page.get_by_label("Room").fill(room)
        page.get_by_role("button", name="Add to the agenda").click()
    # The third item shares the hall with the second: saved, with a warning.
    assert "both in Hall" in page.locator(".flash-warning").inner_text()
    assert "Worth a second look (1)" in page.content()
    # 28 March 2027 is the first day of British Summer Time: the times stay local.
    assert "(BST, UTC+01:00)" in page.content() and "(GMT, UTC+00:00)" in page.content()

    page.get_by_role("link", name="Move Table-top exercise").click()
    page.get_by_label("New start").fill("11:00")
    page.get_by_role("button", name="Move").click()
    # The builder moves it in place: wait for the day to show the new time.
    expect(page.locator("#day-2027-03-28").locator("xpath=..")).to_contain_text("11:00–12:00")
    assert "Worth a second look" not in page.content()

    page.get_by_role("link", name="Add an item").first.click()
    page.get_by_label("Title").fill("Too late")
    page.get_by_label("Starts").fill("18:00")
    page.get_by_label("Ends").fill("17:00")
    page.get_by_role("button", name="Add to the agenda").click()
    assert "The end must be after the start" in page.locator("#end-error").inner_text()
    assert page.get_by_label("Title").input_value() == "Too late"

    page.goto(re.sub(r"/agenda.*$", "", page.url))
    page.get_by_role("button", name="Publish").click()
    assert "Workshop published." in page.locator(".flashes").inner_text()


def test_the_pages_are_accessible_valid_and_fit_a_phone(browser, live_server, tmp_path):
    documents = {}
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    mobile = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        wide, narrow = desktop.new_page(), mobile.new_page()
        log_in(wide, live_server, "admin@example.org")
        log_in(narrow, live_server, "admin@example.org")
        wide.goto(live_server + "/workshops/3/agenda")
        item = wide.get_by_role("link", name=re.compile("^Edit ")).first.get_attribute("href")
        paths = [*PAGES, item, item.replace("/edit", "/move"), item.replace("/edit", "/delete")]
        for path in paths:
            name = re.sub(r"\W+", "_", path).strip("_")
            problems = page_problems(wide, narrow, live_server + path, name, documents)
            assert problems == [], "\n".join(problems)
    finally:
        desktop.close()
        mobile.close()

    errors = check_html(documents, tmp_path)
    assert errors == [], "\n".join(errors)


AGENDA_LAYOUT = """() => {
  const vw = document.documentElement.clientWidth;
  const shown = e => e.checkVisibility() && !e.closest('.visually-hidden');
  const name = e => `${e.tagName.toLowerCase()} "${e.innerText.trim().slice(0, 30)}"`;
  const off = [], gaps = [], broken = [];
  for (const wrap of document.querySelectorAll('.table-wrap:has(.agenda-table)'))
    if (wrap.scrollWidth > wrap.clientWidth + 1) off.push(`a table ${wrap.scrollWidth}px wide in ${wrap.clientWidth}px`);
  for (const e of document.querySelectorAll('.agenda-table td, .agenda-table a, .agenda-table button')) {
    if (!shown(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.left < -1 || r.right > vw + 1) off.push(`${name(e)} at ${Math.round(r.left)}-${Math.round(r.right)}px`);
    if (e.tagName !== 'TD') continue;
    // Empty space in a cell: its height less what it holds (a table row gives every cell the tallest one's height).
    const range = document.createRange();
    range.selectNodeContents(e);
    const held = e.innerText.trim() ? range.getBoundingClientRect().height : 0;
    if (r.height - held > 24) gaps.push(`${name(e)}: ${Math.round(r.height - held)}px empty`);
  }
  // A title's word broken across two lines: its letters in more than one box.
  for (const title of document.querySelectorAll('.agenda-table .item-title')) {
    const text = title.firstChild;
    for (const m of text.data.matchAll(/[^\\s-]+/g)) {
      const range = document.createRange();
      range.setStart(text, m.index);
      range.setEnd(text, m.index + m[0].length);
      if (range.getClientRects().length > 1) broken.push(m[0]);
    }
  }
  return {off, gaps, broken};
}"""


@pytest.mark.parametrize("path", ["/workshops/3/agenda", "/workshops/3"])
def test_an_agenda_reads_as_one_block_an_item_on_a_phone(phone, page, live_server, path):
    """At 390 px each item of the builder's and the workshop page's agenda is one block: every cell
    and action in view without scrolling the table, words unbroken, no tall empty cells; at 1280 px
    it is still a table, an item's time and chairs side by side."""
    log_in(phone, live_server, "admin@example.org")
    phone.goto(live_server + path)
    assert no_sideways_scroll(phone)
    assert phone.locator(".agenda-table tbody tr").count() > 10
    if path.endswith("/agenda"):
        expect(phone.locator(".agenda-table").first.get_by_role("link", name=re.compile("^Edit "))).to_have_count(7)
    layout = phone.evaluate(AGENDA_LAYOUT)
    assert layout == {"off": [], "gaps": [], "broken": []}

    log_in(page, live_server, "admin@example.org")
    page.goto(live_server + path)
    header = page.locator(".agenda-table thead").first
    expect(header).to_be_visible()
    row = page.locator(".agenda-table tbody tr").first
    assert row.locator("td").first.bounding_box()["y"] == row.locator("td.item-people").bounding_box()["y"]
    assert page.evaluate(AGENDA_LAYOUT)["off"] == []
