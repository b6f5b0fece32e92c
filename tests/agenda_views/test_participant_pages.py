"""The participant's pages (issue 15, item 5): the calendar and PDF downloads
at the top of the page, the device's own zone offered in one tap (the button
is shown by static/zone_button.js; without it the list works), the personal
link's "my sessions only" feed (docs/domain.md, "A participant's own
sessions") beside the full one, and a two-day agenda's PDF on two pages."""

from __future__ import annotations

import datetime as dt
import io

import icalendar
import pytest
from pypdf import PdfReader

from .conftest import change


@pytest.fixture
def bangkok(make):
    """A two-day workshop where Somchai chairs one session, speaks in another
    and does both in a third; the opening, a keynote and the closing are for
    everyone; a break and someone else's panel are not his."""
    workshop = make.workshop(title="ASEAN-ISIS Dialogue on Food Security", slug="asean-isis-food-2025",
                             timezone="Asia/Bangkok", start_date=dt.date(2025, 5, 27),
                             end_date=dt.date(2025, 5, 28), city="Bangkok", country="TH", visibility="public")
    me = make.participation(workshop=workshop, person=make.person(full_name="Somchai Chaiyaporn"),
                            affiliation="ISIS Thailand", personal_token="somchai-personal-token-00000001")
    other = make.participation(workshop=workshop, person=make.person(full_name="Mei Yee Rahman"),
                               affiliation="ISIS Malaysia", personal_token="meiyee-personal-token-000000001")
    items = {
        "opening": make.agenda_item(workshop=workshop, day=0, start="09:00", end="09:30", kind="opening",
                                    title="Opening remarks", people=[(other, "chair")]),
        "spoken": make.agenda_item(workshop=workshop, day=0, start="09:30", end="11:00", kind="panel",
                                   title="Panel 1: rice reserves", people=[(other, "chair"), (me, "speaker")]),
        "break": make.agenda_item(workshop=workshop, day=0, start="11:00", end="11:20", kind="break",
                                  title="Coffee break"),
        "chaired": make.agenda_item(workshop=workshop, day=0, start="11:20", end="12:45", kind="roundtable",
                                    title="Roundtable: the Mekong", people=[(me, "chair"), (other, "speaker")]),
        "keynote": make.agenda_item(workshop=workshop, day=1, start="09:00", end="09:45", kind="keynote",
                                    title="Keynote: the climate and the harvest"),
        "both": make.agenda_item(workshop=workshop, day=1, start="10:00", end="11:30", kind="session",
                                 title="Drafting the recommendations", people=[(me, "chair"), (me, "speaker")]),
        "not_mine": make.agenda_item(workshop=workshop, day=1, start="11:30", end="12:30", kind="panel",
                                     title="Panel 2: fisheries", people=[(other, "speaker")]),
        "closing": make.agenda_item(workshop=workshop, day=1, start="14:00", end="14:30", kind="closing",
                                    title="Closing and next steps"),
    }
    return workshop, me, other, items


def calendar_at(client, url: str) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def summaries(calendar: icalendar.Calendar) -> dict[str, str]:
    return {str(e["UID"]): str(e["SUMMARY"]) for e in calendar.events}


# --- The downloads at the top ---------------------------------------------------


@pytest.mark.parametrize("personal", [False, True])
def test_the_calendar_and_pdf_downloads_come_before_the_agenda(client, bangkok, personal):
    workshop, me, _other, items = bangkok
    base = f"/agenda/{workshop.slug}" + ("/p/somchai-personal-token-00000001" if personal else "")

    html = client.get(base).get_data(as_text=True)

    bar = html[html.index('<nav class="agenda-quick'):]
    bar = bar[:bar.index("</nav>")]
    assert f'href="webcal://localhost{base}/agenda.ics"' in bar
    assert f'href="http://localhost{base}/agenda.ics"' in bar
    assert f'href="{base}/agenda.pdf"' in bar
    assert ("my-sessions.ics" in bar) is personal
    # Before the notes, the zone chooser and the first day.
    assert html.index('class="agenda-quick') < html.index('id="tz"') < html.index(f'id="item-{items["opening"].uid}"')
    assert html.index('class="agenda-quick') < html.index('<h2 id="day-1">')


