"""The API's contract, written once: pydantic models of what goes in (query
parameters, bodies) and what comes out, and the registry of operations that
the views validate requests with and the OpenAPI 3.1 document is written
from. Pydantic v2's JSON Schema is JSON Schema 2020-12, the dialect of
OpenAPI 3.1, so the document and the validation cannot drift apart.

Bodies are strict JSON (a string is not a number, unknown fields are
refused); query parameters arrive as text and are converted. Every number
has bounds and every string a length, so no input can overflow a column or
an integer, and no text may hold NUL (PostgreSQL refuses it).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.json_schema import models_json_schema

from .. import vocab
from ..db import MAX_INTEGER
from ..outcomes.queries import SORTS as RECOMMENDATION_SORTS
from ..people.queries import PEOPLE_SORTS
from ..programme.queries import SORTS as WORKSHOP_SORTS

API_PREFIX = "/api/v1"
API_VERSION = "1.0.0"
MAX_ID = MAX_INTEGER
MAX_PER_PAGE = 100
EARLIEST_DAY, LATEST_DAY = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
NO_NUL = r"^[^\u0000]*$"

# ----------------------------------------------------------------- types

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=MAX_ID, description=(
    "The record's `version` as you last read it; a save over a newer version is refused with 409."))]
Year = Annotated[int, Field(ge=1900, le=2200)]
Day = Annotated[dt.date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
Clock = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
IdList = Annotated[list[Id], Field(max_length=200)]


def text(max_length: int, description: str | None = None):
    """A string of at most `max_length` characters, without NUL."""
    return Annotated[str, StringConstraints(max_length=max_length, pattern=NO_NUL),
                     Field(description=description)]


def choice(values: tuple[str, ...]):
    return Literal[values]


class Body(BaseModel):
    """A request body: strict JSON, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    """Query parameters: text converted to numbers and dates, unknown ones refused."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(1, ge=1, le=1_000_000, description="The page to return, from 1.")
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE, description="Items per page.")


class Filters(BaseModel):
    """Query parameters of an answer that is not a list."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """A response body."""


T = TypeVar("T")


class Page(Out, Generic[T]):
    items: list[T]
    total: int = Field(description="How many items match, over all pages.")
    page: int
    per_page: int
    pages: int = Field(description="How many pages there are (at least 1).")
    next: str | None = Field(description="The URL of the next page, or null on the last one.")
    prev: str | None = Field(description="The URL of the previous page, or null on the first one.")


class Problem(Out):
    """An error, as RFC 9457 problem details (application/problem+json)."""

    type: str = Field(description="A URI naming the kind of problem; `about:blank` for the plain HTTP meaning.")
    title: str
    status: int
    detail: str
    errors: dict[str, str] | None = Field(None, description=(
        "For 400 and 422: the field (or query parameter) at fault and what is wrong with it. "
        "Nested fields are written with dots: `themes.0`."))
    current_version: int | None = Field(None, description="For 409: the record's version now.")
    error_id: str = Field(description="The request's id, also in the X-Request-Id header and the server log.")


# ----------------------------------------------------------- references


class NetworkRef(Out):
    id: int
    acronym: str
    name: str


class SeriesRef(Out):
    id: int
    slug: str
    name: str


class InstituteRef(Out):
    id: int
    name: str
    acronym: str
    country: str


class ThemeOut(Out):
    id: int
    slug: str
    name: str


class WorkshopRef(Out):
    id: int
    slug: str
    title: str
    start_date: dt.date
    end_date: dt.date


class Track1BodyRef(Out):
    id: int
    name: str
    acronym: str


class PersonRef(Out):
    id: int
    name: str = Field(description="The name with honorific; empty for an erased person.")


class ThemePage(Page[ThemeOut]):
    pass


class InstitutePage(Page[InstituteRef]):
    pass


class InstituteQuery(Query):
    network: Id | None = Field(None, description="Only the member institutes of this network (id).")


class Me(Out):
    """The user a token acts for."""

    id: int
    name: str
    email: str
    role: choice(vocab.USER_ROLES)
    networks: list[NetworkRef] = Field(description="The networks an organiser may change records of.")


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
    workshops: int = Field(description="Workshops of those series.")
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


class WorkshopOut(Out):
    id: int
    slug: str
    title: str
    series: SeriesRef
    network: NetworkRef
    host: InstituteRef | None
    venue: str
    city: str
    country: str | None = Field(description="ISO 3166-1 alpha-2 code; null for an online meeting.")
    timezone: str = Field(description="The venue's IANA time zone; agenda times are shown in it.")
    start_date: dt.date
    end_date: dt.date
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
    role: choice(vocab.AGENDA_PERSON_ROLES)
    participation_id: int
    name: str
    affiliation: str


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
    network: Id | None = Field(None, description="Only workshops of this network (id).")
    series: Id | None = Field(None, description="Only workshops of this series (id).")
    year: Year | None = Field(None, description="Only workshops starting in this year.")
    theme: Id | None = Field(None, description="Only workshops with this theme (id).")
    country: CountryCode | None = Field(None, description="Only workshops in this country (ISO alpha-2).")
    status: choice(vocab.WORKSHOP_STATUSES) | None = None
    format: choice(vocab.FORMATS) | None = None
    slug: text(120, "The workshop with this web address (the end of /agenda/<slug>).") | None = None
    sort: choice(tuple(WORKSHOP_SORTS)) = "date_desc"


class WorkshopCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "title": "NADI Workshop on Climate Resilience", "series": 1, "start_date": "2025-10-14",
        "end_date": "2025-10-15", "timezone": "Asia/Bangkok", "country": "TH", "city": "Bangkok",
        "visibility": "public", "themes": [1]}]})

    title: text(300)
    series: Id = Field(description="The series (id) the meeting belongs to.")
    start_date: Day
    end_date: Day | None = Field(None, description="The last day; the first day when omitted.")
    timezone: text(64, "The venue's IANA time zone, e.g. Asia/Jakarta.")
    slug: text(120, "The web address; made from the title when omitted.") = ""
    host: Id | None = Field(None, description="The host institute (id).")
    venue: text(200) = ""
    city: text(100) = ""
    country: CountryCode | None = Field(None, description="ISO alpha-2; required unless the format is online.")
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
    title: text(300) = None
    series: Id = Field(None, description="Move the workshop to another series (id).")
    start_date: Day = None
    end_date: Day = None
    timezone: text(64) = None
    slug: text(120) = None
    host: Id | None = None
    venue: text(200) = None
    city: text(100) = None
    country: CountryCode | None = None
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
    title: text(300)
    kind: choice(vocab.AGENDA_KINDS) = "session"
    room: text(100) = ""
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
    title: text(300) = None
    kind: choice(vocab.AGENDA_KINDS) = None
    room: text(100) = None
    description: text(20000) = None
    status: choice(vocab.AGENDA_ITEM_STATUSES) = None
    chairs: IdList = None
    speakers: IdList = None
    discussants: IdList = None


# --------------------------------------------------- people, participants


class PersonOut(Out):
    id: int
    full_name: str
    honorific: str
    affiliation: str
    country: str | None
    sector: choice(vocab.SECTORS)
    erased: bool = Field(description="Erased on request: the name and contact details are gone.")
    email: str | None = Field(description="Only for organisers and admins; null otherwise.")
    phone: str | None = Field(description="Only for organisers and admins; null otherwise.")
    workshops: int = Field(description="Workshops the person took part in.")
    version: int


class PersonPage(Page[PersonOut]):
    pass


class PeopleQuery(Query):
    q: text(200, "Words to find in the name or affiliation (and email, for organisers).") | None = None
    country: CountryCode | None = None
    sector: choice(vocab.SECTORS) | None = None
    network: Id | None = Field(None, description="Only people who took part in a workshop of this network.")
    sort: choice(tuple(PEOPLE_SORTS)) = "name"


class ParticipationOut(Out):
    id: int
    workshop_id: int
    person: PersonRef
    role: choice(vocab.ROLES)
    status: choice(vocab.PARTICIPATION_STATUSES)
    sector: choice(vocab.SECTORS)
    country: str | None
    affiliation: str
    serving_official: bool
    consent_to_list: bool = Field(description="Agreed to appear on the participant list.")
    consent_to_be_named: bool = Field(description=(
        "Agreed to be named on the public agenda; otherwise it gives their role and sector."))
    email: str | None
    phone: str | None
    version: int


class ParticipationPage(Page[ParticipationOut]):
    pass


class ParticipantsQuery(Query):
    role: choice(vocab.ROLES) | None = None
    status: choice(vocab.PARTICIPATION_STATUSES) | None = None


class NewPerson(Body):
    full_name: text(200)
    honorific: text(40, "Dr, Amb., Rear Adm.…") = ""
    email: text(254) | None = None
    phone: text(40) = ""


class ParticipationCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"person_id": 1, "role": "speaker", "status": "confirmed"},
        {"new_person": {"full_name": "Nguyen Van An", "email": "an@example.org"}, "country": "VN",
         "sector": "government", "serving_official": True}]})

    person_id: Id | None = Field(None, description="Someone already recorded (id); or give `new_person`.")
    new_person: NewPerson | None = Field(None, description="Someone not recorded yet; or give `person_id`.")
    different_person: bool = Field(False, description=(
        "Confirms that a new person is not one of the people with a similar name already recorded."))
    role: choice(vocab.ROLES) = "participant"
    status: choice(vocab.PARTICIPATION_STATUSES) = "invited"
    sector: choice(vocab.SECTORS) = Field(None, description="At this workshop; the person's when omitted.")
    country: CountryCode | None = Field(None, description="At this workshop; the person's when omitted.")
    affiliation: text(200, "At this workshop; the person's when omitted.") = None
    serving_official: bool = False
    consent_to_list: bool = False
    consent_to_be_named: bool = Field(False, description="May the public agenda name them? (No by default.)")


class ParticipationUpdate(Body):
    """Only the fields given change."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1, "status": "attended"}]})

    version: Version
    role: choice(vocab.ROLES) = None
    status: choice(vocab.PARTICIPATION_STATUSES) = None
    sector: choice(vocab.SECTORS) = None
    country: CountryCode | None = None
    affiliation: text(200) = None
    serving_official: bool = None
    consent_to_list: bool = None
    consent_to_be_named: bool = None


