"""The agenda builder (issue 15, item 1), in Chromium: with JavaScript an
11-item two-day agenda is built with one page load (navigations counted) —
add with the room and length remembered, speakers in the order chosen, a
guest "to be confirmed", edit, duplicate, move and cancel in place, and the
refusals beside the field; without JavaScript the same forms do full rounds;
axe-clean and fitting at 1280 and 390 px. On a new two-day workshop of
its own (the demo's agendas are left as they are)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from .conftest import act, log_in, no_sideways_scroll, run_axe, screenshot

pytestmark = pytest.mark.browser

FIRST_DAY = dt.date.today() + dt.timedelta(days=60)
SECOND_DAY = FIRST_DAY + dt.timedelta(days=1)
TITLE = "NADI Annual Meeting: builder test"
ITEMS_DAY_1 = ["Registration", "Opening remarks", "Keynote", "Coffee break", "Panel 1: maritime security",
               "Lunch"]
ITEMS_DAY_2 = ["Panel 2: cyber norms", "Coffee break, day 2", "Roundtable: next steps", "Closing"]


def navigations_of(page) -> list[str]:
    seen: list[str] = []
    page.on("framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame else None)
    return seen


@pytest.fixture(scope="module")
def agenda_url(browser, live_server):
    """A new, empty two-day workshop (through its form), and its agenda's address."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page, live_server)
        page.goto(f"{live_server}/workshops/new")
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Series").select_option(label="NADI Annual Meeting")
        page.get_by_label("First day").fill(FIRST_DAY.isoformat())
        page.get_by_label("Last day").fill(SECOND_DAY.isoformat())
        page.get_by_label("Time zone of the venue").select_option("Asia/Jakarta")
        page.get_by_label("City").fill("Jakarta")
        page.get_by_label("Country").select_option("ID")
        page.get_by_role("button", name="Create workshop").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        return page.url.split("?")[0].rstrip("/") + "/agenda"
    finally:
        context.close()


def add(page, title: str, *, day: dt.date | None = None, start: str | None = None, end: str | None = None,
        room: str | None = None):
    form = page.locator("[data-builder-add] form")
    form.get_by_label("Title").fill(title)
    if day:
        form.get_by_label("Day").select_option(day.isoformat())
    if start:
        form.get_by_label("Starts").fill(start)
    if end:
        form.get_by_label("Ends").fill(end)
    if room:
        form.get_by_label("Room").fill(room)
    form.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator("#builder-message")).to_contain_text(f"“{title}” added to the agenda.")


def row_of(page, title: str):
    return page.locator("#agenda-builder tr[id^=item-]").filter(has=page.get_by_text(title, exact=True))


