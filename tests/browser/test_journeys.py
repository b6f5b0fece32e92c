"""The three journeys the product exists for, in Chromium on the demo data:
an organiser plans a workshop from the first draft to the published agenda,
a participant takes their personal agenda on a phone, and a programme head
takes the year's report away as a PDF."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from .conftest import act, log_in, no_sideways_scroll, run_axe, screenshot

pytestmark = pytest.mark.browser

TODAY = dt.date.today()
# Held a fortnight ago, so that an uptake event dated today comes after it.
FIRST_DAY = TODAY - dt.timedelta(days=14)
SECOND_DAY = FIRST_DAY + dt.timedelta(days=1)
TITLE = "NADI Workshop on Military Medicine in Disaster Response"

PARTICIPANTS_CSV = """name,email,country,sector,role,status,affiliation,serving_official,consent
Siti Nurhaliza Hassan,siti.hassan@example.org,Malaysia,academia,speaker,confirmed,MiDAS,no,yes
Nguyen Van Minh,minh.nguyen@example.org,VN,military,participant,confirmed,IDS Vietnam,yes,yes
Ploy Chaiyasit,,Thailand,government,discussant,invited,SSC Thailand,yes,no
"""

RECOMMENDATIONS = [
    ("A regional roster of military medical teams",
     "Keep a shared roster of deployable military medical teams, updated each year by the ADMM members."),
    ("Common triage tags across ASEAN militaries",
     "Agree one set of triage tags and casualty records, so that teams of different armed forces can hand over patients."),
    ("A standby arrangement for field hospitals",
     "Pre-agree the customs and landing clearances a foreign field hospital needs in the first 72 hours."),
]


def test_an_organiser_plans_a_workshop_from_first_draft_to_published_agenda(browser, page, live_server, tmp_path):
    log_in(page, live_server, "organiser@example.org")

    # A new workshop of the NADI Annual Meeting series, held in Kuala Lumpur.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Workshops", exact=True).click()
    act(page, "New workshop").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Series").select_option(label="NADI Annual Meeting")
    page.get_by_label("First day").fill(FIRST_DAY.isoformat())
    page.get_by_label("Last day").fill(SECOND_DAY.isoformat())
    page.get_by_label("Time zone of the venue").select_option("Asia/Kuala_Lumpur")
    page.get_by_label("City").fill("Kuala Lumpur")
    page.get_by_label("Country").select_option("MY")
    page.get_by_label("Who may see the agenda").select_option("public")
    page.get_by_role("button", name="Create workshop").click()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    workshop_url = page.url

    # A two-day agenda.
    act(page, "Build the agenda").click()
    for day, title, start, end in ((FIRST_DAY, "Opening and keynote", "09:00", "10:00"),
                                   (FIRST_DAY, "Panel: field hospitals after the 2023 floods", "10:30", "12:00"),
                                   (SECOND_DAY, "Table-top exercise: a cyclone in the Bay of Bengal", "09:00", "12:00")):
        act(page, "Add an item").click()  # the builder's own form, further down the page
        new = page.locator("#new-item")
        new.get_by_label("Title").fill(title)
        new.get_by_label("Day").select_option(day.isoformat())
        new.get_by_label("Starts").fill(start)
        new.get_by_label("Ends").fill(end)
        new.get_by_role("button", name="Add to the agenda").click()
        # Waits (up to 5 s) for the item to appear: the builder adds it in place.
        expect(page.get_by_role("link", name=title).or_(page.get_by_text(title, exact=True)).first).to_be_visible()
    assert page.locator(f"#day-{FIRST_DAY.isoformat()}").count() == 1
    assert page.locator(f"#day-{SECOND_DAY.isoformat()}").count() == 1

    # Participants from a spreadsheet: a preview first, then the import.
    page.goto(workshop_url)
    page.get_by_role("main").get_by_role("link", name="Participants", exact=True).click()
    act(page, "Import from a spreadsheet").click()
    csv_file = tmp_path / "participants.csv"
    csv_file.write_text(PARTICIPANTS_CSV, encoding="utf-8")
    page.get_by_label("Spreadsheet file (.csv or .xlsx)").set_input_files(csv_file)
    page.get_by_role("button", name="Check the file").click()
    assert "All 3 rows are ready" in page.get_by_role("status").first.inner_text()
    page.get_by_role("button", name="Import 3 participants").click()
    listing = page.locator("main").inner_text()
    for name in ("Siti Nurhaliza Hassan", "Nguyen Van Minh", "Ploy Chaiyasit"):
        assert name in listing

    # Three recommendations the meeting agreed, and the first sign of uptake.
    page.goto(workshop_url)
    page.get_by_role("main").get_by_role("link", name="Recommendations", exact=True).click()
    recommendations_url = page.url
    for title, text in RECOMMENDATIONS:
        page.goto(recommendations_url)
        act(page, "Record a recommendation").click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Text of the recommendation").fill(text)
        page.get_by_label("ADMM-Plus Experts' Working Group on HADR (ADMM-Plus EWG HADR)").check()
        page.get_by_role("button", name="Record the recommendation").click()
        assert page.get_by_role("heading", level=1).inner_text() == title
    act(page, "Add an uptake event").click()
    page.get_by_label("Date of the event").fill(TODAY.isoformat())
    page.get_by_label("Stage it shows").select_option("transmitted")
    page.get_by_label("Track-1 body").select_option(label="ADMM-Plus Experts' Working Group on HADR (ADMM-Plus EWG HADR)")
    page.get_by_label("Title").fill("Workshop report handed to the EWG on HADR co-chairs")
    page.get_by_role("button", name="Record the event").click()
    assert "the recommendation now stands at transmitted" in page.locator(".flashes").inner_text()
    page.goto(recommendations_url)
    listed = page.locator("main").inner_text()
    assert all(title in listed for title, _ in RECOMMENDATIONS)

    # Published: anyone with the address now reads the agenda.
    page.goto(workshop_url)
    page.get_by_role("button", name="Publish").click()
    assert "Workshop published." in page.locator(".flashes").inner_text()
    public_url = page.get_by_role("link", name="Participants' agenda page").get_attribute("href")
    anonymous = browser.new_context()
    try:
        reader = anonymous.new_page()
        response = reader.goto(live_server + public_url)
        assert response.status == 200, reader.locator("main").inner_text()
        assert reader.get_by_role("heading", level=1).inner_text() == TITLE
        agenda = reader.locator("main").inner_text()
        for day in (FIRST_DAY, SECOND_DAY):
            assert f"{day:%A} {day.day} {day:%B %Y}" in agenda
        assert "Panel: field hospitals after the 2023 floods" in agenda
        assert "Table-top exercise: a cyclone in the Bay of Bengal" in agenda
        assert "Kuala Lumpur" in agenda
    finally:
        anonymous.close()


def personal_link(browser, live_server, slug: str) -> str:
    """A participant's personal link, as an organiser reads it on the share page."""
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        log_in(page, live_server, "organiser@example.org")
        page.goto(f"{live_server}/agenda/{slug}/links")
        return page.locator("input.links-url").first.input_value()
    finally:
        ctx.close()


