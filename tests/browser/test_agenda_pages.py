"""The participants' agenda in a real browser on the demo data: public,
secret-link and personal-link agendas, the zone chooser without JavaScript,
the share page; every page passes axe-core and the Nu Html Checker, fits a
390px phone, and prints without the site's navigation or forms."""

from __future__ import annotations

import re

import pytest

from .conftest import act, check_html, log_in, no_sideways_scroll, page_problems

pytestmark = pytest.mark.browser

PUBLIC = "/agenda/cscap-maritime-2024"
CLOSED = "/agenda/nadi-hadr-2024"


def links_of(browser, live_server) -> tuple[str, str]:
    """The secret link and a personal link, as an organiser reads them on the share page."""
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        log_in(page, live_server, "admin@example.org")
        page.goto(live_server + CLOSED + "/links")
        secret = page.get_by_role("textbox", name="Participants' link").input_value()
        personal = page.locator("input.links-url").first.input_value()
    finally:
        ctx.close()
    return secret, personal


def test_a_participant_reads_the_agenda_in_their_own_zone(browser, live_server):
    _secret, personal = links_of(browser, live_server)
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        phone = ctx.new_page()
        phone.goto(personal)
        assert phone.get_by_role("heading", level=2, name=re.compile("^Personal agenda of ")).is_visible()
        phone.get_by_label("Show times in").select_option("Europe/London")
        phone.get_by_role("button", name="Show times").click()
        phone.wait_for_load_state()
        assert "All times in Europe/London" in phone.locator(".agenda-zone-line").inner_text()
        # Remembered on the next visit, without the choice in the address.
        phone.goto(personal)
        assert "All times in Europe/London" in phone.locator(".agenda-zone-line").inner_text()
        assert no_sideways_scroll(phone)
    finally:
        ctx.close()


def test_the_printed_agenda_has_no_navigation_or_forms(page, live_server):
    page.goto(live_server + PUBLIC)
    page.emulate_media(media="print")

    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".agenda-zone-form").is_visible()
    assert not page.locator(".agenda-downloads").is_visible()
    assert not page.locator(".agenda-quick").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator(".agenda-item").first.is_visible()


def test_the_agenda_pages_are_accessible_valid_and_fit_a_phone(browser, live_server, tmp_path):
    secret, personal = links_of(browser, live_server)
    anonymous = ["/agenda/", PUBLIC, PUBLIC + "?tz=America/New_York", PUBLIC + "?tz=Nowhere/Land",
                 secret, personal]
    organiser = [CLOSED, CLOSED + "/links"]
    documents = {}
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    mobile = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    staff_desktop = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    staff_mobile = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        staff_wide, staff_narrow = staff_desktop.new_page(), staff_mobile.new_page()
        log_in(staff_wide, live_server, "admin@example.org")
        log_in(staff_narrow, live_server, "admin@example.org")
        pages = [(desktop.new_page(), mobile.new_page(), anonymous), (staff_wide, staff_narrow, organiser)]
        for wide, narrow, paths in pages:
            for path in paths:
                url = path if path.startswith("http") else live_server + path
                name = re.sub(r"\W+", "_", path.replace(live_server, "")).strip("_")[:60]
                problems = page_problems(wide, narrow, url, name, documents)
                assert problems == [], "\n".join(problems)
    finally:
        for ctx in (desktop, mobile, staff_desktop, staff_mobile):
            ctx.close()
    assert check_html(documents, tmp_path) == []


def test_on_a_phone_the_downloads_are_on_the_first_screen_and_the_device_zone_is_one_tap(browser, live_server):
    """Issue 15: the calendar and PDF links sat some 5,000 px down; the zone
    was a choice among some 430. The phone here is set to Asia/Bangkok."""
    _secret, personal = links_of(browser, live_server)
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, timezone_id="Asia/Bangkok")
    try:
        phone = ctx.new_page()
        for url in (live_server + PUBLIC, personal):
            phone.goto(url)
            names = ["Add to calendar", "PDF", "Calendar file (.ics)"]
            if url == personal:
                names.append("Add my sessions only")
            quick = phone.get_by_role("navigation", name="Take the agenda with you")
            for name in names:
                # A link that looks like a button has the role button.
                box = act(quick, name, exact=True).bounding_box()
                assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, (url, name, box)
            assert act(quick, "PDF", exact=True).get_attribute("href").endswith("/agenda.pdf")

        # One tap: the button names the device's zone, and the page shows it.
        phone.goto(personal)
        assert "All times in Asia/Kuala_Lumpur" in phone.locator(".agenda-zone-line").inner_text()
        button = phone.get_by_role("button", name="Use my device's zone (Asia/Bangkok)")
        navigations = []
        phone.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == phone.main_frame else None)
        with phone.expect_navigation():
            button.tap()
        assert "All times in Asia/Bangkok" in phone.locator(".agenda-zone-line").inner_text()
        assert len(navigations) == 1 and "tz=Asia%2FBangkok" in navigations[0]
        assert no_sideways_scroll(phone)
    finally:
        ctx.close()


def test_without_javascript_the_device_zone_button_stays_hidden(browser, live_server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False,
                              timezone_id="Asia/Bangkok")
    try:
        phone = ctx.new_page()
        phone.goto(live_server + PUBLIC)
        assert phone.get_by_role("button", name=re.compile("device's zone")).count() == 0
        phone.get_by_label("Show times in").select_option("Asia/Bangkok")
        phone.get_by_role("button", name="Show times").click()
        assert "All times in Asia/Bangkok" in phone.locator(".agenda-zone-line").inner_text()
    finally:
        ctx.close()