# ------------------------------------------------------- recommendations


class UptakeEventOut(Out):
    id: int
    stage: choice(vocab.STAGES)
    occurred_on: dt.date
    days_after_workshop: int = Field(description=(
        "Whole days from the workshop's last day to the event (0 during the workshop), "
        "as on the timeline and in the report."))
    track1_body: Track1BodyRef | None
    evidence_kind: choice(vocab.EVIDENCE_KINDS)
    title: str
    reference: str = Field(description="A link or a document symbol.")
    excerpt: str
    recorded_by: str | None = Field(description="The name of the user who recorded it.")
    recorded_at: dt.datetime
    version: int


class RecommendationOut(Out):
    id: int
    reference: str
    title: str
    text: str
    priority: choice(vocab.PRIORITIES)
    workshop: WorkshopRef
    network: NetworkRef
    agenda_item_id: int | None
    themes: list[ThemeOut]
    targets: list[Track1BodyRef] = Field(description="The Track-1 bodies it is addressed to.")
    stage: choice(vocab.STAGES) = Field(description=(
        "Derived: the furthest stage any of its uptake events reached (proposed when none)."))
    closed_as: choice(vocab.CLOSURES) | None
    closed_on: dt.date | None
    closed_reason: str
    last_event_on: dt.date | None
    events: list[UptakeEventOut] = Field(description="Uptake events, oldest first.")
    version: int


