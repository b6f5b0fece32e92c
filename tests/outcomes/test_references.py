"""An uptake event's sources (web addresses, uploaded files, document
symbols), its attribution and its confirmation, on the event form and the
recommendation page; migration 0009 carrying the old one-line reference
over; and an unconfirmed event counted apart, worked out by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from tests.conftest import form_errors
from workshops.documents.models import Document
from workshops.extensions import db
from workshops.models import Recommendation, UptakeEvent, UptakeEventReference
from workshops.outcomes import operations as ops
from workshops.reports.queries import build_report, resolve_filters

from .helpers import audit_entries, count, reload

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def rec(make, world):
    return make.recommendation(workshop=world.workshop, title="Hotline among coast guards", targets=[world.arf])


def _event(world, **fields) -> dict:
    return {"occurred_on": "2024-08-01", "stage": "acknowledged", "track1_body_id": str(world.arf.id),
            "evidence_kind": "statement", "title": "ARF Chairman's Statement", **fields}


def _post(client, url, data):
    return client.post(url, data=data, content_type="multipart/form-data")


def _sources(event) -> list[tuple]:
    return [(r.position, r.url, r.label, r.document.filename if r.document else None)
            for r in db.session.scalars(select(UptakeEventReference).where(UptakeEventReference.uptake_event_id
                                                                             == event.id)
                                        .order_by(UptakeEventReference.position))]


# --------------------------------------------------------------------------- the form


def test_the_form_takes_links_a_symbol_and_a_file_in_order(client, auth, world, rec):
    auth.login(role="organiser", networks=[world.network])
    form = client.get(f"/recommendations/{rec.id}/events/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and 'name="references-1-file"' in form
    assert 'name="add_reference"' in form and 'name="not_confirmed"' in form
    response = _post(client, f"/recommendations/{rec.id}/events/new", _event(
        world, attribution="explicit",
        **{"references-0-url": "https://asean.org/arf-31-chairs-statement", "references-0-label": "Statement",
           "references-1-label": "ARF/31/CS",
           "references-2-file": (io.BytesIO(PDF), "ARF statement.pdf"), "references-2-label": "Our copy"}))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    event = db.session.scalar(select(UptakeEvent))
    assert event.attribution == "explicit" and event.confirmed is True
    assert _sources(event) == [(0, "https://asean.org/arf-31-chairs-statement", "Statement", None),
                               (1, None, "ARF/31/CS", None), (2, None, "Our copy", "ARF statement.pdf")]
    assert reload(rec).stage == "acknowledged"

    document = db.session.scalar(select(Document))
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert '<a href="https://asean.org/arf-31-chairs-statement" rel="noopener noreferrer external">Statement</a>' \
        in page and "(asean.org)" in page
    assert "<code>ARF/31/CS</code>" in page
    assert f'href="/documents/{document.id}/ARF%20statement.pdf" download>Our copy</a>' in page
    assert "Explicit citation" in page
    download = client.get(f"/documents/{document.id}/ARF statement.pdf")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment")


def test_a_file_that_is_not_what_its_name_says_is_refused_at_its_row(client, auth, world, rec):
    auth.login(role="admin")
    response = _post(client, f"/recommendations/{rec.id}/events/new", _event(
        world, **{"references-0-file": (io.BytesIO(PDF), "good.pdf"),
                  "references-1-file": (io.BytesIO(PNG), "photo.pdf")}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="references-1-file-error"' in html and "is not a PDF, whatever its name says" in html
    assert "Choose your files again" in html
    assert count(UptakeEvent) == count(Document) == count(UptakeEventReference) == 0


def test_add_another_source_gives_one_more_row_and_saves_nothing(client, auth, world, rec):
    auth.login(role="admin")
    data = _event(world, **{"references-0-url": "https://asean.org/a", "references-1-url": "",
                            "add_reference": "Add another source"})
    response = _post(client, f"/recommendations/{rec.id}/events/new", data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="references-2-url"' in html and 'value="https://asean.org/a"' in html
    assert not form_errors(html)
    assert count(UptakeEvent) == 0


def test_editing_keeps_unchanged_sources_and_removes_a_file(client, auth, make, world, rec):
    auth.login(role="admin")
    assert _post(client, f"/recommendations/{rec.id}/events/new", _event(
        world, **{"references-0-url": "https://asean.org/a",
                  "references-1-file": (io.BytesIO(PDF), "copy.pdf")})).status_code == 302
    event = db.session.scalar(select(UptakeEvent))
    document = db.session.scalar(select(Document))
    form = client.get(f"/recommendations/{rec.id}/events/{event.id}/edit").get_data(as_text=True)
    assert "copy.pdf" in form and 'name="references-1-remove"' in form
    assert f'name="references-1-document_id" type="hidden" value="{document.id}"' in form
    created = len(audit_entries("UptakeEventReference", "create"))

    # Saved as it is: no source changes, so no audit entry about one.
    same = _event(world, version=str(event.version), **{"references-0-url": "https://asean.org/a",
                                                         "references-1-document_id": str(document.id)})
    assert _post(client, f"/recommendations/{rec.id}/events/{event.id}/edit", same).status_code == 302
    assert len(audit_entries("UptakeEventReference")) == created

    # Only a source changes: the event's version still rises, so an older form is refused.
    version = reload(event).version
    changed = {**same, "version": str(version), "references-1-remove": "y"}
    assert _post(client, f"/recommendations/{rec.id}/events/{event.id}/edit", changed).status_code == 302
    assert _sources(reload(event)) == [(0, "https://asean.org/a", "", None)]
    assert reload(event).version == version + 1
    assert audit_entries("UptakeEventReference", "delete")
    stale = _post(client, f"/recommendations/{rec.id}/events/{event.id}/edit", {**same, "version": str(version)})
    assert stale.status_code == 409


def test_an_unconfirmed_event_is_shown_apart_and_moves_no_stage(client, auth, make, world, rec):
    auth.login(role="admin")
    make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=dt.date(2024, 4, 20))
    response = _post(client, f"/recommendations/{rec.id}/events/new",
                     _event(world, stage="adopted", not_confirmed="y", attribution="thematic"))
    assert response.status_code == 302
    event = db.session.scalar(select(UptakeEvent).where(UptakeEvent.stage == "adopted"))
    assert event.confirmed is False and event.attribution == "thematic"
    assert reload(rec).stage == "transmitted" and reload(rec).last_event_on == dt.date(2024, 4, 20)
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    item = page[page.index(f'id="event-{event.id}"'):]
    item = item[:item.index("</li>")]
    assert "tl-unconfirmed" in page and "Not yet confirmed" in item and "counted apart until confirmed" in item
    assert "Thematic echo" in item
    assert "<em>not yet confirmed</em>" in client.get("/").get_data(as_text=True)  # the home page's latest signs
    form = client.get(f"/recommendations/{rec.id}/events/{event.id}/edit").get_data(as_text=True)
    assert 'id="not_confirmed" name="not_confirmed" type="checkbox" value="y"' in form and "checked" in form
    # Confirmed from the form: now it counts.
    assert _post(client, f"/recommendations/{rec.id}/events/{event.id}/edit", _event(
        world, stage="adopted", version=str(event.version))).status_code == 302
    assert reload(event).confirmed is True and reload(rec).stage == "adopted"


# --------------------------------------------------------------------------- migration 0009


def test_the_migration_carries_each_old_reference_over_and_back(app, make, world):
    rec = make.recommendation(workshop=world.workshop, reference="NADI-2024-7")
    link = make.uptake_event(recommendation=rec, title="Linked",
                             references=[{"url": "https://asean.org/arf/statement"}])
    symbol = make.uptake_event(recommendation=rec, title="Symbol", references=[{"label": "ARF/SOM/2025/3"}])
    bare = make.uptake_event(recommendation=rec, title="No source")
    ids, rec_id = (link.id, symbol.id, bare.id), rec.id
    db.session.remove()

    downgrade(revision="0008")
    with db.engine.connect() as conn:
        old = dict(conn.execute(text("SELECT id, reference FROM uptake_event")).all())
        assert old == {link.id: "https://asean.org/arf/statement", symbol.id: "ARF/SOM/2025/3", bare.id: ""}
        conn.execute(text("UPDATE uptake_event SET reference = 'HTTPS://ASEAN.ORG/Caps' WHERE id = :id"),
                     {"id": bare.id})
        conn.commit()
    upgrade()

    rows = {e: [(r.position, r.url, r.document_id, r.label) for r in db.session.scalars(
        select(UptakeEventReference).where(UptakeEventReference.uptake_event_id == e))] for e in ids}
    assert rows == {link.id: [(0, "https://asean.org/arf/statement", None, "")],
                    symbol.id: [(0, None, None, "ARF/SOM/2025/3")],
                    bare.id: [(0, "HTTPS://ASEAN.ORG/Caps", None, "")]}
    events = {e.id: e for e in db.session.scalars(select(UptakeEvent))}
    assert all(e.confirmed is True and e.attribution is None for e in events.values())
    assert db.session.get(Recommendation, rec_id).reference == "NADI-2024-7"  # a different thing, untouched


# --------------------------------------------------------------------------- the report, by hand


def test_unconfirmed_events_count_in_no_figure_and_are_counted_apart(client, auth, make):
    """2025, report date 31 December 2025. One workshop, 3–4 March 2025:

        A  transmitted 2025-04-01 (confirmed), acknowledged 2025-06-01 (NOT confirmed)
        B  acknowledged 2025-05-01 (NOT confirmed) only
        C  transmitted 2025-07-01 (confirmed)

    Counted: A and C transmitted, nobody acknowledged; two events in the
    year moved two recommendations; the two others are counted apart. The
    median has nothing to measure. A's CSV row has one event, B's none.
    Confirming B's event then makes B taken up after 58 days."""
    admin = make.user("admin")
    workshop = make.workshop(start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 4), status="published")
    a, b, c = (make.recommendation(workshop=workshop, title=t, reference=t) for t in ("A", "B", "C"))
    make.uptake_event(recommendation=a, stage="transmitted", occurred_on=dt.date(2025, 4, 1))
    make.uptake_event(recommendation=a, stage="acknowledged", occurred_on=dt.date(2025, 6, 1), confirmed=False)
    pending = make.uptake_event(recommendation=b, stage="acknowledged", occurred_on=dt.date(2025, 5, 1),
                                confirmed=False)
    make.uptake_event(recommendation=c, stage="transmitted", occurred_on=dt.date(2025, 7, 1))

    def report():
        return build_report(resolve_filters(2025, {"as_of": "2025-12-31"}, today=dt.date(2030, 1, 1)))

    r = report()
    reached = {s["stage"]: s["count"] for s in r.funnel["stages"]}
    assert reached == {"proposed": 3, "transmitted": 2, "acknowledged": 0, "adopted": 0, "implemented": 0}
    assert (r.funnel["fed_into_track1"], r.funnel["taken_up"]) == (2, 0)
    assert r.funnel["median_days_to_acknowledgement"] is None
    ev = r.uptake_events
    assert (ev["total"], ev["recommendations_moved"], ev["unconfirmed"]) == (2, 2, 2)
    assert {s["stage"]: s["count"] for s in ev["by_stage"]}["acknowledged"] == 0

    auth.login(admin)
    page = client.get("/reports/2025?as_of=2025-12-31").get_data(as_text=True)
    assert "2 further events are" in page and 'href="#def-unconfirmed_events"' in page
    assert "Not yet confirmed" in page  # its definition in the glossary
    data = client.get("/reports/2025.json?as_of=2025-12-31").get_json()
    assert data["uptake_events"]["unconfirmed"] == 2 and data["uptake_events"]["total"] == 2
    assert "unconfirmed_events" in data["definitions"]
    rows = list(csv.DictReader(io.StringIO(client.get("/reports/2025.csv?as_of=2025-12-31")
                                           .get_data(as_text=True).lstrip("\ufeff"))))
    by_ref = {row["Reference"]: row for row in rows}
    events_column = next(k for k in rows[0] if k.lower().startswith("uptake events") or k.lower() == "events")
    assert (by_ref["A"][events_column], by_ref["B"][events_column], by_ref["C"][events_column]) == ("1", "0", "1")

    ops.update_uptake_event(admin, pending, {"occurred_on": pending.occurred_on, "stage": "acknowledged",
                                             "evidence_kind": "document", "title": pending.title,
                                             "confirmed": True})
    r = report()
    assert (r.funnel["taken_up"], r.uptake_events["total"], r.uptake_events["unconfirmed"]) == (1, 3, 1)
    assert r.funnel["median_days_to_acknowledgement"] == 58.0  # 4 March → 1 May 2025


