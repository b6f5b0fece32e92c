"""Hostile text in every text field, typed into the app's own forms, comes
out escaped or neutralised in every output: the HTML pages, the PDF agenda
and report, iCalendar, frab XML and JSON, CSV and XLSX, and the API.

The app's policy for control characters: C0 controls other than tab, line
feed and carriage return (and DEL) are removed on input, by each form and by
the operations the API shares; a NUL never reaches the database (PostgreSQL
refuses it). Right-to-left marks are text and are kept, escaped like the
rest. Spreadsheet cells that start with = + - @ get a leading quote.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest
from icalendar import Calendar
from lxml import etree
from openpyxl import load_workbook
from sqlalchemy import String, Text, select

from workshops.api.operations import create_token
from workshops.extensions import db
from workshops.models import (
    AgendaItem,
    MemberInstitute,
    Network,
    Participation,
    Person,
    Recommendation,
    Series,
    Track1Body,
    UptakeEvent,
    UptakeEventReference,
    Workshop,
)

from ..conftest import log_in

SCRIPT = "<script>alert(1)</script>"
QUOTES = "\"' onmouseover=\"alert(1)"
TEMPLATE = "{{ 7*7 }}{% if 1 %}x{% endif %}"
RTL = "\u202eexe.txt"
CONTROLS = "".join(chr(c) for c in range(0x20))
FORMULAS = ("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)")
ICS_BREAK = "\nATTENDEE:mailto:evil@example.org\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected"
# Control characters the app removes (tab, line feed and carriage return stay).
REMOVED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def hostile(n: int, limit: int, multiline: bool = False) -> str:
    """The n-th hostile value, cut to the field's limit: a formula start,
    markup, quotes, template syntax, a right-to-left mark and every C0
    control character."""
    value = f"{FORMULAS[n % len(FORMULAS)]} {SCRIPT} {QUOTES} {TEMPLATE} {RTL} {CONTROLS} end"
    if multiline:
        value += ICS_BREAK
    return value[:limit]


def hostile_name(n: int, limit: int) -> str:
    """The n-th hostile value for a person's name: the same, less the
    right-to-left override, which a name refuses (core/cleaning.py)."""
    return hostile(n, limit).replace("\u202e", "")


def long_hostile(limit: int) -> str:
    """As long as the field takes (its maximum), hostile all through."""
    chunk = hostile(0, 10_000, multiline=True) + "\n"
    return (chunk * (limit // len(chunk) + 1))[:limit]


def words(value: str) -> str:
    """A value as the app may keep it: controls removed (a one-line field
    may also turn tabs and line breaks into spaces), blanks collapsed."""
    return " ".join(REMOVED.sub("", value).split())


@dataclass
class Hostile:
    workshop: Workshop
    item: AgendaItem
    rec: Recommendation
    person: Person
    body: Track1Body
    admin: object
    token: str


def _post(client, url: str, data: dict, expect=(302, 303)):
    response = client.post(url, data=data)
    assert response.status_code in expect, (url, response.status_code, response.get_data(as_text=True)[:2000])
    return response


@pytest.fixture
def world(app, client, make) -> Hostile:
    """Everything typed by an admin through the web forms."""
    admin = make.user(role="admin", name="Admin")
    log_in(client, admin)
    theme = make.theme(name="Maritime security")
    _post(client, "/networks/new", {"acronym": "HOSTILE", "name": hostile(0, 200),
                                    "description": long_hostile(10_000)})
    network = db.session.scalar(select(Network).where(Network.acronym == "HOSTILE"))
    _post(client, f"/networks/{network.id}/institutes/new", {
        "name": hostile(1, 200), "acronym": hostile(2, 40), "country": "SG", "city": hostile(3, 100),
        "networks": [network.id]})
    institute = db.session.scalar(select(MemberInstitute))
    _post(client, "/series/new", {"network": network.id, "name": hostile(2, 200), "kind": "workshop_series",
                                  "description": long_hostile(10_000)})
    series = db.session.scalar(select(Series))
    _post(client, "/workshops/new", {
        "title": hostile(3, 300), "series": series.id, "host": institute.id, "start_date": "2025-06-03",
        "end_date": "2025-06-04", "timezone": "Asia/Jakarta", "format": "in_person", "venue": hostile(0, 200),
        "city": hostile(1, 100), "country": "ID", "visibility": "public", "chatham_house": "y",
        "objectives": long_hostile(20_000), "rules": hostile(2, 20_000, multiline=True), "themes": [theme.id]})
    workshop = db.session.scalar(select(Workshop))
    _post(client, f"/workshops/{workshop.id}/publish", {"version": workshop.version})
    _post(client, f"/workshops/{workshop.id}/participants/add", {
        "full_name": hostile_name(1, 200), "honorific": hostile_name(2, 40), "email": "", "role": "speaker",
        "status": "confirmed", "sector": "academia", "country": "SG", "affiliation": hostile(3, 200),
        "consent_to_list": "y", "different_person": "y"})
    participation = db.session.scalar(select(Participation))
    person = participation.person
    _post(client, f"/people/{person.id}/edit", {
        "full_name": hostile_name(1, 200), "honorific": hostile_name(2, 40), "email": "", "phone": hostile(0, 40),
        "affiliation": hostile(3, 200), "country": "SG", "sector": "academia", "notes": long_hostile(10_000),
        "version": person.version})
    _post(client, f"/workshops/{workshop.id}/agenda/new", {
        "title": hostile(0, 300), "kind": "panel", "day": "2025-06-03", "start": "09:00", "end": "10:30",
        "room": hostile(1, 100), "description": hostile(2, 20_000, multiline=True), "status": "scheduled",
        "speakers": [participation.id]})
    item = db.session.scalar(select(AgendaItem))
    _post(client, "/track1-bodies/new", {"name": hostile(3, 200), "acronym": hostile(0, 40),
                                         "kind": "regional_forum", "level": "", "established": hostile(1, 200),
                                         "description": long_hostile(10_000)})
    body = db.session.scalar(select(Track1Body))
    _post(client, f"/workshops/{workshop.id}/recommendations/new", {
        "title": hostile(1, 300), "reference": hostile(2, 40), "text": long_hostile(20_000), "priority": "high",
        "theme_ids": [theme.id], "target_ids": [body.id], "agenda_item_id": item.id})
    rec = db.session.scalar(select(Recommendation))
    _post(client, f"/recommendations/{rec.id}/events/new", {
        "occurred_on": "2025-07-01", "stage": "acknowledged", "track1_body_id": body.id,
        "evidence_kind": "statement", "title": hostile(0, 300), "references-0-label": hostile(3, 500),
        "excerpt": long_hostile(5_000)})
    assert db.session.scalar(select(UptakeEvent)) is not None
    token = create_token(admin, admin, "injection")[1]
    db.session.expire_all()
    return Hostile(workshop=db.session.get(Workshop, workshop.id), item=db.session.get(AgendaItem, item.id),
                   rec=db.session.get(Recommendation, rec.id), person=db.session.get(Person, person.id),
                   body=db.session.get(Track1Body, body.id), admin=admin, token=token)


def _text_values() -> list[tuple[str, str]]:
    """Every text value of the domain's tables, as (table.column, value)."""
    values = []
    for model in (Network, MemberInstitute, Series, Workshop, AgendaItem, Person, Participation,
                  Recommendation, UptakeEvent, UptakeEventReference, Track1Body):
        columns = [c for c in model.__table__.columns if isinstance(c.type, (String, Text))]
        for row in db.session.execute(select(*columns)):
            values += [(f"{model.__tablename__}.{c.name}", v) for c, v in zip(columns, row, strict=True) if v]
    return values


