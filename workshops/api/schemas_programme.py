"""The API's programme models: networks, series, workshops and agenda items."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import ConfigDict, Field

from .. import vocab
from ..programme.models import AgendaItem, Workshop
from ..programme.queries import SORTS as WORKSHOP_SORTS
from .schemas_common import (
    Body,
    Clock,
    CountryCode,
    Day,
    Id,
    IdList,
    InstituteRef,
    NetworkRef,
    Out,
    Page,
    Query,
    SeriesRef,
    ThemeOut,
    Version,
    Year,
    choice,
    text,
)

# ---------------------------------------------------- networks and series


class NetworkOut(Out):
    id: int
    slug: str
    acronym: str
    name: str
    description: str
    website: str
    founded_year: int | None
    institutes: int = Field(description="Member institutes.")
    series: int = Field(description="Series the network runs.")
    workshops: int = Field(description="Workshops it organised, as lead or co-organiser.")
    version: int


class NetworkPage(Page[NetworkOut]):
    pass


class SeriesStatusOut(Out):
    status: choice(vocab.SERIES_STATUSES)
    effective_on: dt.date
    note: str


class SeriesOut(Out):
    id: int
    slug: str
    name: str
    kind: choice(vocab.SERIES_KINDS)
    description: str
    network: NetworkRef
    status: choice(vocab.SERIES_STATUSES) | None = Field(description="The latest lifecycle step, if any.")
    status_history: list[SeriesStatusOut] = Field(description="Lifecycle steps, oldest first.")
    version: int


class SeriesPage(Page[SeriesOut]):
    pass


class SeriesQuery(Query):
    network: Id | None = Field(None, description="Only the series of this network (id).")
    status: choice(vocab.SERIES_STATUSES) | None = Field(None, description="Only series whose latest step is this.")


# ------------------------------------------------------------- workshops


class WorkshopInstituteOut(Out):
    institute_id: int
    role: choice(vocab.INSTITUTE_ROLES) = Field(description="host, co_organiser or funder (sponsor/funder).")
    institute: InstituteRef


class WorkshopInstituteIn(Body):
    institute_id: Id = Field(description="The institute (id).")
    role: choice(vocab.INSTITUTE_ROLES) = Field(description="host, co_organiser or funder (sponsor/funder).")


class WorkshopOut(Out):
    id: int
    slug: str
    title: str
    series: SeriesRef | None = Field(description="Null for a one-off meeting.")
    series_id: int | None = Field(description="The series (id); null for a one-off meeting.")
    network: NetworkRef = Field(description="The lead network.")
    network_id: int = Field(description="The lead network (id).")
    network_ids: list[int] = Field(description=(
        "The networks that co-organise it besides the lead (ids). Organisers of any of the workshop's "
        "networks may change it."))
    institutes: list[WorkshopInstituteOut] = Field(description="Its institutes, each in a role.")
    host: InstituteRef | None = Field(description="The first host institute (also in `institutes`).")
    venue: str
    city: str
    country: str | None = Field(description="ISO 3166-1 alpha-2 code; null for an online meeting.")
    timezone: str = Field(description="The venue's IANA time zone; agenda times are shown in it.")
    start_date: dt.date
    end_date: dt.date
    date_precision: choice(vocab.DATE_PRECISIONS) = Field(description=(
        "How well the dates are known: day, month or year. For a month or a year, start_date is its "
        "first day (the 1st, 1 January) and end_date the same day."))
    approximate: bool = Field(description="The date is approximate (“c. 2008”, “2008?”).")
    format: choice(vocab.FORMATS)
    visibility: choice(vocab.VISIBILITIES)
    status: choice(vocab.WORKSHOP_STATUSES)
    chatham_house: bool
    themes: list[ThemeOut]
    updated_at: dt.datetime
    version: int


class WorkshopPage(Page[WorkshopOut]):
    pass


class AgendaPersonOut(Out):
    """In the order chosen; a guest (not a participant) has no participation_id."""
    role: choice(vocab.AGENDA_PERSON_ROLES)
    participation_id: int | None
    name: str
    affiliation: str
    to_be_confirmed: bool = False


class AgendaItemOut(Out):
    id: int
    uid: str = Field(description="A stable identifier (also the UID of the calendar event).")
    kind: choice(vocab.AGENDA_KINDS)
    title: str
    description: str
    room: str
    status: choice(vocab.AGENDA_ITEM_STATUSES)
    starts_at: dt.datetime = Field(description="In UTC.")
    ends_at: dt.datetime = Field(description="In UTC.")
    day: dt.date = Field(description="The day in the workshop's time zone.")
    start: str = Field(description="Local start time in the workshop's time zone, HH:MM.")
    end: str = Field(description="Local end time in the workshop's time zone, HH:MM.")
    people: list[AgendaPersonOut] = Field(description="Chairs, speakers and discussants, in order.")
    version: int


class AgendaWarningOut(Out):
    kind: Literal["room", "person"]
    item_ids: list[int]
    message: str


class AgendaItemSaved(AgendaItemOut):
    warnings: list[AgendaWarningOut] = Field(description=(
        "Allowed but worth a second look: the same room or person in two items at once."))


class Agenda(Out):
    workshop: WorkshopOut
    timezone: str = Field(description="The IANA time zone the local days and times are in.")
    items: list[AgendaItemOut] = Field(description="In time order.")


class WorkshopDetail(WorkshopOut):
    objectives: str
    rules: str
    agenda: list[AgendaItemOut] = Field(description="The agenda in time order.")


class WorkshopQuery(Query):
    network: Id | None = Field(None, description=(
        "Only workshops this network (id) organised, as lead or co-organiser."))
    series: Id | None = Field(None, description="Only workshops of this series (id).")
    year: Year | None = Field(None, description="Only workshops starting in this year.")
    theme: Id | None = Field(None, description="Only workshops with this theme (id).")
    country: CountryCode | None = Field(None, description="Only workshops in this country (ISO alpha-2).")
    status: choice(vocab.WORKSHOP_STATUSES) | None = None
    format: choice(vocab.FORMATS) | None = None
    slug: text(Workshop.slug, "The workshop with this web address (the end of /agenda/<slug>).") | None = None
    sort: choice(tuple(WORKSHOP_SORTS)) = "date_desc"


class WorkshopCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "title": "NADI Workshop on Climate Resilience", "series": 1, "start_date": "2025-10-14",
        "end_date": "2025-10-15", "timezone": "Asia/Bangkok", "country": "TH", "city": "Bangkok",
        "visibility": "public", "themes": [1]}]})

    title: text(Workshop.title)
    series: Id | None = Field(None, description=(
        "The series (id) the meeting belongs to; omitted or null for a one-off meeting. Its network must be "
        "the lead network or one of `networks`."))
    network: Id | None = Field(None, description="The lead network (id); the series' network when omitted.")
    networks: IdList = Field(default_factory=list, description="Co-organising networks (ids).")
    institutes: list[WorkshopInstituteIn] = Field(default_factory=list, max_length=40, description=(
        "Institutes in roles: host, co_organiser, funder."))
    start_date: Day
    end_date: Day | None = Field(None, description="The last day; the first day when omitted.")
    date_precision: choice(vocab.DATE_PRECISIONS) = Field("day", description=(
        "day, month or year. For a month give its first day as start_date (2007-06-01), for a year its "
        "1 January, and no other end_date; a precision that contradicts its date is refused."))
    approximate: bool = Field(False, description="The date is approximate (“c. 2008”, “2008?”).")
    timezone: text(Workshop.timezone, "The venue's IANA time zone, e.g. Asia/Jakarta.")
    slug: text(Workshop.slug, "The web address; made from the title when omitted.") = ""
    venue: text(Workshop.venue) = ""
    city: text(Workshop.city) = ""
    country: CountryCode | None = Field(None, description=(
        "ISO alpha-2; required unless the format is online, and refused (leave it null) when it is."))
    format: choice(vocab.FORMATS) = "in_person"
    visibility: choice(vocab.VISIBILITIES) = "participants"
    chatham_house: bool = True
    objectives: text(20000) = ""
    rules: text(20000) = ""
    themes: IdList = Field(default_factory=list, description="Theme ids.")


class WorkshopUpdate(Body):
    """Only the fields given change."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"version": 1, "venue": "Shangri-La Hotel", "start_date": "2025-10-15", "end_date": "2025-10-16"}]})

    version: Version
    title: text(Workshop.title) = None
    series: Id | None = Field(None, description=(
        "Move the workshop to another series (id), or null to make it a one-off meeting."))
    network: Id = Field(None, description="The lead network (id).")
    networks: IdList = Field(None, description="Co-organising networks (ids); replaces the list.")
    institutes: list[WorkshopInstituteIn] = Field(None, max_length=40, description=(
        "Institutes in roles; replaces the list."))
    start_date: Day = None
    end_date: Day = None
    date_precision: choice(vocab.DATE_PRECISIONS) = None
    approximate: bool = None
    timezone: text(Workshop.timezone) = None
    slug: text(Workshop.slug) = None
    venue: text(Workshop.venue) = None
    city: text(Workshop.city) = None
    country: CountryCode | None = Field(None, description=(
        "ISO alpha-2; null (with the format online) for an online meeting, which takes none."))
    format: choice(vocab.FORMATS) = None
    visibility: choice(vocab.VISIBILITIES) = None
    chatham_house: bool = None
    objectives: text(20000) = None
    rules: text(20000) = None
    themes: IdList = None
    shift_agenda: bool = Field(True, description=(
        "When the start date moves, move the agenda with it (the default)."))