@pytest.mark.parametrize("fields, status", [
    ({"references-0-document_id": "abc"}, 422),
    ({"references-0-document_id": "99999999", "references-0-label": "Gone"}, 422),
    ({"references-0-document_id": "9" * 40}, 422),
    ({"references-5000-url": "https://asean.org/far-row"}, 302),
    ({"references-0-file": "not a file but text"}, 302),
    ({"references-0-remove": "y"}, 302),
    ({f"references-{i}-label": f"ARF/{i}" for i in range(30)}, 302),
    ({"references-0-url": "https://asean.org/a", "references-0-file": (io.BytesIO(PDF), "a.pdf")}, 422),
    ({"attribution": "gossip"}, 422),
])
def test_tampered_source_rows_are_refused_or_read_safely_never_half_saved(client, auth, world, rec, fields, status):
    auth.login(role="admin")
    response = _post(client, f"/recommendations/{rec.id}/events/new", _event(world, **fields))
    assert response.status_code == status, form_errors(response.get_data(as_text=True))
    if status == 422:
        assert count(UptakeEvent) == count(UptakeEventReference) == count(Document) == 0
    else:
        event = db.session.scalar(select(UptakeEvent))
        assert len(event.references) <= ops.MAX_REFERENCES
        assert count(Document) == 0
