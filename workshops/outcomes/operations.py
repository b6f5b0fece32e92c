"""Changing recommendations, their uptake events and the Track-1 bodies.

Every function takes the acting user, the object(s) and plain data (the
HTML forms and the JSON API pass the same dicts), checks who may act,
applies the domain rules and saves through the audited unit of work. A
refused change raises `Invalid({"field": "message"})`; an edit based on an
outdated version raises `Conflict`; nothing is saved in either case.

Recommendations are here; uptake events in operations_events (their sources
in operations_references), Track-1
bodies in operations_track1, what they share in operations_common. Every
name is importable from this module, where the views, the forms, the API
and the tests import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ..audit.operations import Invalid, expect_version, unit_of_work
from ..auth.access import can_edit, require_edit
from ..core.clock import today
from ..errors import problems_of
from ..extensions import db
from ..outputs.models import Output
from ..programme.models import AgendaItem, Theme, Workshop
from ..vocab import CLOSURES, PRIORITIES
from .models import Recommendation, Track1Body
from .operations_common import (  # noqa: F401  (re-exported: the forms, views and API read them here)
    BODY_ACRONYM_MAX,
    BODY_NAME_MAX,
    DESCRIPTION_MAX,
    ESTABLISHED_MAX,
    EXCERPT_MAX,
    REASON_MAX,
    RECOMMENDATION_REFERENCE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    _date,
    _ids,
    _load_many,
    _mark_changed,
    _optional_id,
    _optional_text,
    _require_text,
    clean_text,
    is_web_link,
    reference_problem,
)
from .operations_events import (  # noqa: F401
    add_uptake_event,
    delete_uptake_event,
    event_problems,
    update_uptake_event,
)
from .operations_follow_up import (  # noqa: F401
    CHECK_NOTE_MAX,
    follow_up_values,
    log_check,
    owner_candidates,
    set_follow_up,
)
from .operations_references import (  # noqa: F401
    MAX_REFERENCES,
    REFERENCE_LABEL_MAX,
    REFERENCE_URL_MAX,
    url_problem,
)
from .operations_track1 import (  # noqa: F401
    create_track1_body,
    descendant_ids,
    require_registry_editor,
    update_track1_body,
)

# --------------------------------------------------------------------------- recommendations


def _output_of(actor, workshop: Workshop | None, data: Mapping, errors: dict) -> Output | None:
    """The output the recommendation comes from (data["output_id"]), if any:
    one of a network the actor organises; required without a workshop."""
    output_id = _optional_id(data.get("output_id"))
    if output_id is False:
        errors["output_id"] = "Pick an output from the list."
        return None
    if output_id is None:
        if workshop is None:
            errors["output_id"] = "A recommendation comes from a workshop or an output: pick the output."
        return None
    output = db.session.get(Output, output_id)
    if output is None:
        errors["output_id"] = "There is no such output; pick one from the list."
    elif not can_edit(output, actor):
        errors["output_id"] = "You can only link an output of a network you organise."
    return output


def _recommendation_values(workshop: Workshop | None, data: Mapping, actor=None) -> tuple[dict, list, list]:
    errors: dict[str, str] = {}
    values = {
        "title": _require_text(errors, data, "title", "Give the recommendation a short title.", TITLE_MAX),
        "text": _require_text(errors, data, "text", "Write the text of the recommendation.", TEXT_MAX),
        "reference": _optional_text(errors, data, "reference", RECOMMENDATION_REFERENCE_MAX),
    }
    priority = data.get("priority") or "medium"
    if priority not in PRIORITIES:
        errors["priority"] = "Choose high, medium or low."
    values["priority"] = priority
    agenda_item_id = _optional_id(data.get("agenda_item_id"))
    if agenda_item_id is False:
        errors["agenda_item_id"] = "Pick an agenda item from the list."
        agenda_item_id = None
    elif agenda_item_id is not None and workshop is None:
        errors["agenda_item_id"] = "Only a recommendation of a workshop can come from an agenda item."
    elif agenda_item_id is not None:
        item = db.session.get(AgendaItem, agenda_item_id)
        if item is None or item.workshop_id != workshop.id:
            errors["agenda_item_id"] = "This agenda item is not part of this workshop's agenda."
    values["agenda_item_id"] = agenda_item_id
    output = _output_of(actor, workshop, data, errors)
    values["output_id"] = output.id if output is not None else None
    themes = _load_many(Theme, data.get("theme_ids"), errors, "theme_ids", "themes")
    targets = _load_many(Track1Body, data.get("target_ids"), errors, "target_ids", "Track-1 bodies")
    if errors:
        raise Invalid(errors)
    return values, themes, targets


def recommendation_problems(workshop: Workshop | None, data: Mapping, actor=None) -> dict[str, str]:
    """Every field of a recommendation's data the rules refuse, saving
    nothing: shown with the form's own messages in one round."""
    return problems_of(_recommendation_values, workshop, data, actor)


