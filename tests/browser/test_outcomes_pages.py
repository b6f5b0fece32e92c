"""The outcomes pages in a real browser on the demo data: an organiser
records a recommendation and its uptake, every page passes axe-core and the
Nu Html Checker, and fits a 390px phone without sideways scrolling."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from .conftest import check_html, log_in, page_problems

pytestmark = pytest.mark.browser

PAGES = [
    "/recommendations",
    "/recommendations?status=stale&sort=quiet",
    "/recommendations/1",
    "/recommendations/1/edit",
    "/recommendations/1/events/new",
    "/recommendations/1/close",
    "/workshops/1/recommendations",
    "/follow-up",
    "/track1-bodies",
    "/track1-bodies/1",
    "/track1-bodies/1/edit",
    "/search?q=maritime",
    "/audit",
]


def test_an_organiser_records_a_recommendation_and_its_uptake(page, live_server):
    log_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server}/workshops/1/recommendations")
    page.get_by_role("button", name="Record a recommendation").click()
    page.get_by_label("Title").fill("Joint table-top exercise on typhoon response")
    page.get_by_label("Text of the recommendation").fill("Hold a yearly table-top exercise among ADMM members.")
    page.get_by_label("Priority").select_option("high")
    page.locator("fieldset", has_text="Themes").locator("input[type=checkbox]").first.check()
    page.get_by_role("button", name="Record the recommendation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Joint table-top exercise on typhoon response"
    assert "Proposed" in page.locator("hgroup").inner_text()

    page.get_by_role("button", name="Add an uptake event").click()
    page.get_by_label("Date of the event").fill("2020-01-01")
    page.get_by_label("Title").fill("Memorandum to the ADMM senior officials")
    page.get_by_role("button", name="Record the event").click()
    assert "before the workshop began" in page.locator(".field-error").inner_text()
    assert page.get_by_label("Title").input_value() == "Memorandum to the ADMM senior officials"

    page.get_by_label("Date of the event").fill(dt.date.today().isoformat())
    page.get_by_label("Stage it shows").select_option("transmitted")
    page.get_by_label("Label or document symbol").first.fill("ADMM/SOM/2026/7")
    page.get_by_role("button", name="Record the event").click()
    assert "the recommendation now stands at transmitted" in page.locator(".flashes").inner_text()
    timeline = page.locator("ol.timeline").inner_text()
    assert "Memorandum to the ADMM senior officials" in timeline and "0 days since the last uptake event" in timeline


def test_the_pages_are_accessible_valid_and_fit_a_phone(browser, live_server, tmp_path):
    documents = {}
    # bypass_csp: axe-core is injected as a script of the test's own.
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    # Not is_mobile: a mobile layout viewport grows to fit, hiding any overflow.
    mobile = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        wide, narrow = desktop.new_page(), mobile.new_page()
        log_in(wide, live_server, "admin@example.org")
        log_in(narrow, live_server, "admin@example.org")
        for path in PAGES:
            name = re.sub(r"\W+", "_", path).strip("_")
            problems = page_problems(wide, narrow, live_server + path, name, documents)
            assert problems == [], "\n".join(problems)
    finally:
        desktop.close()
        mobile.close()
    assert check_html(documents, tmp_path) == []