class RecommendationPage(Page[RecommendationOut]):
    pass


class RecommendationQuery(Query):
    q: text(200, "Words to find in the title, text or reference.") | None = None
    network: Id | None = None
    series: Id | None = None
    year: Year | None = Field(None, description="Recommendations of workshops starting in this year.")
    theme: Id | None = None
    stage: choice(vocab.STAGES) | None = Field(None, description="Only those standing at this stage.")
    target: Id | None = Field(None, description="Only those addressed to this Track-1 body (id).")
    status: Literal["open", "closed", "stale"] | None = None
    priority: choice(vocab.PRIORITIES) | None = None
    workshop: Id | None = Field(None, description="Only the recommendations of this workshop (id).")
    sort: choice(tuple(RECOMMENDATION_SORTS)) = "newest"


class RecommendationCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "title": "A standing HADR coordination cell", "text": "The meeting recommends that ...",
        "reference": "NADI-2025-1", "priority": "high", "theme_ids": [1], "target_ids": [1]}]})

    title: text(300)
    text: text(20000)
    reference: text(40, "E.g. NADI-2025-3.") = ""
    priority: choice(vocab.PRIORITIES) = "medium"
    agenda_item_id: Id | None = Field(None, description="The agenda item it came from (id).")
    theme_ids: IdList = Field(default_factory=list)
    target_ids: IdList = Field(default_factory=list, description="Track-1 body ids it is addressed to.")


class UptakeEventCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "stage": "acknowledged", "occurred_on": "2025-08-01", "evidence_kind": "statement",
        "title": "ARF Chairman's Statement, para. 12", "track1_body_id": 1,
        "reference": "https://asean.org/arf-chairmans-statement"}]})

    stage: choice(vocab.STAGES)
    occurred_on: Day = Field(description="Not before the workshop began, not in the future.")
    evidence_kind: choice(vocab.EVIDENCE_KINDS)
    title: text(300)
    track1_body_id: Id | None = None
    reference: text(500, "A full https:// link or a document symbol.") = ""
    excerpt: text(5000) = ""


# Named outside the class: its field `text` would hide the function there.
_RecommendationTitle = text(300)
_RecommendationText = text(20000)
_RecommendationReference = text(40, "E.g. NADI-2025-3.")


class RecommendationUpdate(Body):
    """Only the fields given change."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"version": 2, "priority": "high", "target_ids": [1, 2]}]})

    version: Version
    title: _RecommendationTitle = None
    text: _RecommendationText = None
    reference: _RecommendationReference = None
    priority: choice(vocab.PRIORITIES) = None
    agenda_item_id: Id | None = Field(None, description="The agenda item it came from (id), or null for none.")
    theme_ids: IdList = None
    target_ids: IdList = Field(None, description="Track-1 body ids it is addressed to.")


class RecommendationClose(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "version": 2, "closed_as": "superseded",
        "closed_reason": "Overtaken by the ADMM's own HADR logistics initiative."}]})

    version: Version
    closed_as: choice(vocab.CLOSURES) = Field(description="Why it will go no further.")
    closed_reason: text(5000, "What happened, for the readers of the report.")
    closed_on: Day = Field(None, description="Not before its workshop began, not in the future; today when left out.")


class RecommendationReopen(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "version": 3, "note": "The ADMM initiative lapsed; the recommendation stands again."}]})

    version: Version
    note: text(5000, "Why it is open again; kept in its history.") = ""


# ------------------------------------------------------- Track-1 bodies


class Track1BodyOut(Out):
    id: int
    name: str
    acronym: str
    kind: choice(vocab.TRACK1_KINDS)
    level: choice(vocab.TRACK1_LEVELS) | None
    parent: Track1BodyRef | None
    established: str
    description: str
    member_countries: list[str]
    version: int


class Track1BodyPage(Page[Track1BodyOut]):
    pass


class Track1Query(Query):
    kind: choice(vocab.TRACK1_KINDS) | None = None
    level: choice(vocab.TRACK1_LEVELS) | None = None


# --------------------------------------------------------------- reports


class ReportQuery(Filters):
    network: text(60, "A network's acronym or id.") | None = None
    series: text(80, "A series' slug or id.") | None = None
    theme: text(60, "A theme's slug or id.") | None = None
    # Text, checked by the report's own filter rules (a bad date names `as_of`).
    as_of: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
                     Field(json_schema_extra={"format": "date"})] | None = Field(
        None, description="The report date, YYYY-MM-DD (today when omitted).")


# The report's figures are built by reports.queries (the same JSON as the
# report page's download); their meaning is in its `definitions`.
REPORT_SCHEMA = {
    "type": "object",
    "required": ["report", "filters", "generated_on", "empty", "headline", "activity", "participation",
                 "recommendations", "funnel", "uptake_events", "carry_over", "series", "definitions"],
    "properties": {
        "report": {"type": "string"},
        "filters": {"type": "object", "properties": {
            "year": {"type": "integer"}, "report_date": {"type": "string", "format": "date"},
            "network": {"type": ["string", "null"]}, "series": {"type": ["string", "null"]},
            "theme": {"type": ["string", "null"]}}},
        "generated_on": {"type": "string", "format": "date"},
        "empty": {"type": "boolean"},
        "headline": {"type": "array", "items": {"type": "object", "required": ["key", "label", "value"]}},
        "activity": {"type": "object"},
        "participation": {"type": "object"},
        "recommendations": {"type": "object"},
        "funnel": {"type": "object"},
        "uptake_events": {"type": "object"},
        "carry_over": {"type": "object"},
        "series": {"type": "array", "items": {"type": "object"}},
        "definitions": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["name", "definition"],
            "properties": {"name": {"type": "string"}, "definition": {"type": "string"}}}},
    },
}


# ------------------------------------------------------------ the registry


@dataclass
class Operation:
    """One API operation: what it takes, what it gives, who may call it."""

    method: str
    rule: str  # the Flask rule, under API_PREFIX
    name: str
    summary: str
    description: str
    tag: str
    auth: Literal["none", "optional", "token"]
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    response_schema: dict | None = None  # when the response is not a pydantic model
    status: int = 200
    errors: tuple[int, ...] = ()
    path_params: dict[str, dict] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The OpenAPI path: '/workshops/{workshop_id}'."""
        return API_PREFIX + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.rule)

    @property
    def statuses(self) -> list[int]:
        found = set(self.errors)
        if self.query is not None or self.body is not None:
            found.add(400)
        if self.auth != "none":
            found.add(401)
        if "{" in self.path:
            found.add(404)
        if self.body is not None:
            found.add(422)
        if self.idempotent:
            found |= {400, 409, 422}
        return sorted(found)

    @property
    def idempotent(self) -> bool:
        """Takes an `Idempotency-Key` header (api/idempotency.py): every POST."""
        return self.method == "POST" and self.auth == "token"