def test_control_characters_are_removed_on_input_and_the_rest_is_kept(world):
    values = _text_values()
    assert values
    for where, value in values:
        assert not REMOVED.search(value), f"{where} kept a control character: {value[:80]!r}"
    assert words(world.workshop.title) == words(hostile(3, 300))
    assert words(world.item.description) == words(hostile(2, 20_000, multiline=True))
    assert words(world.person.full_name) == words(hostile_name(1, 200))
    assert RTL in world.rec.title and SCRIPT in world.rec.title and TEMPLATE in world.rec.title
    assert len(world.workshop.objectives) > 15_000  # the long text was taken (less its controls), not cut short


def test_a_text_longer_than_the_field_is_refused_with_a_message_and_nothing_saved(world, client):
    too_long = long_hostile(100_000)
    before = db.session.get(Workshop, world.workshop.id).objectives
    response = client.post(f"/recommendations/{world.rec.id}/edit", data={
        "title": "Still a title", "text": too_long, "priority": "high", "version": world.rec.version})
    assert response.status_code == 422
    assert "Field cannot be longer than" in response.get_data(as_text=True) or \
        "characters" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Recommendation, world.rec.id).title == world.rec.title
    assert db.session.get(Workshop, world.workshop.id).objectives == before


def _assert_escaped_html(html: str, where: str) -> None:
    assert SCRIPT not in html, f"{where}: raw <script> in the page"
    assert "onmouseover=\"alert(1)" not in html, f"{where}: an attribute could be injected"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, f"{where}: the hostile text is not shown (escaped)"
    assert not REMOVED.search(html), f"{where}: a control character in the page"
    # Jinja did not evaluate what was typed: the braces are shown as typed.
    assert "{{ 7*7 }}" in html, f"{where}: template syntax was not shown as text"


