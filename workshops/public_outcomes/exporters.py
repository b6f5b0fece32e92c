"""The Atom feed (RFC 4287) of new uptake events on a network's public
recommendations, written with the standard library's ElementTree as the
frab schedule is (agenda_views/exporters.py): every text is escaped by the
serializer, never by hand. tests/public_outcomes/test_feed.py validates it
against the RFC's RELAX NG schema and checks the RFC's rules the schema
leaves to prose (an id and updated on every entry, an author on the feed).

No person is named: the feed's author is the network itself; an event's
recorder, a recommendation's owner and the workshop's people never appear.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET  # noqa: S405  (we only write XML here, never parse it)
from dataclasses import dataclass

from ..core.cleaning import NOT_IN_XML
from ..core.partial_dates import format_partial_date
from ..outcomes.models import UptakeEvent
from ..outcomes.operations import is_web_link
from ..programme.models import Network
from ..vocab import EVIDENCE_LABELS, STAGE_LABELS

ATOM = "http://www.w3.org/2005/Atom"
MIMETYPE = "application/atom+xml"
GENERATOR = "Track-2 Workshops"


def _text(value: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped."""
    return NOT_IN_XML.sub("", value or "")


def _instant(value: dt.datetime) -> str:
    """An RFC 3339 date-time in UTC, to the second."""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def stable_id(url: str) -> str:
    """A permanent atom:id for an address: a name-based UUID, so that the
    id never changes while the address names the same thing."""
    return uuid.uuid5(uuid.NAMESPACE_URL, url).urn


@dataclass
class FeedSource:
    """What the feed is built from; the views give the absolute addresses."""

    network: Network
    events: list[UptakeEvent]
    updated: dt.datetime
    page_url: str  # the network's public outcomes page
    feed_url: str  # this feed
    site_url: str  # the site's root, for the entries' ids

    def entry_link(self, event: UptakeEvent) -> str:
        return f"{self.page_url}#rec-{event.recommendation_id}"


def _summary(event: UptakeEvent) -> str:
    when = format_partial_date(event.occurred_on, event.date_precision, event.approximate)
    body = f" of the {event.track1_body.name}" if event.track1_body is not None else ""
    parts = [f"{STAGE_LABELS[event.stage]} on {when}: {event.title}.",
             f"Evidence: {EVIDENCE_LABELS[event.evidence_kind].lower()}{body}.",
             f"Recommendation: {event.recommendation.title}."]
    symbols = [r.label for r in event.references if not (r.url and is_web_link(r.url)) and r.label]
    if symbols:
        parts.append("References: " + "; ".join(symbols) + ".")
    return " ".join(parts)


def _entry(feed: ET.Element, source: FeedSource, event: UptakeEvent) -> None:
    entry = ET.SubElement(feed, "entry")
    ET.SubElement(entry, "id").text = stable_id(f"{source.site_url}uptake-events/{event.id}")
    ET.SubElement(entry, "title").text = _text(f"{STAGE_LABELS[event.stage]}: {event.recommendation.title}")
    ET.SubElement(entry, "updated").text = _instant(event.recorded_at)
    ET.SubElement(entry, "published").text = _instant(event.recorded_at)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=source.entry_link(event))
    for reference in event.references:
        if reference.url and is_web_link(reference.url):
            attributes = {"rel": "related", "href": reference.url}
            if reference.label:
                attributes["title"] = _text(reference.label)
            ET.SubElement(entry, "link", attributes)
    ET.SubElement(entry, "category", term=event.stage, label=STAGE_LABELS[event.stage])
    ET.SubElement(entry, "summary", type="text").text = _text(_summary(event))


def atom_feed(source: FeedSource) -> bytes:
    """The feed document, UTF-8, newest entry first."""
    network = source.network
    feed = ET.Element("feed", xmlns=ATOM)
    feed.set("xml:lang", "en")
    ET.SubElement(feed, "id").text = stable_id(source.page_url)
    ET.SubElement(feed, "title").text = _text(f"{network.acronym}: uptake of its public recommendations")
    ET.SubElement(feed, "subtitle").text = _text(
        f"New signs that Track-1 took up the recommendations {network.name} published.")
    ET.SubElement(feed, "updated").text = _instant(source.updated)
    author = ET.SubElement(feed, "author")
    ET.SubElement(author, "name").text = _text(network.name)
    if network.website and is_web_link(network.website):
        ET.SubElement(author, "uri").text = network.website
    ET.SubElement(feed, "link", rel="self", type=MIMETYPE, href=source.feed_url)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=source.page_url)
    ET.SubElement(feed, "generator").text = GENERATOR
    for event in source.events:
        _entry(feed, source, event)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
