"""Attendance on the day, on a 390 px phone (issue 15, item 2): with
JavaScript a tap marks a participant attended without loading a page
(navigations counted), undo sets them back, the name box filters as you
type; without JavaScript the same buttons do a full round back to the row.
On the demo's "ARF Track-1.5 Seminar on Maritime Domain Awareness"
(workshop 13, NADI, organised by organiser@example.org)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in, no_sideways_scroll, run_axe, screenshot

pytestmark = pytest.mark.browser

WORKSHOP = 13


def counts(page) -> tuple[int, int]:
    return (int(page.locator("[data-attended]").inner_text()), int(page.locator("[data-expected]").inner_text()))


def navigations_of(page) -> list[str]:
    seen: list[str] = []
    page.on("framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame else None)
    return seen


def test_check_in_on_a_phone_with_javascript_loads_no_page(phone, live_server):
    page = phone
    log_in(page, live_server)
    page.goto(f"{live_server}/workshops/{WORKSHOP}")
    page.get_by_role("link", name="Check-in on the day").click()
    assert page.url.endswith(f"/workshops/{WORKSHOP}/check-in")
    assert no_sideways_scroll(page)
    assert run_axe(page) == []
    attended, expected = counts(page)
    navigations = navigations_of(page)

    # A tap: the row turns to "Undo", the count goes up, no page is loaded.
    row = page.locator(".checkin-row.checkin-confirmed").first
    row_id = row.get_attribute("id")
    name = row.locator("strong").inner_text()
    row.get_by_role("button", name=re.compile("^Mark attended")).click()
    undo = page.locator(f"#{row_id}").get_by_role("button", name=re.compile("^Undo"))
    expect(undo).to_be_visible()
    expect(page.locator("[data-attended]")).to_have_text(str(attended + 1))  # waits: the counts follow the row
    assert counts(page) == (attended + 1, expected)
    expect(page.locator("#checkin-message")).to_contain_text(f"{name} is marked attended.")
    screenshot(page, "check-in-phone")

    # The name box filters as you type, without a round trip.
    page.get_by_label("Find a name").fill(name.split()[-1])
    expect(page.locator(f"#{row_id}")).to_be_visible()
    assert page.locator(".checkin-row:visible").count() < page.locator(".checkin-row").count()
    page.get_by_label("Find a name").fill("")

    # Undo: back to confirmed, the count back down; still no page loaded.
    undo.click()
    expect(page.locator(f"#{row_id}").get_by_role("button", name=re.compile("^Mark attended"))).to_be_visible()
    expect(page.locator("[data-attended]")).to_have_text(str(attended))
    assert counts(page) == (attended, expected)
    assert "checkin-confirmed" in page.locator(f"#{row_id}").get_attribute("class")
    assert navigations == []
    assert no_sideways_scroll(page)

    # What the server holds agrees once the page is loaded again.
    page.reload()
    assert counts(page) == (attended, expected)


def test_check_in_without_javascript_is_a_full_round_back_to_the_row(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page, live_server)
        page.goto(f"{live_server}/workshops/{WORKSHOP}/check-in")
        attended, expected = counts(page)
        row = page.locator(".checkin-row.checkin-confirmed").last
        row_id = row.get_attribute("id")
        name = row.locator("strong").inner_text()
        row.get_by_role("button", name=re.compile("^Mark attended")).click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/workshops/{WORKSHOP}/check-in#{row_id}")
        expect(page.locator(".flash")).to_contain_text(f"{name} is marked attended.")
        assert counts(page) == (attended + 1, expected)
        # The filter is a plain GET form.
        page.get_by_label("Find a name").fill(name.split()[-1])
        page.get_by_role("button", name="Find").click()
        assert f"q={name.split()[-1]}" in page.url
        expect(page.locator(f"#{row_id}")).to_be_visible()
        page.locator(f"#{row_id}").get_by_role("button", name=re.compile("^Undo")).click()
        page.wait_for_load_state()
        assert counts(page) == (attended, expected)
        expect(page.locator(".flash")).to_contain_text(f"{name} is back to confirmed.")
        assert no_sideways_scroll(page)
    finally:
        context.close()


WIDE = """w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_check_in_and_merge_pages_are_axe_clean_and_fit(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page, live_server)
        page.goto(f"{live_server}/workshops/{WORKSHOP}/check-in")
        assert run_axe(page) == []
        assert no_sideways_scroll(page), page.evaluate(WIDE, width)
        page.goto(f"{live_server}/people/4/merge?q=kumar")
        assert run_axe(page) == [] and no_sideways_scroll(page)
        page.get_by_role("link", name=re.compile("^Merge this record into")).first.click()
        expect(page.get_by_role("button", name=re.compile("^Merge into"))).to_be_visible()
        assert run_axe(page) == [] and no_sideways_scroll(page)
        screenshot(page, f"merge-{width}")
    finally:
        context.close()
