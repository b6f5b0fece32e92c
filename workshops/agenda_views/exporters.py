"""One small exporter per format: iCalendar (RFC 5545), the frab / C3VOC
schedule as XML and as JSON (read by Giggity, EventFahrplan…), and the PDF
agenda. Each takes the same `AgendaSource` and returns bytes; the output
depends only on the data, so the same data gives the same bytes (cacheable
under its ETag)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
import xml.etree.ElementTree as ET  # noqa: S405  (we only write XML here, never parse it)
from dataclasses import dataclass

import icalendar

from ..core.cleaning import NOT_IN_XML
from ..core.partial_dates import format_partial_date
from ..core.zones import ZoneInfo, to_local
from ..programme.models import AgendaItem, Workshop
from ..vocab import AGENDA_KIND_LABELS
from .queries import Agenda, Speaker

PRODID = "-//Track-2 Workshops//Agenda//EN"
GENERATOR = {"name": "track2-workshops", "version": "0.1.0"}
FRAB_SCHEMA = "https://c3voc.de/schedule/schema.json"
# WeasyPrint logs every layout step at INFO; a PDF agenda is not news.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
ROLE_PHRASES = {"chair": "You chair this session.", "speaker": "You speak in this session.",
                "discussant": "You are a discussant in this session."}
# In the titles of the "my sessions only" feed: "You chair: Opening remarks".
ROLE_TITLES = {"chair": "You chair", "speaker": "You speak", "discussant": "You are discussant"}


@dataclass
class AgendaSource:
    """What every exporter needs: the workshop, its agenda (items and the
    people on them), where the agenda lives, and whose personal feed it is."""

    workshop: Workshop
    agenda: Agenda
    agenda_url: str  # the agenda page of this link (public, secret or personal)
    site_url: str  # the site's root, for stable identifiers
    last_updated: dt.datetime
    me_id: int | None = None
    mine: bool = False  # the personal link's "my sessions only" feed (queries.my_sessions)

    @property
    def items(self) -> list[AgendaItem]:
        return self.agenda.items

    @property
    def zone(self) -> ZoneInfo:
        return self.workshop.zone

    def item_url(self, item: AgendaItem) -> str:
        return f"{self.agenda_url}#item-{item.uid}"

    def people(self, item: AgendaItem, role: str) -> list[Speaker]:
        return self.agenda.on(item, role)

    def room(self, item: AgendaItem) -> str:
        return item.room or self.workshop.venue or "Main room"

    def cancelled(self, item: AgendaItem) -> bool:
        return item.status == "cancelled" or self.workshop.status == "cancelled"

    def my_roles(self, item: AgendaItem) -> list[str]:
        if self.me_id is None:
            return []
        return [p.role for p in self.agenda.on(item) if p.participation_id == self.me_id]


def workshop_notes(workshop: Workshop) -> list[tuple[str, str]]:
    """What participants read before they come, wherever they read the
    agenda (page, PDF, calendar, schedule.json): the workshop's objectives
    and its rules for participants, as (heading, text), the non-empty ones."""
    notes = (("Objectives", workshop.objectives), ("Rules for participants", workshop.rules))
    return [(heading, text.strip()) for heading, text in notes if text and text.strip()]


def no_agenda_note(workshop: Workshop) -> str:
    """Why a workshop has no sessions, when its date is known only to the
    month or the year (core/partial_dates.py), for the calendar; else ""."""
    if workshop.has_days:
        return ""
    when = format_partial_date(workshop.start_date, workshop.date_precision, workshop.approximate)
    return (f"The date of this workshop is known only to the {workshop.date_precision} ({when}), "
            "so it has no agenda: agenda items and calendar events need its days.")


def workshop_description(workshop: Workshop) -> str:
    """The notes as plain text, for a calendar's or a schedule's description."""
    return "\n\n".join(f"{heading}:\n{text}" for heading, text in workshop_notes(workshop))


def person_text(p: Speaker) -> str:
    return f"{p.name} ({p.affiliation})" if p.affiliation else p.name


def _people_lines(source: AgendaSource, item: AgendaItem) -> list[str]:
    lines = []
    for role, heading in (("chair", "Chair"), ("speaker", "Speakers"), ("discussant", "Discussants")):
        people = source.people(item, role)
        if people:
            lines.append(f"{heading}: " + "; ".join(person_text(p) for p in people))
    return lines


# --- iCalendar ---------------------------------------------------------------


class ICalendarExporter:
    """The agenda as a calendar: one VEVENT per item with a stable UID,
    times with the workshop's TZID and its VTIMEZONE block, cancelled items
    sent as STATUS:CANCELLED so calendars remove them rather than keep them."""

    def __init__(self, source: AgendaSource):
        self.source = source

    def render(self, only: AgendaItem | None = None) -> bytes:
        source, workshop = self.source, self.source.workshop
        name = workshop.title
        if source.me_id is not None:
            name = f"{workshop.title} ({'my sessions' if source.mine else 'personal agenda'})"
        feed_url = source.agenda_url + ("#my-sessions" if source.mine else "")
        description = "\n\n".join(part for part in (
            f"Agenda of {workshop.title}. Times are in {workshop.timezone}.", no_agenda_note(workshop),
            workshop_description(workshop)) if part)
        calendar = icalendar.Calendar.new(
            prodid=PRODID,
            method="PUBLISH",
            name=name,
            url=source.agenda_url,
            uid=uuid.uuid5(uuid.NAMESPACE_URL, feed_url),
            refresh_interval=dt.timedelta(hours=1),
            last_modified=source.last_updated,
        )
        # Calendar.new() would write X-WR-CALDESC unescaped, and a line break
        # in the objectives would break the feed: both as escaped TEXT.
        calendar.add("DESCRIPTION", description)
        calendar["X-WR-CALDESC"] = icalendar.vText(description)
        calendar.add("X-WR-TIMEZONE", workshop.timezone)
        calendar.add("X-PUBLISHED-TTL", dt.timedelta(hours=1))
        items = [only] if only is not None else source.items
        first, last = self._span(items)
        if workshop.timezone != "UTC":
            calendar.add_component(icalendar.Timezone.from_tzid(workshop.timezone, first_date=first, last_date=last))
        for item in items:
            calendar.add_component(self._event(item))
        calendar.add_missing_timezones(first_date=first, last_date=last)
        return calendar.to_ical()

    def _span(self, items: list[AgendaItem]) -> tuple[dt.date, dt.date]:
        """The VTIMEZONE covers a year either side of the workshop and its items."""
        dates = [self.source.workshop.start_date, self.source.workshop.end_date]
        dates += [i.starts_at.date() for i in items] + [i.ends_at.date() for i in items]
        return min(dates) - dt.timedelta(days=366), max(dates) + dt.timedelta(days=366)

    def _event(self, item: AgendaItem) -> icalendar.Event:
        source, workshop = self.source, self.source.workshop
        cancelled = source.cancelled(item)
        description = [ROLE_PHRASES[r] for r in source.my_roles(item) if r in ROLE_PHRASES]
        if item.description:
            description.append(item.description)
        description += _people_lines(source, item)
        if workshop.chatham_house:
            description.append("Held under the Chatham House rule.")
        # Calendar apps show an event's description, rarely the calendar's:
        # the rules travel with every session.
        description += [f"{heading}:\n{text}" for heading, text in workshop_notes(workshop)
                        if heading == "Rules for participants"]
        location = ", ".join(part for part in (item.room, workshop.venue, workshop.city) if part)
        event = icalendar.Event.new(
            uid=item.uid,
            start=to_local(item.starts_at, source.zone),
            end=to_local(item.ends_at, source.zone),
            stamp=item.updated_at,
            last_modified=item.updated_at,
            sequence=max(item.version - 1, 0),
            summary=("Cancelled: " if cancelled else "") + self._role_title(item) + item.title,
            description="\n\n".join(description) or None,
            location=location or None,
            url=source.item_url(item),
            status="CANCELLED" if cancelled else "CONFIRMED",
            categories=[AGENDA_KIND_LABELS.get(item.kind, item.kind)],
        )
        return event

    def _role_title(self, item: AgendaItem) -> str:
        """"You chair: " or "You chair and speak: " in the "my sessions only" feed; else ""."""
        if not self.source.mine:
            return ""
        titles = [ROLE_TITLES[r] for r in dict.fromkeys(self.source.my_roles(item)) if r in ROLE_TITLES]
        if not titles:
            return ""
        words = [titles[0]] + [t.removeprefix("You ") for t in titles[1:]]
        return (", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]) + ": "


# --- frab / C3VOC schedule -----------------------------------------------------

# The JSON schema's time_zone_name pattern: Area/Place names and UTC only.
FRAB_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def frab_acronym(slug: str) -> str:
    """The schemas differ: XML allows [a-z0-9_-]{4,}, JSON rejects a hyphen
    after the first character unless followed by a year and a word. Letters,
    digits and underscores suit both."""
    acronym = re.sub(r"[^a-z0-9_]", "_", slug.lower())
    return acronym.ljust(4, "_")


def _hours_minutes(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


class FrabSchedule:
    """The schedule as plain data, shared by the XML and JSON exporters:
    days in the workshop's zone (every day of the workshop, plus any day an
    item falls on), rooms in order of first use, events in time order."""

    def __init__(self, source: AgendaSource):
        self.source = source
        self.acronym = frab_acronym(source.workshop.slug)

    def guid(self, *parts: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join((self.source.site_url.rstrip("/"), *parts))))

    def person_guid(self, p: Speaker) -> str:
        # Derived from the record, never from an email address (a guid made
        # from an email would let anyone confirm a guessed address). An
        # unnamed speaker's guid is of this participation alone: one made from
        # the person would match the guid they have where they are named.
        if not p.named:
            return self.guid("unnamed", self.acronym, str(p.participation_id))
        if p.person_id is None:  # a guest, not a participant: of this item and name
            return self.guid("guests", self.acronym, str(p.item_id), p.name)
        return self.guid("people", str(p.person_id))

    def days(self) -> list[dict]:
        zone = self.source.zone
        by_date: dict[dt.date, list[AgendaItem]] = {d: [] for d in self.source.workshop.days()}
        for item in self.source.items:
            by_date.setdefault(to_local(item.starts_at, zone).date(), []).append(item)
        days = []
        for index, date in enumerate(sorted(by_date), start=1):
            items = by_date[date]
            if items:
                start = to_local(min(i.starts_at for i in items), zone)
                end = to_local(max(i.ends_at for i in items), zone)
            else:
                start = dt.datetime.combine(date, dt.time(0), zone)
                end = dt.datetime.combine(date, dt.time(23, 59), zone)
            rooms: dict[str, list[AgendaItem]] = {}
            for item in items:
                rooms.setdefault(self.source.room(item), []).append(item)
            days.append({"index": index, "date": date, "start": start, "end": end, "rooms": rooms})
        return days

    def rooms(self) -> list[str]:
        names: list[str] = []
        for item in self.source.items:
            name = self.source.room(item)
            if name not in names:
                names.append(name)
        return names

    def event(self, item: AgendaItem) -> dict:
        source = self.source
        start = to_local(item.starts_at, source.zone)
        end = to_local(item.ends_at, source.zone)
        kind = AGENDA_KIND_LABELS.get(item.kind, item.kind)
        people = [p for role in ("chair", "speaker", "discussant") for p in source.people(item, role)]
        return {
            "id": item.id,
            "guid": item.uid.lower(),
            "date": _iso(start),
            "end": _iso(end),
            "start": start.strftime("%H:%M"),
            "duration": _hours_minutes(item.ends_at - item.starts_at),
            "room": source.room(item),
            "slug": f"{self.acronym}-{item.uid.lower()}",
            "url": source.item_url(item),
            "title": ("Cancelled: " if source.cancelled(item) else "") + item.title,
            "subtitle": "",
            "track": kind,
            "type": item.kind,
            "language": None,
            "abstract": item.description,
            "description": "\n".join(_people_lines(source, item)),
            "persons": [{"name": p.name, "guid": self.person_guid(p)}
                        for p in people],
            "links": [],
        }

    def conference(self) -> dict:
        workshop = self.source.workshop
        data = {
            "acronym": self.acronym,
            "title": workshop.title,
            "start": workshop.start_date.isoformat(),
            "end": workshop.end_date.isoformat(),
            "daysCount": (workshop.end_date - workshop.start_date).days + 1,
            "timeslot_duration": "00:15",
            "url": self.source.agenda_url,
        }
        if FRAB_ZONE_NAME.search(workshop.timezone):
            data["time_zone_name"] = workshop.timezone
        return data

    def description(self) -> str:
        """schedule.json's conference description (the XML has no place for it)."""
        return workshop_description(self.source.workshop)

    @property
    def version(self) -> str:
        return self.source.last_updated.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


