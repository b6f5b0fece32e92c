"""Every main page the capability sweeps (test_*_pages.py) do not visit:
home, login, profile, people, participants and their import, reports, the
error page. Each passes axe-core, labels every control, is valid HTML (one
Nu Html Checker run for all), fits a 390px phone with every action in
reach. The README's screenshots of the main pages are taken here too; this
module runs before the journeys add their workshops to the demo data."""

from __future__ import annotations

import datetime as dt
import re
import struct

import pytest

from .conftest import (
    SCREENSHOTS,
    check_html,
    log_in,
    page_problems,
    run_axe,
    screenshot,
    unreachable_actions,
)

pytestmark = pytest.mark.browser

YEAR = dt.date.today().year

ANONYMOUS = {
    "home_anonymous": "/",
    "login": "/login",
    "forgot_password": "/login/forgot",
    "not_found": "/agenda/no-such-workshop",
    # A network's public outcomes (issue 16): with recommendations, empty, and an unknown network.
    "public_outcomes": "/outcomes/cscap",
    "public_outcomes_empty": "/outcomes/nadi",
    "not_found_outcomes": "/outcomes/no-such-network",
}
ORGANISER = {
    "home": "/",
    "profile": "/profile",
    "two_factor_setup": "/profile/two-factor",
    "people": "/people",
    "people_filtered": "/people?q=rahman&sector=military&sort=country",
    "person": "/people/1",
    "person_new": "/people/new",
    "person_edit": "/people/1/edit",
    "participants": "/workshops/3/participants",
    "participants_filtered": "/workshops/3/participants?role=speaker&sort=status",
    "participant_add": "/workshops/3/participants/add",
    "participant_add_search": "/workshops/3/participants/add?q=tan",
    "participants_import": "/workshops/3/participants/import",
    "reports": "/reports/",
    "report": f"/reports/{YEAR}",
    "report_filtered": f"/reports/{YEAR}?network=NADI",
    "report_last_year": f"/reports/{YEAR - 1}",
    "report_empty_year": "/reports/1999",
    "report_foreword": f"/reports/{YEAR}/foreword?network=NADI",
}
ADMIN = {
    "erase_person": "/admin/people/1/erase",
    "themes": "/themes",
    "theme_edit": "/themes/1/edit",
    "users": "/admin/users",
    "invite_user": "/admin/users/invite",
    "outbox": "/outbox",
}
# name: (path, who); desktop screenshots at 1280x900 unless the name says phone.
SHOTS = {
    "home": ("/", "organiser"),
    "workshops": ("/workshops", "organiser"),
    "workshop": ("/workshops/3", "organiser"),
    "agenda-builder": ("/workshops/3/agenda", "organiser"),
    "participants": ("/workshops/3/participants", "organiser"),
    "check-in": ("/workshops/13/check-in", "organiser"),
    "recommendation": ("/recommendations/1", "admin"),
    "follow-up": ("/follow-up", "organiser"),
    "agenda": ("/agenda/cscap-maritime-2024", "anonymous"),
    "report": (f"/reports/{YEAR - 1}", "viewer"),
    "workshops-phone": ("/workshops", "organiser"),
    "agenda-phone": ("/agenda/cscap-maritime-2024", "anonymous"),
}
USERS = {"organiser": "organiser@example.org", "admin": "admin@example.org", "viewer": "viewer@example.org"}


@pytest.fixture(scope="module")
def pages_of(browser, live_server):
    """A desktop page and a 390px phone page per user, each logged in once."""
    contexts, pages = [], {}

    def pages_for(who: str):
        if who not in pages:
            # bypass_csp: axe-core is injected as a script of the test's own.
            wide_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
            # Not is_mobile: a mobile browser widens the layout to fit what overflows.
            narrow_ctx = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
            contexts.extend((wide_ctx, narrow_ctx))
            wide, narrow = wide_ctx.new_page(), narrow_ctx.new_page()
            if who != "anonymous":
                log_in(wide, live_server, USERS[who])
                log_in(narrow, live_server, USERS[who])
            pages[who] = (wide, narrow)
        return pages[who]

    yield pages_for
    for ctx in contexts:
        ctx.close()


def test_the_other_main_pages_are_accessible_valid_and_fit_a_phone(pages_of, live_server, subtests, tmp_path):
    documents = {}
    sweeps = [("anonymous", ANONYMOUS), ("organiser", ORGANISER), ("admin", ADMIN)]
    for who, paths in sweeps:
        wide, narrow = pages_of(who)
        for name, path in paths.items():
            expected_status = 404 if name.startswith("not_found") else 200
            with subtests.test(page=name, path=path):
                if expected_status != 200:
                    response = wide.goto(live_server + path)
                    assert response.status == expected_status
                    documents[name] = wide.content()
                    continue
                problems = page_problems(wide, narrow, live_server + path, name, documents)
                assert problems == [], "\n".join(problems)

    # A participants import at its preview step, with a problem in one row.
    wide, narrow = pages_of("organiser")
    with subtests.test(page="participants_import_preview"):
        rows = tmp_path / "people.csv"
        rows.write_text("name,email,country\nDara Sok,dara@example.org,KH\nNo Where,,Atlantis\n", encoding="utf-8")
        wide.goto(f"{live_server}/workshops/3/participants/import")
        wide.get_by_label("Spreadsheet file (.csv or .xlsx)").set_input_files(rows)
        wide.get_by_role("button", name="Check the file").click()
        documents["participants_import_preview"] = wide.content()
        narrow.goto(f"{live_server}/workshops/3/participants/import")
        narrow.get_by_label("Spreadsheet file (.csv or .xlsx)").set_input_files(rows)
        narrow.get_by_role("button", name="Check the file").click()
        assert unreachable_actions(narrow) == []

    with subtests.test(page="all of them: the Nu Html Checker"):
        errors = check_html(documents, tmp_path)
        assert errors == [], "\n".join(errors)