def test_an_eleven_item_two_day_agenda_is_built_with_one_page_load(browser, live_server, agenda_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page, live_server)
        page.goto(agenda_url)
        navigations = navigations_of(page)

        # Day 1: the first item sets the room and length; the next ones start
        # when the last ended, in its room, as long, unless changed.
        add(page, ITEMS_DAY_1[0], start="08:30", end="09:00", room="Foyer")
        new = page.locator("[data-builder-add] form")
        expect(new.get_by_label("Room")).to_have_value("Foyer")
        expect(new.get_by_label("Starts")).to_have_value("09:00")
        expect(new.get_by_label("Ends")).to_have_value("09:30")
        expect(new.get_by_label("Title")).to_be_focused()
        add(page, ITEMS_DAY_1[1], room="Garuda hall")
        # A keynote by a guest minister, to be confirmed, then a participant.
        form = page.locator("[data-builder-add] form")
        rows = form.locator(".person-row")
        rows.nth(0).get_by_label("Guest's honorific").fill("H.E.")
        rows.nth(0).get_by_label("or a guest's name").fill("Retno Marsudi")
        rows.nth(0).get_by_label("Guest's affiliation").fill("Ministry of Foreign Affairs")
        rows.nth(0).get_by_label("To be confirmed").check()
        add(page, ITEMS_DAY_1[2], end="10:30")
        for title in ITEMS_DAY_1[3:]:
            add(page, title)
        for n, title in enumerate(ITEMS_DAY_2):
            add(page, title, **({"day": SECOND_DAY, "start": "09:00", "end": "10:30"} if n == 0 else {}))
        keynote = row_of(page, "Keynote")
        expect(keynote).to_contain_text("H.E. Retno Marsudi")
        expect(keynote).to_contain_text("to be confirmed")

        # An unknown time: refused beside the field, the form kept, nothing added.
        form = page.locator("[data-builder-add] form")
        form.get_by_label("Title").fill("Dinner")
        form.get_by_label("Starts").fill("20:00")
        form.get_by_label("Ends").fill("19:00")
        form.get_by_role("button", name="Add to the agenda").click()
        expect(page.locator("[data-builder-add] .field-error")).to_contain_text("The end must be after the start")
        expect(page.locator("[data-builder-add] form").get_by_label("Title")).to_have_value("Dinner")

        # Edit in place: the chair and speakers in the order chosen.
        row_of(page, "Panel 1: maritime security").get_by_role("link", name="Edit").click()
        editor = page.locator(".builder-editor-row form")
        expect(editor.get_by_label("Title")).to_be_focused()
        people = editor.locator(".person-row")
        for n, name in enumerate(("Zed Tester", "Ann Guest")):
            people.nth(n).get_by_label("or a guest's name").fill(name)
        people.nth(0).get_by_label("Order").fill("2")
        people.nth(1).get_by_label("Order").fill("1")
        row_of(page, "Panel 1: maritime security").evaluate("row => row.scrollIntoView({block: 'start'})")
        screenshot(page, "agenda-builder-in-place")
        editor.get_by_role("button", name="Save").click()
        expect(page.locator("#builder-message")).to_contain_text("“Panel 1: maritime security” saved.")
        expect(row_of(page, "Panel 1: maritime security")).to_contain_text("Ann Guest (guest), Zed Tester (guest)")

        # Move in place; past midnight is refused beside the field.
        row_of(page, "Closing").get_by_role("link", name="Move").click()
        editor = page.locator(".builder-editor-row form")
        editor.get_by_label("New start").fill("23:30")
        editor.get_by_role("button", name="Move").click()
        expect(page.locator(".builder-editor-row .field-error")).to_contain_text("past midnight")
        page.locator(".builder-editor-row form").get_by_label("New start").fill("16:00")
        page.locator(".builder-editor-row form").get_by_role("button", name="Move").click()
        expect(page.locator("#builder-message")).to_contain_text("“Closing” moved to")
        expect(row_of(page, "Closing")).to_contain_text("16:00")

        # Duplicate (the 11th item) and cancel, in place.
        row_of(page, "Coffee break").get_by_role("button", name="Duplicate").click()
        expect(page.locator("#builder-message")).to_contain_text("A copy of “Coffee break” added")
        expect(row_of(page, "Coffee break")).to_have_count(2)
        row_of(page, "Lunch").get_by_role("button", name="Mark cancelled").click()
        expect(row_of(page, "Lunch")).to_contain_text("Cancelled:")
        expect(page.locator("#agenda-builder")).to_contain_text("11 items")

        assert navigations == []
        assert no_sideways_scroll(page)
        page.reload()
        expect(page.locator("#agenda-builder tr[id^=item-]")).to_have_count(11)
        assert page.locator(f"#day-{FIRST_DAY.isoformat()}").count() == 1
        assert page.locator(f"#day-{SECOND_DAY.isoformat()}").count() == 1
    finally:
        context.close()


def test_without_javascript_every_builder_action_is_a_full_round(browser, live_server, agenda_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page, live_server)
        page.goto(agenda_url)
        form = page.locator("[data-builder-add] form")
        form.get_by_label("Title").fill("Site visit")
        form.get_by_label("Day").select_option(SECOND_DAY.isoformat())
        form.get_by_label("Starts").fill("14:00")
        form.get_by_label("Ends").fill("15:00")
        form.get_by_role("button", name="Add to the agenda").click()
        page.wait_for_load_state()
        expect(page.locator(".flash")).to_contain_text("“Site visit” added to the agenda.")
        assert "/agenda#item-" in page.url

        # An unknown speaker: refused beside the field on the item's page.
        row_of(page, "Site visit").get_by_role("link", name="Edit").click()
        page.wait_for_load_state()
        assert "/edit" in page.url
        page.locator(".person-row").nth(0).get_by_label("Guest's affiliation").fill("Navy")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        expect(page.locator(".field-error")).to_contain_text("Enter the guest's name, or pick a participant.")
        page.locator(".person-row").nth(0).get_by_label("or a guest's name").fill("Rear Adm. Guest")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        expect(row_of(page, "Site visit")).to_contain_text("Rear Adm. Guest")

        row_of(page, "Site visit").get_by_role("button", name="Duplicate").click()
        page.wait_for_load_state()
        expect(page.locator(".flash")).to_contain_text("A copy of “Site visit” added at 15:00.")
        row_of(page, "Site visit").first.get_by_role("button", name="Mark cancelled").click()
        page.wait_for_load_state()
        expect(page.locator(".flash")).to_contain_text("is cancelled")
        row_of(page, "Site visit").last.get_by_role("link", name="Move").click()
        page.wait_for_load_state()
        page.get_by_label("New start").fill("23:30")
        page.get_by_role("button", name="Move").click()
        page.wait_for_load_state()
        expect(page.locator(".field-error")).to_contain_text("past midnight")
        assert no_sideways_scroll(page)
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_builder_is_axe_clean_and_fits_with_an_item_open(browser, live_server, agenda_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page, live_server)
        page.goto(agenda_url)
        assert run_axe(page) == []
        assert no_sideways_scroll(page)
        act(page, "Edit").click()
        expect(page.locator(".builder-editor-row form")).to_be_visible()
        assert run_axe(page) == []
        assert no_sideways_scroll(page)
    finally:
        context.close()
