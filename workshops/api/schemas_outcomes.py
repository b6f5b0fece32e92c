"""The API's outcomes models: recommendations, their uptake events and
closure, and the Track-1 bodies they are addressed to."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import ConfigDict, Field

from .. import vocab
from ..outcomes.models import FollowUpCheck, Recommendation, UptakeEvent, UptakeEventReference
from ..outcomes.operations import MAX_REFERENCES
from ..outcomes.queries import SORTS as RECOMMENDATION_SORTS
from .schemas_common import (
    Body,
    Day,
    DocumentOut,
    FileIn,
    Id,
    IdList,
    NetworkRef,
    Out,
    Page,
    Query,
    ThemeOut,
    Track1BodyRef,
    Version,
    WorkshopRef,
    Year,
    choice,
    text,
)

# ------------------------------------------------------- recommendations


class ReferenceOut(Out):
    """A source of an uptake event: a web address, an uploaded document, or a label alone."""

    url: str | None = Field(description="A web address, or null.")
    label: str = Field(description="Its label; alone, a document symbol such as ARF/SOM/2025/3.")
    document_id: int | None = Field(description="The uploaded document, or null.")
    document: DocumentOut | None


class ReferenceIn(Body):
    """One source: `url`, or `document_id` (a document already uploaded, as read from another
    event), or `file` (uploaded with it, base64); `label` beside it or alone (a document symbol)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"url": "https://asean.org/arf-chairmans-statement", "label": "ARF Chairman's Statement"},
        {"label": "ARF/SOM/2025/3"},
        {"file": {"filename": "statement.pdf", "content": "JVBERi0xLjcK"}, "label": "Statement"}]})

    url: text(UptakeEventReference.url, "A full http:// or https:// address.") | None = None
    label: text(UptakeEventReference.label) = ""
    document_id: Id | None = None
    file: FileIn | None = None


class UptakeEventOut(Out):
    id: int
    stage: choice(vocab.STAGES)
    occurred_on: dt.date = Field(description="The first possible day when known only to the month or year.")
    date_precision: choice(vocab.DATE_PRECISIONS)
    approximate: bool
    days_after_workshop: int | None = Field(description=(
        "Whole days from the workshop's last day to the event (0 during the workshop), "
        "as on the timeline and in the report; null unless both dates are known to the day "
        "and not approximate."))
    track1_body: Track1BodyRef | None
    evidence_kind: choice(vocab.EVIDENCE_KINDS)
    title: str
    excerpt: str
    attribution: choice(vocab.ATTRIBUTIONS) | None = Field(description=(
        "How strongly the sources tie Track-1 to the recommendation: explicit (the Track-1 text cites "
        "it), paraphrase, thematic (echoes it); null when not judged."))
    confirmed: bool = Field(description=(
        "False: recorded but not yet confirmed, counted apart (no stage, no report figure)."))
    references: list[ReferenceOut] = Field(description="Its sources, in order.")
    recorded_by: str | None = Field(description="The name of the user who recorded it.")
    recorded_at: dt.datetime
    version: int


class FollowUpCheckOut(Out):
    id: int
    checked_on: dt.date
    checked_by: str | None = Field(description="The name of the user who checked.")
    note: str


# The two marks an organiser sets on a recommendation's page, read and written
# here as there (outcomes/operations_featured.py set_featured,
# public_outcomes/operations.py set_public: the same rights, the same audit notes).
# What "Featured" means: docs/report-definitions.md; what the public page shows: README.md.
_FEATURED = ("Featured: listed first among the annual report's highlights of the period in which it "
             "reaches adopted or implemented; it changes no figure.")
_IS_PUBLIC = ("Marked for its network's public outcomes page (/outcomes/<network>); shown there only "
              "when it also comes from a public, published workshop or from an output alone.")


