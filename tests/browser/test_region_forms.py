"""Forms that fit the region, in a real browser on the demo data (issue 15,
item 4): the participants table fits 1280 px with its Email and Actions
columns in view and stacks into cards on a 390 px phone; the new-workshop
form offers the device's own time zone in one tap (and works without
JavaScript); themes are check boxes."""

from __future__ import annotations

import pytest

from .conftest import log_in, no_sideways_scroll, screenshot

pytestmark = pytest.mark.browser

PARTICIPANTS = "/workshops/5/participants"  # the NADI Annual Meeting 2025: 22 participants


def _column_boxes(page) -> dict[str, dict]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        'table.people-participants thead th')].map(th => {
          const r = th.getBoundingClientRect();
          return [th.innerText.trim(), {left: r.left, right: r.right, width: r.width}];
        }))""")


def test_the_participants_table_fits_1280px_with_email_and_actions_in_view(page, live_server):
    log_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server}{PARTICIPANTS}")
    assert page.viewport_size["width"] == 1280
    boxes = _column_boxes(page)
    assert {"Email", "Actions", "Name and affiliation", "Role and status"} <= set(boxes), boxes
    for column in ("Email", "Actions"):
        assert boxes[column]["width"] > 0 and boxes[column]["right"] <= 1280, (column, boxes[column])
    wrap = page.evaluate("""() => { const w = document.querySelector('.table-wrap');
        return [w.scrollWidth, w.clientWidth]; }""")
    assert wrap[0] <= wrap[1], wrap  # the table does not scroll sideways inside its box
    assert no_sideways_scroll(page)
    # Every row's actions can be clicked where they are: no scrolling needed.
    edit = page.get_by_role("link", name="Edit Aisyah Rahman")
    box = edit.bounding_box()
    assert box and box["x"] + box["width"] <= 1280
    assert "@example.org" in page.locator("td.people-email").first.inner_text()
    screenshot(page, "participants-1280")


def test_the_participants_table_is_a_readable_card_per_row_on_a_phone(phone, live_server):
    log_in(phone, live_server, "admin@example.org")
    phone.goto(f"{live_server}{PARTICIPANTS}")
    assert no_sideways_scroll(phone)
    first = phone.locator("table.people-participants tbody tr").first
    assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
    text = first.inner_text()
    assert "Edit" in text and "Remove" in text and "@example.org" in text, text
    # Each value is named on the phone (the label comes from data-label, shown before it).
    named = first.evaluate("""tr => [...tr.querySelectorAll('td[data-label]')]
        .map(td => getComputedStyle(td, '::before').content)""")
    for label in ("Role", "Country", "Email"):
        assert f'"{label}: "' in named, named
    email = first.locator("td.people-email").bounding_box()
    assert email and email["x"] >= 0 and email["x"] + email["width"] <= 390
    screenshot(phone, "participants-phone")


@pytest.fixture
def in_saigon(browser):
    """A browser whose device zone is Viet Nam's (Chromium may report it as the alias Asia/Saigon)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Asia/Ho_Chi_Minh")
    page = ctx.new_page()
    page.set_default_timeout(15000)
    yield page
    ctx.close()


def test_the_device_zone_is_offered_in_one_tap(in_saigon, live_server):
    page = in_saigon
    log_in(page, live_server, "organiser@example.org")
    page.goto(f"{live_server}/workshops/new")
    zone = page.get_by_label("Time zone of the venue")
    assert zone.input_value() == "Asia/Singapore"
    assert zone.locator("optgroup").first.get_attribute("label") == "Asia and the Pacific"
    assert zone.locator("option[value='Asia/Saigon']").count() == 0
    button = page.get_by_role("button", name="Use my device's zone (Asia/Ho_Chi_Minh)")
    button.click()
    assert zone.input_value() == "Asia/Ho_Chi_Minh"
    assert page.locator("#timezone-device-status").inner_text() == "Asia/Ho_Chi_Minh chosen."

    page.get_by_label("Title").fill("NADI Dialogue in Hanoi 2027")
    page.get_by_label("Series").select_option(label="NADI Annual Meeting")
    page.get_by_label("First day").fill("2027-05-04")
    page.get_by_label("Last day").fill("2027-05-05")
    page.get_by_label("Format").select_option("online")
    page.get_by_label("Country").select_option("VN")
    page.get_by_label("HADR", exact=False).first.check()
    page.get_by_role("button", name="Create workshop").click()
    # Online with a country: refused at the country field, what was typed kept.
    assert "An online meeting has no country" in page.locator("#country-error").inner_text()
    assert page.get_by_label("Time zone of the venue").input_value() == "Asia/Ho_Chi_Minh"
    page.get_by_label("Format").select_option("in_person")
    page.get_by_role("button", name="Create workshop").click()
    assert page.get_by_role("heading", level=1).inner_text() == "NADI Dialogue in Hanoi 2027", \
        page.locator(".field-error").all_inner_texts()
    assert "Asia/Ho_Chi_Minh" in page.content()


def test_without_javascript_the_zone_list_alone_works(browser, live_server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = ctx.new_page()
    try:
        log_in(page, live_server, "organiser@example.org")
        page.goto(f"{live_server}/workshops/new")
        assert page.locator("button[data-zone-button]").is_hidden()
        page.get_by_label("Time zone of the venue").select_option("Asia/Kolkata")
        assert page.get_by_label("Time zone of the venue").input_value() == "Asia/Kolkata"
        assert page.locator("input[name=themes][type=checkbox]").count() > 3
        assert no_sideways_scroll(page)
    finally:
        ctx.close()