class WorkshopStatusChange(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "published", "version": 1}]})

    status: choice(vocab.WORKSHOP_STATUSES) = Field(description=(
        "published, draft (unpublish or reinstate) or cancelled."))
    version: Version


class AgendaItemCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "day": "2025-06-03", "start": "14:00", "end": "15:30", "title": "Panel: lessons from Typhoon Haiyan",
        "kind": "panel", "room": "Hall B", "speakers": [1]}]})

    day: Day = Field(description="One of the workshop's days.")
    start: Clock = Field(description="Local time in the workshop's time zone, HH:MM.")
    end: Clock = Field(description="Local time, HH:MM, after the start on the same day.")
    title: text(AgendaItem.title)
    kind: choice(vocab.AGENDA_KINDS) = "session"
    room: text(AgendaItem.room) = ""
    description: text(20000) = ""
    status: choice(vocab.AGENDA_ITEM_STATUSES) = "scheduled"
    chairs: IdList = Field(default_factory=list, description="Participation ids of this workshop.")
    speakers: IdList = Field(default_factory=list, description="Participation ids of this workshop.")
    discussants: IdList = Field(default_factory=list, description="Participation ids of this workshop.")


class AgendaItemUpdate(Body):
    """Only the fields given change."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1, "end": "16:00", "room": "Hall A"}]})

    version: Version
    day: Day = None
    start: Clock = None
    end: Clock = None
    title: text(AgendaItem.title) = None
    kind: choice(vocab.AGENDA_KINDS) = None
    room: text(AgendaItem.room) = None
    description: text(20000) = None
    status: choice(vocab.AGENDA_ITEM_STATUSES) = None
    chairs: IdList = None
    speakers: IdList = None
    discussants: IdList = None
