"""A workshop's objectives and rules for participants reach the
participants wherever they read the agenda: the public, secret-link and
personal pages, the PDF, the calendar (the calendar's own description and
every session's) and schedule.json."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import icalendar
import pytest

from workshops.programme.models import new_token

from .conftest import change
from .test_agenda_page import text_of
from .test_frab import assert_valid_json, assert_valid_xml

OBJECTIVES = "Agree three practical steps on fisheries incidents.\nDraft a memo for the ARF ISM."
RULES = "Chatham House rule. No media. Business attire."


@pytest.fixture
def manila(make):
    workshop = make.workshop(title="Fisheries and the Law of the Sea", timezone="Asia/Manila",
                             visibility="participants", start_date=dt.date(2025, 10, 7),
                             end_date=dt.date(2025, 10, 8), objectives=OBJECTIVES, rules=RULES)
    participation = make.participation(workshop=workshop, personal_token=new_token())
    make.agenda_item(workshop=workshop, day=0, start="09:00", end="10:00", title="Opening")
    make.agenda_item(workshop=workshop, day=1, start="09:00", end="10:00", title="Drafting")
    return workshop, participation


def urls(workshop, participation, suffix: str = "") -> list[str]:
    return [f"/agenda/{workshop.slug}/s/{workshop.secret_token}{suffix}",
            f"/agenda/{workshop.slug}/p/{participation.personal_token}{suffix}"]


def test_every_agenda_page_shows_the_objectives_and_the_rules(client, make, manila):
    workshop, participation = manila
    change(workshop, visibility="public")

    for url in [f"/agenda/{workshop.slug}", *urls(workshop, participation)]:
        html = client.get(url).get_data(as_text=True)
        page = text_of(html)
        assert "Objectives Agree three practical steps on fisheries incidents." in page, url
        assert "Draft a memo for the ARF ISM." in page, url
        assert f"Rules for participants {RULES}" in page, url
        # The rules come before the sessions: read before anyone arrives.
        assert page.index(RULES) < page.index("Opening")


def test_a_workshop_without_them_shows_no_empty_headings(client, make):
    workshop = make.workshop(visibility="public", objectives="", rules="  \n ")
    make.agenda_item(workshop=workshop)

    html = client.get(f"/agenda/{workshop.slug}").get_data(as_text=True)

    assert "Objectives" not in html and "Rules for participants" not in html


def test_the_calendar_describes_the_workshop_and_each_session_carries_the_rules(client, manila):
    workshop, participation = manila

    for url in urls(workshop, participation, "/agenda.ics"):
        raw = client.get(url).data
        calendar = icalendar.Calendar.from_ical(raw)
        description = str(calendar["DESCRIPTION"])
        assert f"Objectives:\n{OBJECTIVES}" in description
        assert f"Rules for participants:\n{RULES}" in description
        # X-WR-CALDESC (what Apple and Google Calendar show) as escaped TEXT:
        # a line break in the objectives must not break the feed.
        lines: dict[str, str] = {}  # the calendar's own properties come before its events'
        for line in raw.decode().replace("\r\n ", "").split("\r\n"):
            if ":" in line:
                lines.setdefault(*line.split(":", 1))
        assert lines["X-WR-CALDESC"] == lines["DESCRIPTION"]
        assert lines["X-WR-CALDESC"].startswith("Agenda of Fisheries and the Law of the Sea.")
        assert "\\nDraft a memo" in lines["X-WR-CALDESC"]
        assert len(calendar.events) == 2
        for event in calendar.events:
            assert f"Rules for participants:\n{RULES}" in str(event["DESCRIPTION"])
            assert "Objectives" not in str(event["DESCRIPTION"])


def test_schedule_json_carries_them_as_the_conference_description(client, manila):
    workshop, participation = manila

    data = client.get(urls(workshop, participation, "/schedule.json")[0]).get_json()
    assert_valid_json(data)
    assert data["schedule"]["conference"]["description"] == (
        f"Objectives:\n{OBJECTIVES}\n\nRules for participants:\n{RULES}")
    # The XML schema has no place for a description; it stays valid.
    assert_valid_xml(client.get(urls(workshop, participation, "/schedule.xml")[0]).data)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed (poppler-utils)")
def test_the_pdf_agenda_shows_the_objectives_and_the_rules(client, manila, tmp_path):
    workshop, participation = manila

    for url in urls(workshop, participation, "/agenda.pdf"):
        path = tmp_path / "agenda.pdf"
        path.write_bytes(client.get(url).data)
        result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S603, S607
                                capture_output=True, timeout=60, check=True)
        text = result.stdout.decode("utf-8")
        assert "Objectives" in text and "Draft a memo for the ARF ISM." in text
        assert "Rules for participants" in text and RULES in " ".join(text.split())
