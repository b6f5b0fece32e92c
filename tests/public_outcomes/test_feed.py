"""The Atom feed of new uptake events on a network's public
recommendations: valid against RFC 4287's RELAX NG schema
(tests/fixtures/atom.rng) and the RFC's rules the schema leaves to its
Schematron annotations and prose."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from workshops.public_outcomes.exporters import MIMETYPE

from .conftest import PEOPLE

NS = {"a": "http://www.w3.org/2005/Atom"}
SCHEMA = Path(__file__).parent.parent / "fixtures" / "atom.rng"


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def rfc_problems(feed: etree._Element) -> list[str]:
    """RFC 4287's rules beyond the grammar: 4.1.1 (the feed's author, or
    one on every entry or its source), 4.1.2 (an entry's alternate link or
    content), 4.2.6/4.2.15 (ids that are absolute IRIs, updated with a zone),
    4.1.1 (no two entries with the same id and updated)."""
    problems = []
    entries = feed.findall("a:entry", NS)
    if feed.find("a:author", NS) is None:
        for entry in entries:
            if entry.find("a:author", NS) is None and entry.find("a:source/a:author", NS) is None:
                problems.append("an entry without an author in a feed without one")
    seen = set()
    for element in [feed, *entries]:
        ids = element.findall("a:id", NS)
        updated = element.findall("a:updated", NS)
        if len(ids) != 1 or len(updated) != 1:
            problems.append(f"{element.tag}: {len(ids)} ids and {len(updated)} updated")
            continue
        if ":" not in ids[0].text:
            problems.append(f"an id that is not an absolute IRI: {ids[0].text}")
        stamp = updated[0].text
        if not (stamp.endswith("Z") or stamp[-6] in "+-"):
            problems.append(f"an updated without a zone: {stamp}")
        dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        if element is not feed:
            key = (ids[0].text, stamp)
            if key in seen:
                problems.append(f"two entries {key}")
            seen.add(key)
            alternate = [link for link in element.findall("a:link", NS) if link.get("rel", "alternate") == "alternate"]
            if not alternate and element.find("a:content", NS) is None:
                problems.append("an entry with neither an alternate link nor content")
    return problems


def _feed(client, name="nadi"):
    response = client.get(f"/outcomes/{name}/feed.atom")
    assert response.status_code == 200
    return response


def test_the_feed_is_valid_atom(client, world, atom_schema):
    response = _feed(client)
    assert response.mimetype == MIMETYPE
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    document = etree.fromstring(response.data)
    assert atom_schema.validate(document), atom_schema.error_log
    assert rfc_problems(document) == []


def test_the_checks_catch_what_they_are_meant_to_catch(atom_schema):
    no_id = etree.fromstring(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
                             b'<updated>2024-01-01T00:00:00Z</updated></feed>')
    assert not atom_schema.validate(no_id)
    entry_without_author = etree.fromstring(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id>'
        b'<updated>2024-01-01T00:00:00Z</updated><entry><title>e</title><id>urn:y</id>'
        b'<updated>2024-01-01T00:00:00</updated></entry></feed>')
    assert atom_schema.validate(entry_without_author)  # the grammar lets these through …
    assert rfc_problems(entry_without_author) == [  # … the RFC's rules do not
        "an entry without an author in a feed without one", "an updated without a zone: 2024-01-01T00:00:00",
        "an entry with neither an alternate link nor content"]


def test_entries_are_the_confirmed_events_of_shown_recommendations(client, world):
    document = etree.fromstring(_feed(client).data)
    titles = [e.findtext("a:title", namespaces=NS) for e in document.findall("a:entry", NS)]
    shown, output = world.recs["shown"], world.recs["output"]
    # Newest recorded first; the unconfirmed, private and unmarked events are not there.
    assert titles == [f"Transmitted: {output.title}", f"Acknowledged: {shown.title}"]
    entry = document.findall("a:entry", NS)[1]
    assert entry.findtext("a:updated", namespaces=NS) == "2024-08-05T09:30:00Z"
    links = {link.get("rel"): link.get("href") for link in entry.findall("a:link", NS)}
    assert links["alternate"] == f"http://localhost/outcomes/nadi#rec-{shown.id}"
    assert links["related"] == "https://asean.example.org/arf-statement.pdf"
    summary = entry.findtext("a:summary", namespaces=NS)
    assert "Acknowledged on 2 August 2024: ARF chairman's statement welcomes the idea." in summary
    assert "of the ASEAN Regional Forum" in summary and "ARF/SOM/2024/3" in summary
    assert entry.find("a:category", NS).get("term") == "acknowledged"
    assert document.findtext("a:updated", namespaces=NS) == "2024-10-01T00:00:00Z"
    assert document.findtext("a:author/a:name", namespaces=NS) == world.nadi.name
    # Escaped by the serializer: the title's <, > and & come back as they were.
    assert "&lt;every two years&gt; &amp; more" in _feed(client).get_data(as_text=True)
    text = _feed(client).get_data(as_text=True)
    for name in PEOPLE:
        assert name not in text


def test_ids_are_stable_and_the_feed_is_conditional(client, world):
    first = _feed(client)
    again = client.get("/outcomes/NADI/feed.atom")
    assert first.data == again.data  # the acronym's case changes nothing, ids included
    assert first.headers["Cache-Control"] == "public, no-cache"
    assert client.get("/outcomes/nadi/feed.atom", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_an_empty_feed_is_valid_too(client, make, atom_schema):
    make.network(acronym="ISIS", slug="asean-isis", name="ASEAN-ISIS & friends <test>")
    from workshops.extensions import db
    db.session.commit()
    document = etree.fromstring(_feed(client, "isis").data)
    assert atom_schema.validate(document), atom_schema.error_log
    assert rfc_problems(document) == []
    assert document.findall("a:entry", NS) == []
    assert document.findtext("a:author/a:name", namespaces=NS) == "ASEAN-ISIS & friends <test>"