def test_every_html_page_shows_the_text_escaped(world, client):
    w, rec = world.workshop, world.rec
    pages = [
        "/", f"/workshops/{w.id}", f"/workshops/{w.id}/agenda", f"/workshops/{w.id}/agenda/{world.item.id}/edit",
        f"/workshops/{w.id}/edit", f"/workshops/{w.id}/participants", f"/workshops/{w.id}/recommendations",
        f"/workshops?network={w.series.network_id}", f"/agenda/{w.slug}", "/agenda/",
        f"/agenda/{w.slug}/links", f"/recommendations/{rec.id}", f"/recommendations/{rec.id}/edit",
        "/recommendations", "/recommendations?q=script", f"/people/{world.person.id}", "/people",
        f"/people/{world.person.id}/edit", f"/track1-bodies/{world.body.id}", "/track1-bodies",
        f"/networks/{w.series.network_id}", "/networks", f"/series/{w.series_id}", "/series",
        "/search?q=alert", "/audit", "/reports/2025", "/follow-up",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        _assert_escaped_html(response.get_data(as_text=True), page)


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext is not installed (apt-get install poppler-utils): the PDFs' text "
                           "cannot be read back")
def test_the_pdf_agenda_and_report_show_the_text_as_text(world, client, tmp_path):
    agenda = client.get(f"/agenda/{world.workshop.slug}/agenda.pdf")
    assert agenda.status_code == 200 and agenda.data.startswith(b"%PDF")
    text = _pdf_text(agenda.data, tmp_path)
    assert "<script>alert(1)</script>" in text  # typeset as the characters typed
    assert "{{ 7*7 }}" in text and "49" not in text.split("{{ 7*7 }}")[0][-3:]
    report = client.get("/reports/2025.pdf")
    assert report.status_code == 200 and report.data.startswith(b"%PDF")
    text = _pdf_text(report.data, tmp_path)
    assert "<script>alert(1)" in text  # the Track-1 body's acronym (40 characters at most)


def test_icalendar_carries_the_text_as_property_values_only(world, client):
    for url in (f"/agenda/{world.workshop.slug}/agenda.ics", f"/agenda/{world.workshop.slug}/items/{world.item.uid}.ics"):
        response = client.get(url)
        assert response.status_code == 200
        calendar = Calendar.from_ical(response.data)
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 1, f"{url}: the description added an event"
        event = events[0]
        assert "ATTENDEE" not in event, f"{url}: the description added a property"
        assert str(event["SUMMARY"]) == world.item.title
        assert str(event["DESCRIPTION"]).startswith(world.item.description.split("\n")[0])
        assert "ATTENDEE:mailto:evil@example.org" in str(event["DESCRIPTION"])
        assert str(event["LOCATION"]).startswith(world.item.room) or world.item.room in str(event["LOCATION"])
        assert not REMOVED.search(response.data.decode("utf-8"))


def test_frab_xml_and_json_hold_the_text_as_text(world, client):
    xml = client.get(f"/agenda/{world.workshop.slug}/schedule.xml")
    assert xml.status_code == 200
    tree = etree.fromstring(xml.data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    assert not tree.xpath("//script"), "markup in a title became an element"
    titles = {words(e.text or "") for e in tree.iter("title")}
    assert words(world.item.title) in titles and words(world.workshop.title) in titles
    schedule = json.loads(client.get(f"/agenda/{world.workshop.slug}/schedule.json").data)
    texts = {words(s) for s in _strings(schedule)}
    assert words(world.item.title) in texts and words(world.workshop.title) in texts


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _assert_neutralised(cells, where: str) -> None:
    hostile_cells = [c for c in cells if isinstance(c, str) and ("alert(1)" in c)]
    assert hostile_cells, f"{where}: no hostile text exported"
    for cell in cells:
        if isinstance(cell, str):
            assert not cell.startswith(("=", "+", "-", "@")), f"{where}: a formula cell {cell[:40]!r}"
            assert not REMOVED.search(cell), f"{where}: a control character in {cell[:40]!r}"
    assert all(c.startswith("'") for c in hostile_cells if words(c)[:1] in ("=", "+", "-", "@")), where
    assert any(c.startswith(("'=", "'+", "'-", "'@")) for c in hostile_cells), f"{where}: formulas not kept as text"


def test_csv_and_xlsx_exports_neutralise_formulas(world, client):
    w = world.workshop
    for url in (f"/workshops/{w.id}/participants.csv", "/reports/2025.csv"):
        response = client.get(url)
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        _assert_neutralised([c for row in rows for c in row], url)
    for url in (f"/workshops/{w.id}/participants.xlsx", "/reports/2025.xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.data), read_only=True)
        cells = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
        _assert_neutralised(cells, url)


def test_the_api_and_json_exports_give_the_text_exactly(world, client):
    auth = {"Authorization": f"Bearer {world.token}"}
    answers = {
        f"/api/v1/workshops/{world.workshop.id}": lambda d: d["title"] == world.workshop.title,
        f"/api/v1/recommendations/{world.rec.id}": lambda d: d["title"] == world.rec.title
        and d["events"][0]["title"] == world.rec.events[0].title,
        f"/api/v1/people/{world.person.id}": lambda d: d["full_name"] == world.person.full_name,
        f"/api/v1/track1-bodies/{world.body.id}": lambda d: d["name"] == world.body.name,
        "/reports/2025.json": lambda d: SCRIPT in json.dumps(d, ensure_ascii=False),
    }
    for url, check in answers.items():
        response = client.get(url, headers=auth)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
        assert response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert check(json.loads(response.data)), url