class RecommendationOut(Out):
    id: int
    reference: str
    title: str
    text: str
    priority: choice(vocab.PRIORITIES)
    workshop: WorkshopRef | None = Field(description="The workshop that agreed it; null for one from an output alone.")
    output_id: int | None = Field(description="The written output it comes from (GET /outputs/{id}), if any.")
    network: NetworkRef = Field(description="Its workshop's network, or its output's without a workshop.")
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
    owner_id: int | None = Field(None, description="The user who follows it up.")
    owner: str | None = Field(None, description="That user's name.")
    next_check_on: dt.date | None = Field(None, description=(
        "When its owner looks for uptake next; due for a check from that day while open."))
    checks: list[FollowUpCheckOut] = Field(default_factory=list, description=(
        "Checks that found no trace of uptake, newest first; they never change the stage."))
    featured: bool = Field(description=_FEATURED)
    is_public: bool = Field(description=_IS_PUBLIC)
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

    title: text(Recommendation.title)
    text: text(20000)
    reference: text(Recommendation.reference, "E.g. NADI-2025-3.") = ""
    priority: choice(vocab.PRIORITIES) = "medium"
    agenda_item_id: Id | None = Field(None, description="The agenda item it came from (id).")
    output_id: Id | None = Field(None, description=(
        "The written output it comes from (id), beside or instead of a workshop."))
    theme_ids: IdList = Field(default_factory=list)
    target_ids: IdList = Field(default_factory=list, description="Track-1 body ids it is addressed to.")
    featured: bool = Field(False, description=_FEATURED + " Who may record it may mark it.")
    is_public: bool = Field(False, description=_IS_PUBLIC + " Who may record it may mark it.")


class RecommendationFromOrigin(RecommendationCreate):
    """POST /recommendations: from a workshop, an output, or both (at least one)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "output_id": 1, "title": "A maritime hotline", "text": "CSCAP recommends that ...", "target_ids": [1]}]})

    workshop_id: Id | None = Field(None, description="The workshop that agreed it (id).")


class UptakeEventCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "stage": "acknowledged", "occurred_on": "2025-08-01", "evidence_kind": "statement",
        "title": "ARF Chairman's Statement, para. 12", "track1_body_id": 1, "attribution": "explicit",
        "references": [{"url": "https://asean.org/arf-chairmans-statement", "label": "Chairman's Statement"},
                       {"label": "ARF/31/CS"}]}]})

    stage: choice(vocab.STAGES)
    occurred_on: Day = Field(description="Not before the workshop began, not in the future.")
    date_precision: choice(vocab.DATE_PRECISIONS) = Field("day", description=(
        "day, month or year; for a month give its first day (2007-06-01), for a year its 1 January."))
    approximate: bool = Field(False, description="The date is approximate (“c. 2008”, “2008?”).")
    evidence_kind: choice(vocab.EVIDENCE_KINDS)
    title: text(UptakeEvent.title)
    track1_body_id: Id | None = None
    excerpt: text(5000) = ""
    attribution: choice(vocab.ATTRIBUTIONS) | None = None
    confirmed: bool = Field(True, description="False while the stage is not yet confirmed: counted apart.")
    references: list[ReferenceIn] = Field(default_factory=list, max_length=MAX_REFERENCES, description=(
        "Its sources, in order. A refused one is named by its index: `references[1].url`."))


# Named outside the class: its field `text` would hide the function there.
_RecommendationTitle = text(Recommendation.title)
_RecommendationText = text(20000)
_RecommendationReference = text(Recommendation.reference, "E.g. NADI-2025-3.")


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
    owner_id: Id | None = Field(None, description=(
        "The user who follows it up (an admin or an organiser of its network), or null for nobody."))
    next_check_on: Day | None = Field(None, description="The next check, or null for none.")
    output_id: Id | None = Field(None, description="Link (or, with null, unlink) a written output (id).")
    featured: bool = Field(None, description=_FEATURED + " Leave it out to keep it as it is.")
    is_public: bool = Field(None, description=_IS_PUBLIC + " Leave it out to keep it as it is.")


class FollowUpCheckCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "checked_on": "2026-11-30", "note": "Nothing in the ARF chair's statement or the ADMM work plan.",
        "next_check_on": "2027-03-01"}]})

    checked_on: Day = Field(None, description="Not in the future; today when left out.")
    note: text(FollowUpCheck.note, "Where you looked.") = ""
    next_check_on: Day = Field(None, description="When to look again; the recommendation's next check.")


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
