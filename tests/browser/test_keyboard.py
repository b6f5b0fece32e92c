"""The organiser's work with the keyboard alone: log in, create a workshop,
add an agenda item, publish it and record a recommendation, with Tab,
typing, arrows, Space and Enter; every element that takes the focus on the
way shows a visible focus ring."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, focus_ring

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  const name = e.getAttribute('aria-label') || label || e.innerText || e.value || '';
  return {tag: e.tagName.toLowerCase(), id: e.id, href: e.getAttribute('href') || '', name: name.replace(/\\s+/g, ' ').replace(' *', '').trim()};
}"""


class Keyboard:
    """A user who only has a keyboard, and a record of where the focus went."""

    def __init__(self, page):
        self.page = page
        self.without_ring: list[str] = []
        self.stops = 0

    def tab_to(self, name: str, tag: str | None = None, nth: int = 1, limit: int = 80) -> None:
        """Press Tab until the nth element with this name and tag has the focus."""
        last = last_match = None
        seen = 0
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            now = self.page.evaluate(FOCUSED)
            if now["tag"] == "body":  # past the last element, the focus leaves the page
                last = now
                continue
            if now != last:  # a date or time field takes several Tabs: its parts, its picker
                self.stops += 1
                if not focus_ring(self.page):
                    self.without_ring.append(f"{now['tag']}#{now['id']} {now['name'][:40]}")
                last = now
            if now["name"] == name and (tag is None or now["tag"] == tag) and now != last_match:
                seen += 1
                last_match = now
                if seen == nth:
                    return
        raise AssertionError(f"{name!r} was not reached with the Tab key (last: {last})")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def enter(self) -> None:
        """Enter on a link, a button or a field of a form: a new page comes."""
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def test_an_organiser_plans_a_workshop_with_the_keyboard_alone(browser, live_server):
    # en-US: dates are typed month, day, year, and times with AM/PM.
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    try:
        page = ctx.new_page()
        page.set_default_timeout(15000)
        keys = Keyboard(page)
        page.goto(f"{live_server}/login")

        keys.tab_to("Skip to content")
        keys.tab_to("Email", tag="input")
        keys.type("organiser@example.org")
        keys.tab_to("Password", tag="input")
        keys.type(DEMO_PASSWORD)
        keys.enter()
        assert "/login" not in page.url

        keys.tab_to("Workshops", tag="a")
        keys.enter()
        keys.tab_to("New workshop", tag="a")
        keys.enter()
        assert page.url.endswith("/workshops/new")

        keys.tab_to("Title", tag="input")
        keys.type("NADI Workshop on Keyboard-only Planning 2027")
        keys.tab_to("Series", tag="select")
        keys.type("NADI Annual")  # a select picks the option its typed letters begin
        keys.tab_to("First day", tag="input")
        keys.type("09142027")
        keys.tab_to("Last day", tag="input")
        keys.type("09152027")
        keys.tab_to("Time zone of the venue", tag="select")
        keys.type("Asia/Jakarta")
        keys.tab_to("City", tag="input")
        keys.type("Bogor")
        keys.tab_to("Country", tag="select")
        keys.type("Indonesia")
        keys.tab_to("Who may see the agenda", tag="select")
        keys.type("Public")
        keys.tab_to("Create workshop", tag="button")
        keys.enter()
        assert page.get_by_role("heading", level=1).inner_text() == "NADI Workshop on Keyboard-only Planning 2027"
        facts = page.locator("main").inner_text()
        assert "14–15 September 2027" in facts and "Bogor" in facts and "Asia/Jakarta" in facts

        keys.tab_to("Build the agenda", tag="a")
        keys.enter()
        keys.tab_to("Add an item", tag="a")
        keys.press("Enter")  # the builder's own form, further down the same page
        keys.tab_to("Title", tag="input")
        keys.type("Opening: the defence universities' role in HADR")
        keys.tab_to("Day", tag="select")
        keys.press("ArrowDown")  # the second day
        keys.tab_to("Starts", tag="input")
        keys.type("0930AM")
        keys.tab_to("Ends", tag="input")
        keys.type("1045AM")
        keys.tab_to("Room", tag="input")
        keys.type("Auditorium")
        keys.tab_to("Add to the agenda", tag="button")
        keys.press("Enter")  # the builder adds it in place: no new page
        day = page.locator("#day-2027-09-15").locator("xpath=..")
        expect(day).to_contain_text("Opening: the defence universities' role in HADR")
        assert "09:30–10:45" in day.inner_text()

        # Back to the workshop through the breadcrumb, and publish it.
        keys.tab_to("NADI Workshop on Keyboard-only Planning 2027", tag="a")
        keys.enter()
        keys.tab_to("Publish", tag="button")
        keys.enter()
        assert "Workshop published." in page.locator(".flashes").inner_text()

        # A recommendation the meeting agreed: the second "Recommendations"
        # link is the workshop's own (the first is in the main navigation).
        keys.tab_to("Recommendations", tag="a", nth=2)
        keys.enter()
        keys.tab_to("Record a recommendation", tag="a")
        keys.enter()
        keys.tab_to("Title", tag="input")
        keys.type("Pre-positioned relief stocks at defence universities")
        keys.tab_to("Text of the recommendation", tag="textarea")
        keys.type("Keep relief stocks at the defence universities of the NADI members.")
        keys.tab_to("Humanitarian assistance and disaster relief (HADR)", tag="input")
        keys.press("Space")
        keys.tab_to("Record the recommendation", tag="button")
        keys.enter()
        assert page.get_by_role("heading", level=1).inner_text() == "Pre-positioned relief stocks at defence universities"
        assert "Humanitarian assistance and disaster relief (HADR)" in page.locator("main").inner_text()

        assert keys.stops > 30
        assert keys.without_ring == [], f"focused without a visible focus ring: {keys.without_ring}"
    finally:
        ctx.close()


def test_focus_is_visible_on_links_buttons_and_fields(page, live_server):
    page.goto(f"{live_server}/login")
    for target in (page.get_by_role("link", name="Agendas", exact=True), page.get_by_label("Email"),
                   page.get_by_role("button", name="Log in")):
        target.focus()
        ring = focus_ring(page)
        assert ring, f"{target} shows no focus ring"
        width = float(ring.split("px")[0])
        assert width >= 2, ring
    # The skip link, hidden until focused, appears on the first Tab.
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0