def test_the_pdf_leaves_the_download_buttons_out(client, bangkok):
    workshop, *_ = bangkok

    text = " ".join(pdf_pages(client, f"/agenda/{workshop.slug}/p/somchai-personal-token-00000001/agenda.pdf"))

    assert "Roundtable: the Mekong" in text
    assert "Add my sessions only" not in text and "Calendar file" not in text and "my-sessions.ics" not in text


# --- The device's zone in one tap ------------------------------------------------


def test_the_device_zone_button_is_hidden_until_the_script_shows_it(client, bangkok):
    workshop, *_ = bangkok

    html = client.get(f"/agenda/{workshop.slug}").get_data(as_text=True)

    form = html[html.index('<form method="get"'):html.index("</form>")]
    assert ('<button type="button" hidden data-zone-button data-zone-for="tz" data-zone-submit'
            in form), "without JavaScript the button stays hidden: the list and 'Show times' work"
    assert '<script type="module" src="/static/zone_button.js"></script>' in html
    script = client.get("/static/zone_button.js")
    assert script.status_code == 200
    assert b"Intl.DateTimeFormat().resolvedOptions().timeZone" in script.data


def test_the_zone_the_button_sends_is_shown_and_remembered(client, bangkok):
    """What one tap does without the script's help: ?tz=<the device's zone>."""
    workshop, *_ = bangkok

    response = client.get(f"/agenda/{workshop.slug}?tz=Asia/Ho_Chi_Minh")

    assert "All times in Asia/Ho_Chi_Minh" in response.get_data(as_text=True)
    assert "agenda_tz=Asia/Ho_Chi_Minh" in response.headers["Set-Cookie"]


# --- "My sessions only" ----------------------------------------------------------


def test_my_sessions_feed_holds_my_sessions_and_those_for_everyone(client, bangkok):
    workshop, _me, _other, items = bangkok

    calendar = calendar_at(client, f"/agenda/{workshop.slug}/p/somchai-personal-token-00000001/my-sessions.ics")

    assert summaries(calendar) == {
        items["opening"].uid: "Opening remarks",
        items["spoken"].uid: "You speak: Panel 1: rice reserves",
        items["chaired"].uid: "You chair: Roundtable: the Mekong",
        items["keynote"].uid: "Keynote: the climate and the harvest",
        items["both"].uid: "You chair and speak: Drafting the recommendations",
        items["closing"].uid: "Closing and next steps",
    }
    assert calendar["X-WR-CALNAME"] == "ASEAN-ISIS Dialogue on Food Security (my sessions)"
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Bangkok"]
    spoken = next(e for e in calendar.events if str(e["UID"]) == items["spoken"].uid)
    assert spoken["DESCRIPTION"].startswith("You speak in this session.")
    assert spoken.decoded("DTSTART") == dt.datetime(2025, 5, 27, 9, 30, tzinfo=spoken.decoded("DTSTART").tzinfo)


def test_the_full_personal_feed_stays_as_it_was(client, bangkok):
    workshop, _me, _other, items = bangkok
    base = f"/agenda/{workshop.slug}/p/somchai-personal-token-00000001"

    full = calendar_at(client, f"{base}/agenda.ics")
    mine = calendar_at(client, f"{base}/my-sessions.ics")

    assert summaries(full) == {item.uid: item.title for item in items.values()}
    assert full["X-WR-CALNAME"] == "ASEAN-ISIS Dialogue on Food Security (personal agenda)"
    assert str(full["UID"]) != str(mine["UID"]), "two feeds, two calendars"


def test_each_participant_gets_their_own_sessions(client, bangkok):
    workshop, _me, _other, items = bangkok

    calendar = calendar_at(client, f"/agenda/{workshop.slug}/p/meiyee-personal-token-000000001/my-sessions.ics")

    assert summaries(calendar) == {
        items["opening"].uid: "You chair: Opening remarks",
        items["spoken"].uid: "You chair: Panel 1: rice reserves",
        items["chaired"].uid: "You speak: Roundtable: the Mekong",
        items["keynote"].uid: "Keynote: the climate and the harvest",
        items["not_mine"].uid: "You speak: Panel 2: fisheries",
        items["closing"].uid: "Closing and next steps",
    }