OPERATIONS: list[Operation] = []

PATH_PARAM = {"type": "integer", "minimum": 1, "maximum": MAX_ID, "examples": [1]}
ERROR_MEANINGS = {
    400: "The request is malformed: not JSON, or a query parameter is wrong (see `errors`).",
    401: "A bearer token is needed, or the one sent is not valid (revoked, unknown, or its user deactivated).",
    403: "The token's user may not do this.",
    404: "There is no such record, or it is not visible to you.",
    409: ("The record changed since the version you sent, or a request with the same `Idempotency-Key` is "
          "still being answered; nothing was saved."),
    422: "The body is well-formed but refused: `errors` names each field at fault.",
}


IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": (
        "A key of your choice (a random UUID) that makes a retry safe: sent again with the same key and "
        "the same body within 24 hours, the request is not saved twice and gets the first answer again "
        "(status, body, `Location`). The same key with another body or address is refused with 422 "
        "naming this header. A refused request (4xx) leaves the key free."),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$",
               "examples": ["5f0c7d7e-2a4b-4d0e-9f57-6b1c3a1e9d21"]},
}


def _drop_null_defaults(node: Any) -> None:
    """A field that may be left out but not sent as null: pydantic writes
    `"default": null` there, which would read as if null were allowed."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for prop in props.values():
                if isinstance(prop, dict) and "default" in prop and prop["default"] is None \
                        and not _allows_null(prop):
                    del prop["default"]
        for value in node.values():
            _drop_null_defaults(value)
    elif isinstance(node, list):
        for value in node:
            _drop_null_defaults(value)


def _allows_null(schema: dict) -> bool:
    if schema.get("type") == "null":
        return True
    return any(isinstance(s, dict) and _allows_null(s) for s in schema.get("anyOf", []))


def _without_null(schema: dict) -> dict:
    """A query parameter is absent rather than null: keep the non-null branch."""
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if len(options) == 1:
        rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
        return {**options[0], **rest}
    return {k: v for k, v in schema.items() if not (k == "default" and v is None)}


def _query_parameters(model: type[BaseModel], defs: dict) -> list[dict]:
    schema = model.model_json_schema(mode="validation", ref_template="#/components/schemas/{model}")
    defs.update(schema.get("$defs", {}))
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema["properties"].items():
        prop = _without_null(prop)
        description = prop.pop("description", "")
        prop.pop("title", None)
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params


def openapi_document(operations: list[Operation] | None = None) -> dict:
    """The OpenAPI 3.1 document of the registered operations."""
    operations = OPERATIONS if operations is None else operations
    pairs = [(Problem, "serialization")]
    for op in operations:
        if op.body is not None:
            pairs.append((op.body, "validation"))
        if op.response is not None:
            pairs.append((op.response, "serialization"))
    refs, top = models_json_schema(list(dict.fromkeys(pairs)), ref_template="#/components/schemas/{model}")
    components = dict(top.get("$defs", {}))
    paths: dict[str, dict] = {}
    tags: list[str] = []
    for op in operations:
        if op.tag not in tags:
            tags.append(op.tag)
        parameters = []
        for name in re.findall(r"\{(\w+)\}", op.path):
            parameters.append({"name": name, "in": "path", "required": True,
                               "schema": dict(op.path_params.get(name, PATH_PARAM))})
        if op.query is not None:
            parameters.extend(_query_parameters(op.query, components))
        if op.idempotent:
            parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        item: dict[str, Any] = {
            "operationId": op.name,
            "summary": op.summary,
            "tags": [op.tag],
            "responses": {},
        }
        if op.description:
            item["description"] = op.description
        if parameters:
            item["parameters"] = parameters
        if op.auth == "token":
            item["security"] = [{"bearerToken": []}]
        elif op.auth == "optional":
            item["security"] = [{}, {"bearerToken": []}]
        else:
            item["security"] = []
        if op.body is not None:
            item["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": refs[(op.body, "validation")]}}}
        success: dict[str, Any] = {"description": "Created." if op.status == 201 else "OK."}
        if op.response is not None:
            success["content"] = {"application/json": {"schema": refs[(op.response, "serialization")]}}
        elif op.response_schema is not None:
            success["content"] = {"application/json": {"schema": op.response_schema}}
        if op.status == 201:
            success["headers"] = {"Location": {"description": "The URL of the new record.",
                                               "schema": {"type": "string"}}}
        item["responses"][str(op.status)] = success
        for status in op.statuses:
            response: dict[str, Any] = {
                "description": ERROR_MEANINGS[status],
                "content": {"application/problem+json": {"schema": refs[(Problem, "serialization")]}},
            }
            if status == 401:
                response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
            item["responses"][str(status)] = response
        paths.setdefault(op.path, {})[op.method.lower()] = item
    _drop_null_defaults(components)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Track-2 Workshops API",
            "version": API_VERSION,
            "description": (
                "Networks, series, workshops with their agendas, people, recommendations with their "
                "road into Track-1, Track-1 bodies and the annual report figures.\n\n"
                "Send a personal token (created on your profile page, under API tokens) as "
                "`Authorization: Bearer <token>`. Public workshops and their agendas are readable "
                "without one. The API never uses the browser's login cookie.\n\n"
                "Lists are paginated (`page`, `per_page` up to 100) and give `total` and the "
                "URL of the `next` page. Errors are RFC 9457 problem details; `errors` names "
                "each field at fault. Updates carry the `version` you read: if the record changed "
                "meanwhile, the answer is 409 and nothing is saved. Every POST takes an "
                "`Idempotency-Key` header, so that a request whose answer was lost can be sent "
                "again without saving it twice."
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": t} for t in tags],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearerToken": {
                "type": "http", "scheme": "bearer",
                "description": "A personal API token from the API tokens page of your profile.",
            }},
        },
    }
