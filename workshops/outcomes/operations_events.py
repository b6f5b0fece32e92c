"""A recommendation's uptake events: record, change and delete the signs
that Track-1 took it up (its stage follows from the confirmed ones), with
their sources (operations_references.py), how strongly those attribute the
uptake to the recommendation, and whether the event is confirmed yet.
Re-exported by operations.py."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import update

from ..audit.operations import Invalid, expect_version, unit_of_work
from ..auth.access import require_edit
from ..core.clock import today
from ..core.partial_dates import DateInvalid, check_precision, last_possible_day
from ..db import utcnow
from ..errors import problems_of
from ..extensions import db
from ..vocab import ATTRIBUTIONS, DATE_PRECISIONS, EVIDENCE_KINDS, STAGES
from .models import Recommendation, Track1Body, UptakeEvent
from .operations_common import (
    EXCERPT_MAX,
    TITLE_MAX,
    _date,
    _mark_changed,
    _optional_id,
    _optional_text,
    _require_text,
)
from .operations_references import reference_values, save_references

# --------------------------------------------------------------------------- uptake events


def _confirmed(errors: dict, value) -> bool:
    """True unless said otherwise: an event is confirmed when it is recorded."""
    if value is None or value is True or value is False:
        return value is not False
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1", "false", "no", "off", "0", ""):
        return value.strip().lower() not in ("false", "no", "off", "0")
    errors["confirmed"] = "Say true (confirmed) or false (not yet confirmed)."
    return True


def _event_values(rec: Recommendation, data: Mapping) -> tuple[dict, list[dict] | None]:
    errors: dict[str, str] = {}
    values: dict = {}
    occurred_on = _date(errors, data, "occurred_on", "Enter the date of the event as YYYY-MM-DD.")
    # Known to the day, the month or the year (core/partial_dates.py): occurred_on is the first possible day.
    precision = data.get("date_precision") or "day"
    if precision not in DATE_PRECISIONS:
        errors["date_precision"] = "Pick day, month or year."
        precision = "day"
    elif occurred_on is not None:
        try:
            check_precision(occurred_on, precision, "occurred_on")
        except DateInvalid as exc:
            errors.update(exc.errors)
            occurred_on = None
    values["date_precision"], values["approximate"] = precision, bool(data.get("approximate"))
    if occurred_on is not None:
        start = rec.origin_start  # the workshop's first day, or the output's date
        if occurred_on > today():
            errors["occurred_on"] = (f"This date is in the future (today is {today():%d %B %Y}); "
                                     "record an event once it has happened.")
        elif last_possible_day(occurred_on, precision) < start:
            began = "the workshop began" if rec.workshop is not None else "the output was issued"
            errors["occurred_on"] = (f"This date is before {began} ({start:%d %B %Y}); "
                                     "Track-1 cannot have taken up a recommendation not yet made.")
    values["occurred_on"] = occurred_on
    stage = data.get("stage")
    if stage not in STAGES:
        errors["stage"] = "Choose the stage this event shows."
    values["stage"] = stage
    kind = data.get("evidence_kind")
    if kind not in EVIDENCE_KINDS:
        errors["evidence_kind"] = "Choose document, statement, meeting or press."
    values["evidence_kind"] = kind
    body_id = _optional_id(data.get("track1_body_id"))
    if body_id is False or (body_id is not None and db.session.get(Track1Body, body_id) is None):
        errors["track1_body_id"] = "Pick the Track-1 body from the list."
        body_id = None
    values["track1_body_id"] = body_id
    values["title"] = _require_text(errors, data, "title",
                                    "Give the event a title, such as the document's name.", TITLE_MAX)
    values["excerpt"] = _optional_text(errors, data, "excerpt", EXCERPT_MAX)
    # Left out, these keep what the event has (a new one: no attribution, confirmed, no sources).
    if "attribution" in data:
        attribution = data["attribution"] or None
        if attribution is not None and attribution not in ATTRIBUTIONS:
            errors["attribution"] = "Choose explicit, paraphrase or thematic, or leave it empty."
        values["attribution"] = attribution
    if "confirmed" in data:
        values["confirmed"] = _confirmed(errors, data["confirmed"])
    references = reference_values(errors, data) if "references" in data else None
    if errors:
        raise Invalid(errors)
    return values, references


def event_problems(rec: Recommendation, data: Mapping) -> dict[str, str]:
    """Every field of an uptake event's data the rules refuse (a date before
    the workshop, a link not http(s)…), saving nothing: the form shows them
    beside its own checks' messages, all in one round."""
    return problems_of(_event_values, rec, data)


def _events_changed(rec: Recommendation) -> None:
    """An uptake event added or removed changes what the recommendation says
    (its stage, its last sign of uptake): its version rises, so an edit or a
    closure made from the page as it was is refused as a conflict. Raised in
    the database (version + 1), not checked against the version read: two
    events recorded at once are both kept."""
    db.session.execute(update(Recommendation).where(Recommendation.id == rec.id)
                       .values(version=Recommendation.version + 1),
                       execution_options={"synchronize_session": False})
    db.session.expire(rec, ["version"])


def add_uptake_event(actor, rec: Recommendation, data: Mapping) -> UptakeEvent:
    """Record a sign of uptake; the recommendation's stage follows from it."""
    require_edit(rec, actor)
    values, references = _event_values(rec, data)
    with unit_of_work(actor) as session:
        event = UptakeEvent(recommendation=rec, recorded_by_id=getattr(actor, "id", None),
                            recorded_at=utcnow(), **values)
        db.session.add(event)
        if references:
            save_references(session, actor, event, references)
        _events_changed(rec)
    return event


def update_uptake_event(actor, event: UptakeEvent, data: Mapping, version: int | None = None) -> UptakeEvent:
    require_edit(event, actor)
    expect_version(event, version)
    values, references = _event_values(event.recommendation, data)
    with unit_of_work(actor) as session:
        for key, value in values.items():
            setattr(event, key, value)
        row_changed = session.is_modified(event, include_collections=False)
        if references is not None and save_references(session, actor, event, references) and not row_changed:
            _mark_changed(event)  # only its sources changed: its version still rises
    return event


def delete_uptake_event(actor, event: UptakeEvent) -> None:
    require_edit(event, actor)
    rec = event.recommendation
    with unit_of_work(actor, note=f"Uptake event of recommendation #{rec.id} ({rec.title[:120]}) deleted"):
        db.session.delete(event)
        _events_changed(rec)