def test_a_cancelled_session_of_mine_is_sent_as_cancelled(client, bangkok):
    workshop, _me, _other, items = bangkok
    change(items["spoken"], status="cancelled")

    calendar = calendar_at(client, f"/agenda/{workshop.slug}/p/somchai-personal-token-00000001/my-sessions.ics")

    event = next(e for e in calendar.events if str(e["UID"]) == items["spoken"].uid)
    assert str(event["SUMMARY"]) == "Cancelled: You speak: Panel 1: rice reserves"
    assert event["STATUS"] == "CANCELLED"


def test_a_new_role_reaches_the_feed_and_the_old_version_is_not_served(client, bangkok, make):
    workshop, me, _other, items = bangkok
    url = f"/agenda/{workshop.slug}/p/somchai-personal-token-00000001/my-sessions.ics"
    first = client.get(url)
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    make.agenda_item(workshop=workshop, day=1, start="15:00", end="16:00", kind="panel", title="Late panel",
                     people=[(me, "discussant")])

    again = client.get(url)
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    assert "You are discussant: Late panel" in summaries(icalendar.Calendar.from_ical(again.data)).values()


def test_the_personal_page_offers_both_feeds(client, bangkok):
    workshop, *_ = bangkok
    base = f"/agenda/{workshop.slug}/p/somchai-personal-token-00000001"

    html = client.get(base).get_data(as_text=True)

    assert f'href="webcal://localhost{base}/my-sessions.ics"' in html
    assert f'href="webcal://localhost{base}/agenda.ics"' in html
    assert f"<code>http://localhost{base}/my-sessions.ics</code>" in html


@pytest.mark.parametrize("path", [
    "/p/not-a-token-of-anyone-000000001/my-sessions.ics",  # nobody's token
    "/p/short/my-sessions.ics",  # not a token at all
    "/s/{secret}/my-sessions.ics",  # the participants' link has no sessions of its own
    "/my-sessions.ics",  # nor has the public agenda
])
def test_no_my_sessions_feed_without_a_personal_link(client, bangkok, path):
    workshop, *_ = bangkok
    change(workshop, secret_token="the-secret-link-of-the-workshop1")

    response = client.get(f"/agenda/{workshop.slug}" + path.format(secret=workshop.secret_token))

    assert response.status_code == 404


def test_a_revoked_personal_link_opens_no_feed(client, bangkok):
    workshop, me, *_ = bangkok
    change(me, personal_token=None)

    assert client.get(f"/agenda/{workshop.slug}/p/somchai-personal-token-00000001/my-sessions.ics").status_code == 404


# --- The PDF: a two-day agenda on two pages ----------------------------------------


def pdf_pages(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]


def test_the_demo_two_day_agendas_print_on_two_pages(client, app):
    """The demo's two-day workshops, with the participants' list on the
    participants' and personal links (it used to take a third page, and a
    personal agenda a fourth)."""
    from workshops.demo import load
    from workshops.extensions import db
    from workshops.programme.models import Workshop

    load()
    hadr = db.session.scalar(db.select(Workshop).where(Workshop.slug == "nadi-hadr-2024"))
    assert (hadr.end_date - hadr.start_date).days == 1, "the demo's two-day workshop"
    chair = next(p for p in hadr.participations if p.personal_token and p.role == "chair")
    urls = {
        "public": "/agenda/cscap-maritime-2024/agenda.pdf",
        "participants' link": f"/agenda/nadi-hadr-2024/s/{hadr.secret_token}/agenda.pdf",
        "personal link": f"/agenda/nadi-hadr-2024/p/{chair.personal_token}/agenda.pdf",
    }
    for name, url in urls.items():
        pages = pdf_pages(client, url)
        assert len(pages) == 2, f"the {name}'s PDF has {len(pages)} pages"
        text = " ".join(pages)
        assert "Tuesday 18 June 2024" in text or "Tuesday 12 March 2024" in text
        assert "Closing and next steps" in text
        if name != "public":
            assert "Participants" in pages[1] and "Last updated" in pages[1]
    # The times in another zone add a line to each session: still two pages.
    assert len(pdf_pages(client, urls["personal link"] + "?tz=Europe/London")) == 2