def test_the_participant_agenda_passes_axe_on_a_desktop_and_a_phone(browser, pages_of, live_server, subtests):
    """Issue 15: the participant's agenda with its downloads at the top and,
    shown by static/zone_button.js, the device-zone button; axe-core at
    1280 and at 390 px, on the public page and on a personal link."""
    admin, _narrow = pages_of("admin")
    admin.goto(f"{live_server}/agenda/nadi-hadr-2024/links")
    personal = admin.locator("input.links-url").first.input_value()
    urls = {"public": f"{live_server}/agenda/cscap-maritime-2024", "personal": personal,
            "personal_in_another_zone": personal + "?tz=Europe/London"}
    for width, height in ((1280, 900), (390, 844)):
        ctx = browser.new_context(viewport={"width": width, "height": height}, has_touch=width < 600,
                                  bypass_csp=True, timezone_id="Asia/Bangkok")
        try:
            page = ctx.new_page()
            for name, url in urls.items():
                with subtests.test(page=name, width=width):
                    assert page.goto(url).status == 200
                    page.get_by_role("button", name="Use my device's zone (Asia/Bangkok)").wait_for()
                    problems = [f"{v['impact']} {v['id']} ({v['help']}) at {v['nodes']}" for v in run_axe(page)]
                    assert problems == [], "\n".join(problems)
        finally:
            ctx.close()


def test_the_public_outcomes_page_passes_axe_on_a_desktop_and_a_phone(browser, live_server, subtests):
    """Issue 16: a network's public outcomes page, anonymous, axe-core at
    1280 and at 390 px, with its feed announced."""
    for width, height in ((1280, 900), (390, 844)):
        ctx = browser.new_context(viewport={"width": width, "height": height}, has_touch=width < 600,
                                  bypass_csp=True)
        try:
            page = ctx.new_page()
            for path in ("/outcomes/CSCAP", "/outcomes/nadi"):
                with subtests.test(page=path, width=width):
                    assert page.goto(live_server + path).status == 200
                    assert page.locator('link[rel="alternate"][type="application/atom+xml"]').count() == 1
                    problems = [f"{v['impact']} {v['id']} ({v['help']}) at {v['nodes']}" for v in run_axe(page)]
                    assert problems == [], "\n".join(problems)
        finally:
            ctx.close()


def test_the_audit_log_on_a_phone_is_one_compact_block_per_entry(pages_of, live_server):
    """At 390 px each entry shows its changes, named in words, inside the
    screen (they were in a fourth column off to the right, leaving a tall
    empty row behind); at 1280 it stays a four-column table."""
    wide, narrow = pages_of("admin")
    narrow.goto(f"{live_server}/audit")
    rows = narrow.locator("table.audit-log tbody tr")
    assert rows.count() > 5
    for i in range(5):
        row = rows.nth(i).bounding_box()
        changes = rows.nth(i).locator("dl.changes")
        if changes.count():
            box = changes.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (i, box)
            assert box["y"] >= row["y"] and box["y"] + box["height"] <= row["y"] + row["height"] + 1, (i, box, row)
            assert changes.is_visible()
    first = rows.first.locator("dl.changes dt").first.inner_text()
    assert "_" not in first and first[:1].isupper(), first
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 390
    wide.goto(f"{live_server}/audit")
    heads = wide.locator("table.audit-log thead th")
    assert heads.count() == 4 and heads.nth(3).is_visible()


def test_screenshots_of_the_main_pages(pages_of, live_server):
    for name, (path, who) in SHOTS.items():
        wide, narrow = pages_of(who)
        page = narrow if name.endswith("-phone") else wide
        response = page.goto(live_server + path)
        assert response.status == 200, path
        shot = screenshot(page, name)
        width, height = struct.unpack(">II", shot.read_bytes()[16:24])
        assert (width, height) == ((390, 844) if name.endswith("-phone") else (1280, 900)), name

    # The README section shows each of them (and those the journeys take: the phone agenda,
    # check-in on a phone, the builder with an item open in place), and nothing else.
    section = (SCREENSHOTS / "README-section.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"!\[[^\]]+\]\(docs/screenshots/([\w-]+)\.png\)", section))
    assert shown == {*SHOTS, "personal-agenda-phone", "check-in-phone", "agenda-builder-in-place"}
