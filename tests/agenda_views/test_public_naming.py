"""A public agenda names a chair, speaker or discussant only with their
consent to be named publicly, and otherwise says who they are by role and
sector; the participants' links name everyone (docs/domain.md). One rule
(queries.as_shown) for the page, the PDF, the calendar and the frab
schedules."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import uuid

import icalendar
import pytest

from workshops.agenda_views.queries import described
from workshops.programme.models import new_token

from .conftest import change
from .test_agenda_page import text_of

QUIET = "Quiet Official"
NAMED = "Open Scholar"


@pytest.fixture
def bangkok(make):
    """A public Chatham House workshop: a chair who consented to be named,
    a speaker from government who did not, and a discussant from the
    military who did not either."""
    workshop = make.workshop(title="Mekong Water Security", timezone="Asia/Bangkok", visibility="public",
                             start_date=dt.date(2025, 11, 4), end_date=dt.date(2025, 11, 4),
                             chatham_house=True)
    chair = make.participation(workshop=workshop, person=make.person(full_name=NAMED, honorific="Dr"),
                               affiliation="ISIS Thailand", sector="academia", consent_to_be_named=True,
                               personal_token=new_token())
    speaker = make.participation(workshop=workshop, person=make.person(full_name=QUIET),
                                 affiliation="Ministry of Water", sector="government",
                                 personal_token=new_token())
    discussant = make.participation(workshop=workshop, person=make.person(full_name="Colonel Nobody"),
                                    affiliation="Royal Thai Army", sector="military")
    panel = make.agenda_item(workshop=workshop, day=0, start="09:00", end="10:30", title="Dams and droughts",
                             people=[(chair, "chair"), (speaker, "speaker"), (discussant, "discussant")])
    return workshop, panel, chair, speaker, discussant


def public(workshop, suffix: str = "") -> str:
    return f"/agenda/{workshop.slug}{suffix}"


def secret(workshop, suffix: str = "") -> str:
    return f"/agenda/{workshop.slug}/s/{workshop.secret_token}{suffix}"


def personal(workshop, participation, suffix: str = "") -> str:
    return f"/agenda/{workshop.slug}/p/{participation.personal_token}{suffix}"


def test_the_description_uses_the_role_and_the_sector_label():
    assert described("speaker", "government") == "A speaker from government (private capacity)"
    assert described("chair", "academia") == "A chair from academia / think tank"
    assert described("discussant", "military") == "A discussant from the military"
    assert described("speaker", "international_org") == "A speaker from an international organisation"


def test_the_public_page_names_only_those_who_consented(client, bangkok):
    workshop, _panel, *_ = bangkok

    page = text_of(client.get(public(workshop)).get_data(as_text=True))

    assert "Chair: Dr Open Scholar (ISIS Thailand)" in page
    assert "Speaker: A speaker from government (private capacity)" in page
    assert "Discussant: A discussant from the military" in page
    for hidden in (QUIET, "Ministry of Water", "Colonel Nobody", "Royal Thai Army"):
        assert hidden not in page
    assert "Chatham House rule." in page


@pytest.mark.parametrize("link", ["secret", "personal"])
def test_the_participants_links_name_everyone(client, bangkok, link):
    workshop, _panel, chair, speaker, _discussant = bangkok
    url = secret(workshop) if link == "secret" else personal(workshop, speaker)

    page = text_of(client.get(url).get_data(as_text=True))

    assert "Chair: Dr Open Scholar (ISIS Thailand)" in page
    assert "Speaker: Quiet Official (Ministry of Water)" in page
    assert "Discussant: Colonel Nobody (Royal Thai Army)" in page
    assert "A speaker from" not in page


def test_the_public_calendar_and_schedules_name_only_those_who_consented(client, bangkok):
    workshop, panel, *_ = bangkok

    feed = icalendar.Calendar.from_ical(client.get(public(workshop, "/agenda.ics")).data)
    one = icalendar.Calendar.from_ical(client.get(public(workshop, f"/items/{panel.uid}.ics")).data)
    data = client.get(public(workshop, "/schedule.json")).get_json()
    xml = client.get(public(workshop, "/schedule.xml")).get_data(as_text=True)

    for calendar in (feed, one):
        description = str(calendar.events[0]["DESCRIPTION"])
        assert "Speakers: A speaker from government (private capacity)" in description
        assert "Dr Open Scholar (ISIS Thailand)" in description
        assert QUIET not in description and "Ministry of Water" not in description
    [event] = [e for day in data["schedule"]["conference"]["days"] for es in day["rooms"].values() for e in es]
    assert [p["name"] for p in event["persons"]] == [
        "Dr Open Scholar", "A speaker from government (private capacity)", "A discussant from the military"]
    assert QUIET not in xml and "Colonel Nobody" not in xml and "Ministry of Water" not in xml
    assert "A speaker from government (private capacity)" in xml


def test_an_unnamed_speaker_cannot_be_matched_by_guid_with_where_they_are_named(client, make, bangkok):
    """A person guid made from the person would be the same on an agenda
    where they consented: the unnamed one gets a guid of its own."""
    workshop, _panel, _chair, speaker, _discussant = bangkok
    elsewhere = make.workshop(visibility="public", timezone="Asia/Bangkok")
    named_there = make.participation(workshop=elsewhere, person=speaker.person, consent_to_be_named=True)
    make.agenda_item(workshop=elsewhere, people=[(named_there, "speaker")])

    def guids(w):
        data = client.get(public(w, "/schedule.json")).get_json()
        return {p["name"]: p["guid"] for day in data["schedule"]["conference"]["days"]
                for es in day["rooms"].values() for e in es for p in e["persons"]}

    there = guids(elsewhere)["Quiet Official"]
    here = guids(workshop)["A speaker from government (private capacity)"]
    uuid.UUID(here)
    assert here != there


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed (poppler-utils)")
def test_the_public_pdf_names_only_those_who_consented(client, bangkok, tmp_path):
    workshop, *_ = bangkok

    def pdf_text(url: str) -> str:
        path = tmp_path / "agenda.pdf"
        path.write_bytes(client.get(url).data)
        result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S603, S607
                                capture_output=True, timeout=60, check=True)
        return " ".join(result.stdout.decode("utf-8").split())

    public_text = pdf_text(public(workshop, "/agenda.pdf"))
    secret_text = pdf_text(secret(workshop, "/agenda.pdf"))

    assert "A speaker from government (private capacity)" in public_text
    assert QUIET not in public_text and "Colonel Nobody" not in public_text
    assert NAMED in public_text
    assert QUIET in secret_text and "Colonel Nobody" in secret_text


@pytest.mark.parametrize(("visitor", "names_all"), [("viewer", False), ("organiser", True), ("admin", True)])
def test_at_the_plain_address_only_organisers_read_every_name(client, auth, bangkok, visitor, names_all):
    workshop, *_ = bangkok
    auth.login(role=visitor, networks=[workshop.series.network] if visitor == "organiser" else ())

    page = text_of(client.get(public(workshop)).get_data(as_text=True))

    assert (QUIET in page) is names_all
    assert ("A speaker from government (private capacity)" in page) is not names_all


def test_a_consent_given_later_reaches_the_cached_public_page_and_feeds(client, bangkok):
    workshop, _panel, _chair, speaker, _discussant = bangkok
    urls = [public(workshop), public(workshop, "/agenda.ics"), public(workshop, "/schedule.json"),
            public(workshop, "/schedule.xml")]
    before = {url: client.get(url) for url in urls}
    for url in urls:  # now served from the render cache
        assert client.get(url).data == before[url].data
        assert QUIET not in before[url].get_data(as_text=True).replace("\r\n ", "")

    change(speaker, consent_to_be_named=True)

    for url in urls:
        response = client.get(url, headers={"If-None-Match": before[url].headers["ETag"]})
        assert response.status_code == 200, url
        assert response.headers["ETag"] != before[url].headers["ETag"]
        assert QUIET in response.get_data(as_text=True).replace("\r\n ", ""), url  # calendar lines unfolded

    change(speaker, consent_to_be_named=False)

    assert QUIET not in client.get(public(workshop)).get_data(as_text=True)
