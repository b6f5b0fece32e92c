"""The audit log speaks the domain (workshops/audit/labels.py): every kind of
record and every field it can record has a name a person understands, and a
related row is named, not given as a column and a number."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import event

from workshops.audit.labels import (
    RECORD_NAMES,
    explicit_label,
    field_label,
    humanise,
    record_name,
    value_text,
)
from workshops.audit.operations import NOT_AUDITED, RECORDED_TIMES, unit_of_work
from workshops.db import Base
from workshops.extensions import db


def _audited_mappers():
    return [m for m in Base.registry.mappers if m.class_.__name__ not in NOT_AUDITED]


def _recorded_fields(mapper) -> list[str]:
    """What audit/operations.py _changes can put in an entry of this model:
    its columns but the bookkeeping ones, and its many-to-many collections."""
    columns = [a.key for a in mapper.column_attrs
               if a.key not in ("id", "version") and not (a.key.endswith("_at") and a.key not in RECORDED_TIMES)]
    return columns + [r.key for r in mapper.relationships if r.secondary is not None]


def test_every_audited_model_and_field_has_a_label():
    missing_models = sorted(m.class_.__name__ for m in _audited_mappers() if m.class_.__name__ not in RECORD_NAMES)
    missing_fields = sorted(f"{m.class_.__name__}.{key}" for m in _audited_mappers() for key in _recorded_fields(m)
                            if not explicit_label(m.class_.__name__, key))
    assert not missing_models, f"add these to RECORD_NAMES in workshops/audit/labels.py: {missing_models}"
    assert not missing_fields, f"add labels for these in workshops/audit/labels.py: {missing_fields}"


def test_labels_are_words_not_column_names():
    for mapper in _audited_mappers():
        kind = mapper.class_.__name__
        assert re.fullmatch(r"[A-Z][^_]*", record_name(kind)), kind
        for key in _recorded_fields(mapper):
            assert "_" not in field_label(kind, key) and not field_label(kind, key).endswith(" id"), (kind, key)


def test_names_nobody_mapped_are_humanised():
    assert humanise("uptake_event_id") == "Uptake event"
    assert humanise("UptakeEventReference") == "Uptake event reference"
    assert record_name("SomethingNew") == "Something new"
    assert field_label("UptakeEvent", "brand_new_field") == "Brand new field"
    assert field_label("UptakeEvent", "track1_body_id") == "Track-1 body"
    assert field_label("UptakeEvent", "recorded_by_id") == "Recorded by"
    assert field_label("UptakeEvent", "date_precision") == "Date known to"
    assert record_name("UptakeEventReference") == "Reference of an uptake event"


@pytest.fixture
def typical_writes(make):
    """A workshop with a theme, a participant and a session, a recommendation
    aimed at a Track-1 body, an uptake event with a reference, then edits."""
    clerk = make.user(role="organiser", name="Clara Clerk", email="clara@example.org")
    body = make.track1_body(name="ASEAN Regional Forum", acronym="ARF")
    workshop = make.workshop(title="Maritime security dialogue", themes=[make.theme(name="Oceans")])
    make.participation(workshop=workshop, person=make.person(full_name="Ann Lee"))
    make.agenda_item(workshop=workshop, title="Opening")
    rec = make.recommendation(workshop=workshop, title="Share incident data", targets=[body])
    uptake = make.uptake_event(rec, stage="acknowledged", track1_body=body, recorded_by=clerk,
                               date_precision="month", references=[{"label": "ARF/31/CS"}])
    with unit_of_work(clerk):
        uptake.attribution = "paraphrase"
        uptake.confirmed = False
        workshop.format = "hybrid"
    return {"body": body, "clerk": clerk, "uptake": uptake}


def _text(html: str) -> str:
    main = html[html.index("<table"):html.index("</table>")]
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", main))


def test_the_log_names_records_fields_and_related_rows(client, auth, typical_writes):
    auth.login(role="admin")
    text = _text(client.get("/audit").get_data(as_text=True))
    column_names = {key for m in _audited_mappers() for key in _recorded_fields(m) if "_" in key}
    shown = {name for name in column_names if re.search(rf"\b{re.escape(name)}\b", text)}
    assert not shown, f"column names in the log: {sorted(shown)}"
    model_names = {m.class_.__name__ for m in _audited_mappers() if re.search(r"[a-z][A-Z]", m.class_.__name__)}
    assert not {n for n in model_names if n in text}, "class names in the log"
    assert "Created: Reference of an uptake event" in text and "Changed: Uptake event" in text
    words = " ".join(text.split())
    # a related row by its name, coded values by their label
    assert "Track-1 body ARF" in words and "Recorded by Clara Clerk" in words
    assert "Date known to Month" in words and "Format In person → Hybrid" in words and "Confirmed Yes → No" in words
    assert "Uptake event Acknowledged evidence" in words  # the reference's event, by its title


def test_related_rows_are_named_with_one_query_for_the_page(app, client, auth, typical_writes):
    auth.login(role="admin")
    client.get("/audit")  # warm up: the login's own queries, templates
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        html = client.get("/audit").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert "Recorded by" in html
    assert len([s for s in statements if "UNION ALL" in s]) == 1
    assert len(statements) < 12, statements


def test_a_related_row_that_cannot_be_named_is_given_by_its_kind_and_number():
    assert value_text("UptakeEvent", "track1_body_id", 10_000) == "Track-1 body #10000"
    assert value_text("UptakeEvent", "track1_body_id", 3, {("Track1Body", 3): "ARF"}) == "ARF"
    assert value_text("Workshop", "format", "in_person") == "In person"
    assert value_text("UptakeEvent", "confirmed", False) == "No"
    assert value_text("AgendaItem", "starts_at", "2028-02-22T07:30:00+00:00") == "2028-02-22 07:30 UTC"
    assert value_text("AgendaItem", "status", "scheduled") == "Scheduled"



def test_a_history_with_contact_details_hidden_is_described_in_the_same_words(make):
    """people/queries.redacted copies entries for readers who may not see contacts; the
    history macro describes those copies as it does the entries themselves."""
    from workshops.audit.labels import describe
    from workshops.audit.models import AuditEntry
    from workshops.people.queries import redacted

    person = make.person(full_name="Ana Reyes", email="ana@example.org")
    with unit_of_work(system="test"):
        person.email = "ana.reyes@example.org"
        person.full_name = "Ana Reyes-Cruz"
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_type == "Person")).all()
    described = describe(redacted(entries))
    changes = {c.label: (c.old, c.new) for e in entries for c in described[e.id]}
    assert changes["Email"] == ("(hidden)", "(hidden)")
    assert changes["Full name"] == ("Ana Reyes", "Ana Reyes-Cruz")
