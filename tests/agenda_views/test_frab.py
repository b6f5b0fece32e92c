"""schedule.json and schedule.xml validate against the published frab /
C3VOC schemas (kept in tests/fixtures, see its README), so conference apps
such as Giggity can load a workshop."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from functools import lru_cache
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@lru_cache(maxsize=1)
def json_validator() -> jsonschema.Draft6Validator:
    schema = json.loads((FIXTURES / "frab-schedule.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft6Validator.check_schema(schema)
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)


@lru_cache(maxsize=1)
def xml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FIXTURES / "frab-schedule.xml.xsd")))


def assert_valid_json(data: dict) -> None:
    errors = sorted(json_validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    # jsonschema checks "date-time" and "uuid" formats only with optional
    # packages; check them here so a naive time or a bad guid cannot pass.
    for day in data["schedule"]["conference"]["days"]:
        dt.date.fromisoformat(day["date"])
        for key in ("day_start", "day_end"):
            assert dt.datetime.fromisoformat(day[key]).tzinfo is not None
        for events in day["rooms"].values():
            for event in events:
                uuid.UUID(event["guid"])
                assert dt.datetime.fromisoformat(event["date"]).tzinfo is not None
                assert dt.datetime.fromisoformat(event["end"]).tzinfo is not None
                for person in event["persons"]:
                    uuid.UUID(person["guid"])
    for room in data["schedule"]["conference"].get("rooms", []):
        uuid.UUID(room["guid"])


def assert_valid_xml(raw: bytes) -> etree._Element:
    document = etree.fromstring(raw)
    schema = xml_schema()
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)
    return document


@pytest.fixture
def hanoi(make):
    """A two-day workshop whose slug has hyphens and a year (the JSON
    schema's acronym trap), with a chair, two speakers, an item without a
    room and a cancelled one."""
    workshop = make.workshop(title="CSCAP Study Group on Maritime Security", slug="cscap-maritime-2025",
                             timezone="Asia/Ho_Chi_Minh", start_date=dt.date(2025, 9, 16),
                             end_date=dt.date(2025, 9, 17), venue="Melia Hanoi", visibility="public")
    chair = make.participation(workshop=workshop, person=make.person(full_name="Nguyen Hung Son", honorific="Dr"),
                               affiliation="DAV", consent_to_be_named=True)
    first = make.participation(workshop=workshop, person=make.person(full_name="Ann Lee"), affiliation="RSIS", consent_to_be_named=True)
    second = make.participation(workshop=workshop, person=make.person(full_name="Kenji Sato"), consent_to_be_named=True)
    panel = make.agenda_item(workshop=workshop, day=0, start="09:00", end="10:30", title="Panel 1", kind="panel",
                             room="Ballroom A", description="Incidents at sea.",
                             people=[(chair, "chair"), (first, "speaker"), (second, "discussant")])
    lunch = make.agenda_item(workshop=workshop, day=0, start="12:00", end="13:15", title="Lunch", kind="meal")
    visit = make.agenda_item(workshop=workshop, day=1, start="14:00", end="17:00", title="Port visit",
                             kind="other", room="Hai Phong", status="cancelled")
    return workshop, panel, lunch, visit


def test_schedule_json_validates_against_the_frab_schema(client, hanoi):
    workshop, panel, lunch, visit = hanoi

    response = client.get(f"/agenda/{workshop.slug}/schedule.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert_valid_json(data)
    conference = data["schedule"]["conference"]
    assert conference["title"] == "CSCAP Study Group on Maritime Security"
    assert conference["acronym"] == "cscap_maritime_2025"
    assert conference["time_zone_name"] == "Asia/Ho_Chi_Minh"
    assert conference["daysCount"] == 2
    assert [d["date"] for d in conference["days"]] == ["2025-09-16", "2025-09-17"]
    first_day = conference["days"][0]["rooms"]
    event = first_day["Ballroom A"][0]
    assert event["guid"] == panel.uid
    assert event["date"] == "2025-09-16T09:00:00+07:00"
    assert event["start"] == "09:00" and event["duration"] == "01:30"
    assert event["abstract"] == "Incidents at sea."
    assert [p["name"] for p in event["persons"]] == ["Dr Nguyen Hung Son", "Ann Lee", "Kenji Sato"]
    assert all(set(p) == {"name", "guid"} for p in event["persons"])
    # An item with no room is placed in the venue.
    assert first_day["Melia Hanoi"][0]["title"] == "Lunch"
    second_day = conference["days"][1]["rooms"]
    assert second_day["Hai Phong"][0]["title"] == "Cancelled: Port visit"


def test_schedule_xml_validates_against_the_frab_xsd(client, hanoi):
    workshop, panel, *_ = hanoi

    response = client.get(f"/agenda/{workshop.slug}/schedule.xml")

    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    document = assert_valid_xml(response.data)
    assert document.findtext("conference/acronym") == "cscap_maritime_2025"
    assert document.findtext("conference/time_zone_name") == "Asia/Ho_Chi_Minh"
    days = document.findall("day")
    assert [d.get("date") for d in days] == ["2025-09-16", "2025-09-17"]
    event = document.find(f"day/room/event[@guid='{panel.uid}']")
    assert event.findtext("title") == "Panel 1"
    assert event.findtext("date") == "2025-09-16T09:00:00+07:00"
    assert event.findtext("duration") == "01:30"
    assert event.getparent().get("name") == "Ballroom A"
    assert [p.text for p in event.findall("persons/person")] == ["Dr Nguyen Hung Son", "Ann Lee", "Kenji Sato"]


def test_both_schedules_agree_on_the_events(client, hanoi):
    workshop, *_ = hanoi

    data = client.get(f"/agenda/{workshop.slug}/schedule.json").get_json()
    document = etree.fromstring(client.get(f"/agenda/{workshop.slug}/schedule.xml").data)

    from_json = sorted(
        (e["guid"], e["title"], e["date"], e["room"])
        for day in data["schedule"]["conference"]["days"] for events in day["rooms"].values() for e in events
    )
    from_xml = sorted(
        (e.get("guid"), e.findtext("title"), e.findtext("date"), e.findtext("room"))
        for e in document.iter("event")
    )
    assert from_json == from_xml
    assert len(from_json) == 3


@pytest.mark.parametrize("slug", ["abc-2026", "ab", "x-y-z", "nadi_hadr_2024", "2025-apr"])
def test_any_slug_gives_an_acronym_both_schemas_accept(client, make, slug):
    workshop = make.workshop(slug=slug, visibility="public", timezone="UTC")
    make.agenda_item(workshop=workshop)

    assert_valid_json(client.get(f"/agenda/{slug}/schedule.json").get_json())
    assert_valid_xml(client.get(f"/agenda/{slug}/schedule.xml").data)


def test_strange_text_and_an_empty_agenda_still_validate(client, make):
    workshop = make.workshop(title="Tit\x01le <b>&amp;</b> \u202eRTL", visibility="public",
                             timezone="America/Argentina/Buenos_Aires")
    empty = make.workshop(visibility="public", timezone="Etc/GMT-7")
    make.agenda_item(workshop=workshop, title="Bell\x07 and <script>", room="Room \x0b 1",
                     description="Line\r\nbreak \uffff end")

    for w in (workshop, empty):
        data = client.get(f"/agenda/{w.slug}/schedule.json").get_json()
        assert_valid_json(data)
        assert_valid_xml(client.get(f"/agenda/{w.slug}/schedule.xml").data)
    # A zone name the JSON schema's pattern does not allow is left out (times carry their offset).
    assert "time_zone_name" not in data["schedule"]["conference"]


def test_a_personal_schedule_points_back_to_the_personal_agenda(client, hanoi):
    workshop, panel, *_ = hanoi
    from .conftest import change

    participation = panel.people[1].participation
    change(participation, personal_token="ann-lee-personal-token-00000001")

    data = client.get(f"/agenda/{workshop.slug}/p/ann-lee-personal-token-00000001/schedule.json").get_json()

    assert_valid_json(data)
    assert data["schedule"]["conference"]["url"] == (
        f"http://localhost/agenda/{workshop.slug}/p/ann-lee-personal-token-00000001"
    )