def test_a_participant_takes_their_agenda_on_a_phone(browser, phone, live_server):
    link = personal_link(browser, live_server, "nadi-hadr-2024")
    response = phone.goto(link)
    assert response.status == 200
    assert phone.get_by_role("heading", level=2, name=re.compile("^Personal agenda of ")).is_visible()
    assert "Asia/Kuala_Lumpur" in phone.locator(".agenda-zone-line").inner_text()
    first_time = phone.locator(".agenda-item time").first.inner_text()

    # In New York for the week: the times follow.
    chooser = phone.get_by_label("Show times in")
    chooser.scroll_into_view_if_needed()
    chooser.select_option("America/New_York")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Show times").tap()
    assert "All times in America/New_York" in phone.locator(".agenda-zone-line").inner_text()
    assert phone.locator(".agenda-item time").first.inner_text() != first_time
    assert no_sideways_scroll(phone)
    phone.locator(".agenda-zone").evaluate("e => e.scrollIntoView()")
    screenshot(phone, "personal-agenda-phone")

    # The calendar file, for the phone's calendar.
    download_link = phone.get_by_role("link", name="download the calendar file")
    download_link.scroll_into_view_if_needed()
    with phone.expect_download() as info:
        download_link.tap()
    calendar = Calendar.from_ical(Path(info.value.path()).read_bytes())
    events = calendar.walk("VEVENT")
    assert events, "the calendar file has no events"
    assert all(e.get("DTSTART") and e.get("SUMMARY") for e in events)
    assert calendar.walk("VTIMEZONE")


def test_a_programme_head_takes_the_years_report_for_one_network_as_pdf(page, live_server):
    year = TODAY.year
    log_in(page, live_server, "viewer@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name=f"Report {year}").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Outcome report {year}")

    page.get_by_label("Network").select_option("NADI")
    page.get_by_role("button", name="Show the report").click()
    assert "network=" in page.url
    assert page.get_by_label("Network").evaluate("s => s.selectedOptions[0].text").startswith("NADI")
    assert "NADI" in page.locator("hgroup").first.inner_text()
    assert run_axe(page) == []

    with page.expect_download() as info:
        act(page, "PDF", exact=True).click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf") and "nadi" in download.suggested_filename.lower()
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