def create_recommendation(actor, workshop: Workshop | None, data: Mapping) -> Recommendation:
    """Record a recommendation the workshop agreed, or an output put forward
    (data["output_id"]), or both. Without a workshop, the output's network
    decides who may (auth/access.py)."""
    if workshop is not None:
        require_edit(workshop, actor)
        if workshop.status == "cancelled":
            raise Invalid({"workshop": "This workshop was cancelled; it cannot have recommendations."})
    else:
        output_id = _optional_id(data.get("output_id"))
        output = db.session.get(Output, output_id) if output_id else None
        if output is None:
            raise Invalid({"output_id": "A recommendation comes from a workshop or an output: "
                                        "pick an output from the list."})
        require_edit(output, actor)
    values, themes, targets = _recommendation_values(workshop, data, actor)
    with unit_of_work(actor):
        rec = Recommendation(workshop=workshop, **values)
        rec.themes = themes
        rec.targets = targets
        db.session.add(rec)
    return rec


def update_recommendation(actor, rec: Recommendation, data: Mapping, version: int | None = None) -> Recommendation:
    require_edit(rec, actor)
    expect_version(rec, version)
    values, themes, targets = _recommendation_values(rec.workshop, {"output_id": rec.output_id, **data}, actor)
    with unit_of_work(actor):
        for key, value in values.items():
            setattr(rec, key, value)
        if [t.id for t in rec.themes] != [t.id for t in themes] or \
                [t.id for t in rec.targets] != [t.id for t in targets]:
            rec.themes = themes
            rec.targets = targets
            _mark_changed(rec)
    return rec


def delete_problem(rec: Recommendation) -> str | None:
    """Why the recommendation may not be deleted, or None. Only one without
    uptake events may go: once Track-1 has reacted, the record is history
    and is closed instead."""
    count = len(rec.events)
    if count:
        return (f"This recommendation has {count} uptake event{'s' if count != 1 else ''}; "
                "delete those first, or close the recommendation as withdrawn instead.")
    return None


def delete_recommendation(actor, rec: Recommendation) -> None:
    require_edit(rec, actor)
    problem = delete_problem(rec)
    if problem:
        raise Invalid({"events": problem})
    with unit_of_work(actor):
        db.session.delete(rec)


def close_recommendation(actor, rec: Recommendation, data: Mapping, version: int | None = None) -> Recommendation:
    """Close as declined, superseded or withdrawn: a reason is required."""
    require_edit(rec, actor)
    expect_version(rec, version)
    closed_as, closed_on, reason = _closure_values(rec, data)
    with unit_of_work(actor):
        rec.closed_as = closed_as
        rec.closed_on = closed_on
        rec.closed_reason = reason
    return rec


def closure_problems(rec: Recommendation, data: Mapping) -> dict[str, str]:
    """What a closure's data is refused for, saving nothing (one round with the form's messages)."""
    return problems_of(_closure_values, rec, data)


def _closure_values(rec: Recommendation, data: Mapping) -> tuple[str, dt.date, str]:
    errors: dict[str, str] = {}
    closed_as = data.get("closed_as")
    if closed_as not in CLOSURES:
        errors["closed_as"] = "Choose declined, superseded or withdrawn."
    reason = _require_text(errors, data, "closed_reason",
                           "Say why the recommendation is closed; readers of the report will ask.", REASON_MAX)
    closed_on = data.get("closed_on") or today()
    data = {**data, "closed_on": closed_on}
    closed_on = _date(errors, data, "closed_on", "Enter the date as YYYY-MM-DD.")
    if closed_on is not None:
        if closed_on > today():
            errors["closed_on"] = f"This date is in the future; today is {today():%d %B %Y}."
        elif closed_on < rec.origin_start:
            errors["closed_on"] = (f"This date is before the {'workshop began' if rec.workshop else 'output'} "
                                   f"({rec.origin_start:%d %B %Y}).")
    if not errors and not rec.is_open:
        errors["closed_as"] = f"The recommendation is already closed as {rec.closed_as}."
    if errors:
        raise Invalid(errors)
    return closed_as, closed_on, reason


def reopen_recommendation(actor, rec: Recommendation, note: str = "", version: int | None = None) -> Recommendation:
    """Undo a closure; the audit trail keeps the old closure and the note."""
    require_edit(rec, actor)
    expect_version(rec, version)
    if rec.is_open:
        raise Invalid({"closed_as": "The recommendation is open already."})
    note = clean_text(note)[:REASON_MAX]
    with unit_of_work(actor, note=f"Reopened: {note}" if note else "Reopened"):
        rec.closed_as = None
        rec.closed_on = None
        rec.closed_reason = ""
    return rec
