"""A user who types something wrong into any of the journeys' forms sees the
message at the field (the control marked invalid and described by the
message), keeps everything they typed, and nothing is saved. Each error
page also passes axe-core and the Nu Html Checker."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import act, check_html, error_at_field, log_in, run_axe, unlabelled_controls

pytestmark = pytest.mark.browser

STRANGE = "Dialogue \u202eon <script>alert(1)</script> \u00e9t\u00e9 \u4e1c\u76df"  # RTL override, markup, accents, CJK


@pytest.fixture(scope="module")
def organiser(browser, live_server):
    """One logged-in organiser (NADI, ASEAN-ISIS) for every form of the module."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server, "organiser@example.org")
    yield page
    ctx.close()


def refused(page, documents: dict, name: str) -> None:
    """The page is the form again, accessible, and kept for the HTML check."""
    assert page.locator(".form-summary, .field-error").first.is_visible()
    documents[name] = page.content()
    assert run_axe(page) == []
    assert unlabelled_controls(page) == []


def test_bad_input_is_shown_at_the_field_and_nothing_typed_is_lost(organiser, live_server, subtests, tmp_path):
    page, documents = organiser, {}

    with subtests.test("workshop form: the last day before the first"):
        page.goto(f"{live_server}/workshops/new")
        page.get_by_label("Title").fill(STRANGE)
        page.get_by_label("Series").select_option(label="NADI Annual Meeting")
        page.get_by_label("First day").fill("2027-05-10")
        page.get_by_label("Last day").fill("2027-05-09")
        page.get_by_label("Venue", exact=True).fill("Hall A, Shangri-La")
        page.get_by_label("Objectives").fill("Line one\nLine two")
        page.get_by_role("button", name="Create workshop").click()
        refused(page, documents, "workshop_form")
        assert "after" in error_at_field(page, "Last day") or "before" in error_at_field(page, "Last day")
        assert page.get_by_label("Title").input_value() == STRANGE
        assert page.get_by_label("Venue", exact=True).input_value() == "Hall A, Shangri-La"
        assert page.get_by_label("Objectives").input_value() == "Line one\nLine two"
        assert page.get_by_label("First day").input_value() == "2027-05-10"
        assert page.get_by_label("Series").evaluate("s => s.selectedOptions[0].text") == "NADI Annual Meeting"
        page.goto(f"{live_server}/workshops?sort=title")
        assert "alert(1)" not in page.locator("main").inner_text()

    with subtests.test("agenda item: the end before the start"):
        page.goto(f"{live_server}/workshops/3/agenda/new")
        page.get_by_label("Title").fill("Closing <b>remarks</b>")
        page.get_by_label("Starts").fill("18:00")
        page.get_by_label("Ends").fill("17:00")
        page.get_by_label("Room").fill("Ballroom 2")
        page.get_by_role("button", name="Add to the agenda").click()
        refused(page, documents, "agenda_item_form")
        assert "The end must be after the start" in error_at_field(page, "Ends")
        assert page.get_by_label("Title").input_value() == "Closing <b>remarks</b>"
        assert page.get_by_label("Starts").input_value() == "18:00"
        assert page.get_by_label("Room").input_value() == "Ballroom 2"

    with subtests.test("import: a file that is not a spreadsheet"):
        page.goto(f"{live_server}/workshops/3/participants/import")
        notes = tmp_path / "notes.pdf"
        notes.write_bytes(b"%PDF-1.4 not a participant list")
        page.get_by_label("Spreadsheet file (.csv or .xlsx)").set_input_files(notes)
        page.get_by_role("button", name="Check the file").click()
        refused(page, documents, "import_wrong_file")
        field = page.get_by_label("Spreadsheet file (.csv or .xlsx)")
        assert field.get_attribute("aria-invalid") == "true"
        assert "Nothing has been imported" in page.locator(".form-summary").inner_text()

    with subtests.test("import: rows with unknown values"):
        rows = tmp_path / "participants.csv"
        rows.write_text("name,email,country,role\n"
                        "Dara Sok,dara.sok@example.org,Cambodia,speaker\n"
                        "Lina Phan,lina@example,Atlantis,king\n", encoding="utf-8")
        page.get_by_label("Spreadsheet file (.csv or .xlsx)").set_input_files(rows)
        page.get_by_role("button", name="Check the file").click()
        refused(page, documents, "import_preview_problems")
        summary = page.locator(".form-summary").inner_text()
        assert "1 of 2 rows has a problem" in summary and "nothing has been imported" in summary
        bad_row = page.locator("tr.people-row-bad")
        assert bad_row.count() == 1
        problems = bad_row.locator(".people-problems").inner_text()
        assert "Atlantis" in problems or "country" in problems.lower()
        # What was typed is shown back, row by row, to be corrected in the file.
        assert "Lina Phan" in bad_row.inner_text() and "lina@example" in bad_row.inner_text()
        assert "Dara Sok" in page.locator(".people-preview").inner_text()
        assert page.get_by_role("button", name="Import 2 participants").count() == 0
        page.goto(f"{live_server}/workshops/3/participants")
        assert "Dara Sok" not in page.locator("main").inner_text()

    with subtests.test("recommendation: no text"):
        page.goto(f"{live_server}/workshops/3/recommendations/new")
        page.get_by_label("Title").fill("A hotline among maritime agencies")
        page.get_by_label("Reference (optional)").fill("APR/2024/R9")
        page.get_by_label("Priority").select_option("high")
        page.get_by_label("Maritime security", exact=True).check()
        page.get_by_role("button", name="Record the recommendation").click()
        refused(page, documents, "recommendation_form")
        assert error_at_field(page, "Text of the recommendation")
        assert page.get_by_label("Title").input_value() == "A hotline among maritime agencies"
        assert page.get_by_label("Reference (optional)").input_value() == "APR/2024/R9"
        assert page.get_by_label("Priority").input_value() == "high"
        assert page.get_by_label("Maritime security", exact=True).is_checked()

    with subtests.test("uptake event: dated before the workshop"):
        page.goto(f"{live_server}/workshops/3/recommendations")
        page.get_by_role("main").get_by_role("link", name="Regional climate finance facility").click()
        act(page, "Add an uptake event").click()
        page.get_by_label("Date of the event").fill("2020-01-01")
        page.get_by_label("Title").fill("Chairman's statement of the 31st ARF")
        page.get_by_label("Web address").first.fill("https://asean.org/arf-31-chairmans-statement")
        page.get_by_label("Short excerpt (optional)").fill("The Meeting welcomed the proposal for a facility.")
        page.get_by_role("button", name="Record the event").click()
        refused(page, documents, "uptake_event_form")
        assert "before the workshop began" in error_at_field(page, "Date of the event")
        assert page.get_by_label("Date of the event").input_value() == "2020-01-01"
        assert page.get_by_label("Title").input_value() == "Chairman's statement of the 31st ARF"
        assert page.get_by_label("Web address").first.input_value().endswith("chairmans-statement")
        assert page.get_by_label("Short excerpt (optional)").input_value().startswith("The Meeting welcomed")

    with subtests.test("report filter: a report date before the year"):
        year = dt.date.today().year
        page.goto(f"{live_server}/reports/{year}")
        page.get_by_label("Network").select_option("NADI")
        page.get_by_label("Report date").fill(f"{year - 1}-06-30")
        page.get_by_role("button", name="Show the report").click()
        refused(page, documents, "report_filter")
        assert f"on or after 1 January {year}" in error_at_field(page, "Report date")
        assert page.get_by_label("Report date").input_value() == f"{year - 1}-06-30"
        assert page.get_by_label("Network").input_value() == "NADI"

    with subtests.test("time zone: a zone that does not exist"):
        page.goto(f"{live_server}/agenda/apr-2024?tz=Mars/Olympus_Mons")
        refused(page, documents, "time_zone_choice")
        message = error_at_field(page, "Show times in")
        assert "“Mars/Olympus_Mons” is not a time zone we know" in message
        assert "Asia/Kuala_Lumpur" in page.locator(".agenda-zone-line").inner_text()

    with subtests.test("the error pages are valid HTML"):
        errors = check_html(documents, tmp_path)
        assert errors == [], "\n".join(errors)