class FrabJsonExporter:
    """schedule.json against the C3VOC JSON schema (Draft 6). Persons carry
    `name` and `guid` only: adding `id` and `public_name` would match two of
    the schema's oneOf branches and fail."""

    def __init__(self, source: AgendaSource):
        self.schedule = FrabSchedule(source)

    def render(self) -> bytes:
        s = self.schedule
        conference = s.conference()
        if s.description():
            conference["description"] = s.description()
        conference["rooms"] = [{"name": name, "guid": s.guid("rooms", s.acronym, name)} for name in s.rooms()]
        conference["days"] = [
            {
                "index": day["index"],
                "date": day["date"].isoformat(),
                "day_start": _iso(day["start"]),
                "day_end": _iso(day["end"]),
                "rooms": {room: [s.event(i) for i in items] for room, items in day["rooms"].items()},
            }
            for day in s.days()
        ]
        document = {
            "$schema": FRAB_SCHEMA,
            "generator": GENERATOR,
            "schedule": {"version": s.version, "base_url": s.source.site_url, "conference": conference},
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _xml_text(value: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped."""
    return NOT_IN_XML.sub("", value)


class FrabXmlExporter:
    """schedule.xml against the C3VOC XSD."""

    def __init__(self, source: AgendaSource):
        self.schedule = FrabSchedule(source)

    def render(self) -> bytes:
        s = self.schedule
        root = ET.Element("schedule")
        ET.SubElement(root, "generator", name=GENERATOR["name"], version=GENERATOR["version"])
        ET.SubElement(root, "version").text = s.version
        conference = ET.SubElement(root, "conference")
        data = s.conference()
        for key in ("acronym", "title", "start", "end"):
            ET.SubElement(conference, key).text = _xml_text(str(data[key]))
        ET.SubElement(conference, "days").text = str(data["daysCount"])
        ET.SubElement(conference, "timeslot_duration").text = data["timeslot_duration"]
        ET.SubElement(conference, "base_url").text = s.source.site_url
        ET.SubElement(conference, "url").text = data["url"]
        if "time_zone_name" in data:
            ET.SubElement(conference, "time_zone_name").text = data["time_zone_name"]
        for day in s.days():
            day_el = ET.SubElement(
                root, "day", index=str(day["index"]), date=day["date"].isoformat(),
                start=_iso(day["start"]), end=_iso(day["end"]),
            )
            for room, items in day["rooms"].items():
                room_el = ET.SubElement(day_el, "room", name=_xml_text(room), guid=s.guid("rooms", s.acronym, room))
                for item in items:
                    self._event(room_el, s.event(item))
        ET.indent(root, space=" ")
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)

    def _event(self, parent: ET.Element, event: dict) -> None:
        el = ET.SubElement(parent, "event", id=str(event["id"]), guid=event["guid"])
        for key in ("date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track", "type",
                    "abstract", "description"):
            ET.SubElement(el, key).text = _xml_text(event[key])
        persons = ET.SubElement(el, "persons")
        for person in event["persons"]:
            ET.SubElement(persons, "person", guid=person["guid"]).text = _xml_text(person["name"])
        ET.SubElement(el, "links")


# --- PDF -------------------------------------------------------------------------


class PdfExporter:
    """The print view's HTML, typeset by WeasyPrint with the print
    stylesheets (given as text). Nothing is fetched: a link or image in the
    agenda's text cannot make the server open a URL."""

    def __init__(self, html: str, css: list[str]):
        self.html = html
        self.css = css

    def render(self) -> bytes:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher

        refuse_all = URLFetcher(allowed_protocols=frozenset())
        document = HTML(string=self.html, url_fetcher=refuse_all)
        return document.write_pdf(stylesheets=[CSS(string=text, url_fetcher=refuse_all) for text in self.css])
