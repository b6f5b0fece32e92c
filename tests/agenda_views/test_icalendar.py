"""The calendar feeds, read back with the icalendar library field by field:
RFC 5545 line endings and folding, stable UIDs, DTSTAMP, zoned start and
end times with their VTIMEZONE, the calendar's name and URL, and cancelled
sessions sent as cancelled."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from .conftest import change


@pytest.fixture
def jakarta(make):
    workshop = make.workshop(title="CSCAP Study Group on Maritime Security", slug="cscap-maritime-2025",
                             timezone="Asia/Jakarta", start_date=dt.date(2025, 6, 3),
                             end_date=dt.date(2025, 6, 4), venue="Hotel Borobudur", city="Jakarta",
                             visibility="public")
    chair = make.participation(workshop=workshop, person=make.person(full_name="Rizal Sukma"),
                               affiliation="CSIS Indonesia", consent_to_be_named=True)
    long_title = "Incidents at sea, search and rescue cooperation, and the protection of the marine environment"
    opening = make.agenda_item(workshop=workshop, day=0, start="09:00", end="10:30", title=long_title,
                               room="Ballroom", description="Opening remarks and the year in review.",
                               people=[(chair, "chair")])
    dropped = make.agenda_item(workshop=workshop, day=1, start="14:00", end="15:00", title="Field visit",
                               status="cancelled")
    return workshop, opening, dropped, chair


def calendar_at(client, url) -> tuple[bytes, icalendar.Calendar]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return response.data, icalendar.Calendar.from_ical(response.data)


def test_the_feed_follows_rfc_5545_line_rules(client, jakarta):
    workshop, *_ = jakarta

    raw, _calendar = calendar_at(client, f"/agenda/{workshop.slug}/agenda.ics")

    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines), "the long summary is folded"


def test_the_calendar_names_itself_and_links_back_to_the_agenda(client, jakarta):
    workshop, *_ = jakarta

    _raw, calendar = calendar_at(client, f"/agenda/{workshop.slug}/agenda.ics")

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "CSCAP Study Group on Maritime Security"
    assert calendar["NAME"] == "CSCAP Study Group on Maritime Security"
    assert calendar["URL"] == f"http://localhost/agenda/{workshop.slug}"
    assert calendar["X-WR-TIMEZONE"] == "Asia/Jakarta"


def test_each_session_is_an_event_with_zoned_times_and_a_vtimezone(client, jakarta):
    workshop, opening, dropped, _chair = jakarta

    _raw, calendar = calendar_at(client, f"/agenda/{workshop.slug}/agenda.ics")

    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Jakarta"]
    events = {str(e["UID"]): e for e in calendar.events}
    assert set(events) == {opening.uid, dropped.uid}
    event = events[opening.uid]
    assert event["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert event["DTEND"].params["TZID"] == "Asia/Jakarta"
    assert event.start == dt.datetime(2025, 6, 3, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert event.end == dt.datetime(2025, 6, 3, 10, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert event.start.astimezone(dt.UTC) == dt.datetime(2025, 6, 3, 2, 0, tzinfo=dt.UTC)
    for e in calendar.events:  # no floating times anywhere
        assert e.start.tzinfo is not None and e.end.tzinfo is not None
    assert event.DTSTAMP == opening.updated_at.replace(microsecond=0)  # iCalendar keeps whole seconds
    assert event["SUMMARY"] == opening.title
    assert event["LOCATION"] == "Ballroom, Hotel Borobudur, Jakarta"
    assert "Opening remarks and the year in review." in event["DESCRIPTION"]
    assert "Chair: Rizal Sukma (CSIS Indonesia)" in event["DESCRIPTION"]
    assert event["URL"] == f"http://localhost/agenda/{workshop.slug}#item-{opening.uid}"
    assert event["STATUS"] == "CONFIRMED"


def test_a_cancelled_session_is_sent_as_cancelled(client, jakarta):
    workshop, _opening, dropped, _chair = jakarta

    _raw, calendar = calendar_at(client, f"/agenda/{workshop.slug}/agenda.ics")

    event = next(e for e in calendar.events if str(e["UID"]) == dropped.uid)
    assert event["STATUS"] == "CANCELLED"
    assert event["SUMMARY"] == "Cancelled: Field visit"


def test_a_cancelled_workshop_cancels_every_event(client, jakarta):
    workshop, *_ = jakarta
    change(workshop, status="cancelled")

    _raw, calendar = calendar_at(client, f"/agenda/{workshop.slug}/agenda.ics")

    assert {str(e["STATUS"]) for e in calendar.events} == {"CANCELLED"}


def test_uids_stay_the_same_and_sequence_grows_when_a_session_changes(client, jakarta):
    workshop, opening, *_ = jakarta
    _raw, before = calendar_at(client, f"/agenda/{workshop.slug}/agenda.ics")

    change(opening, starts_at=opening.starts_at + dt.timedelta(minutes=30), title="Opening, half an hour later")

    _raw, after = calendar_at(client, f"/agenda/{workshop.slug}/agenda.ics")
    old = next(e for e in before.events if str(e["UID"]) == opening.uid)
    new = next(e for e in after.events if str(e["UID"]) == opening.uid)
    assert new["SUMMARY"] == "Opening, half an hour later"
    assert new.start == dt.datetime(2025, 6, 3, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert new["SEQUENCE"] > old.get("SEQUENCE", 0)
    assert new.DTSTAMP >= old.DTSTAMP


def test_one_session_has_its_own_calendar_file(client, jakarta):
    workshop, opening, *_ = jakarta

    response = client.get(f"/agenda/{workshop.slug}/items/{opening.uid}.ics")

    assert response.status_code == 200
    assert f'filename="{workshop.slug}-{opening.uid}.ics"' in response.headers["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.data)
    assert [str(e["UID"]) for e in calendar.events] == [opening.uid]
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Jakarta"]


def test_the_personal_feed_names_the_persons_role_and_follows_later_changes(client, jakarta):
    workshop, opening, _dropped, chair = jakarta
    change(chair, personal_token="rizal-personal-token-000000001")
    feed = f"/agenda/{workshop.slug}/p/rizal-personal-token-000000001/agenda.ics"

    _raw, calendar = calendar_at(client, feed)
    event = next(e for e in calendar.events if str(e["UID"]) == opening.uid)
    assert event["DESCRIPTION"].startswith("You chair this session.")
    assert calendar["X-WR-CALNAME"] == "CSCAP Study Group on Maritime Security (personal agenda)"
    assert event["URL"].startswith(f"http://localhost/agenda/{workshop.slug}/p/rizal-personal-token-000000001#")

    change(opening, room="Garden room")

    _raw, calendar = calendar_at(client, feed)
    event = next(e for e in calendar.events if str(e["UID"]) == opening.uid)
    assert event["LOCATION"].startswith("Garden room")


def test_a_workshop_in_a_zone_with_daylight_saving_carries_its_rules(client, make):
    workshop = make.workshop(timezone="Europe/London", start_date=dt.date(2025, 3, 28),
                             end_date=dt.date(2025, 3, 31), visibility="public")
    make.agenda_item(workshop=workshop, day=0, start="09:00", end="10:00", title="Before")
    make.agenda_item(workshop=workshop, day=3, start="09:00", end="10:00", title="After")

    _raw, calendar = calendar_at(client, f"/agenda/{workshop.slug}/agenda.ics")

    timezone = calendar.timezones[0]
    assert timezone.tz_name == "Europe/London"
    assert {c.name for c in timezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    starts = {str(e["SUMMARY"]): e.start.astimezone(dt.UTC) for e in calendar.events}
    assert starts["Before"] == dt.datetime(2025, 3, 28, 9, 0, tzinfo=dt.UTC)
    assert starts["After"] == dt.datetime(2025, 3, 31, 8, 0, tzinfo=dt.UTC)
