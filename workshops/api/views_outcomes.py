"""The outcomes API routes: recommendations, their closure and uptake
events, and the Track-1 bodies they are addressed to."""

from __future__ import annotations

import base64
import binascii

from flask_login import current_user

from ..audit.operations import unit_of_work
from ..auth.access import require_edit
from ..extensions import db
from ..outcomes import operations as outcomes_ops
from ..outcomes.models import Recommendation
from ..outcomes.operations_featured import set_featured
from ..outcomes.queries import RecommendationFilters, recommendations_query, track1_bodies_query
from ..people.queries import words_of
from ..public_outcomes.operations import set_public
from . import exporters as ex
from . import queries
from . import schemas as s
from .pipeline import ApiError, operation
from .responses import api_url, json_response, paged_query
from .views_programme import editable_workshop

# ---------------------------------------------------------- recommendations

# The two marks set on a recommendation's page, each by its own operation (its
# rights, version check and audit note), never with the other fields.
FLAGS = {"featured": set_featured, "is_public": set_public}


def _set_flags(rec: Recommendation, flags: dict, version: int | None) -> None:
    """Mark or unmark as the page's buttons do, one operation after another
    (a mark as it already is changes nothing)."""
    for name, wanted in flags.items():
        FLAGS[name](current_user, rec, wanted, version)
        version = rec.version


def _asked_marks(body: s.RecommendationCreate) -> dict:
    """The marks a new recommendation is to have (both are off when it is recorded)."""
    return {name: True for name in FLAGS if getattr(body, name)}


def _record(workshop, data: dict, marks: dict) -> Recommendation:
    """Record the recommendation and set its asked marks in ONE unit of work:
    all saved, or nothing (a mark refused leaves no recommendation behind).
    Each step keeps its own audit note (audit.operations.unit_of_work)."""
    with unit_of_work(current_user):
        rec = outcomes_ops.create_recommendation(current_user, workshop, data)
        if marks:
            db.session.flush()  # its id, version and origin, which the marks' rights read
            _set_flags(rec, marks, rec.version)
    return rec


def _recommendation_answer(recommendation_id: int) -> s.RecommendationOut:
    db.session.expire_all()
    rec = queries.load_recommendation(recommendation_id)
    return ex.recommendation(rec)


@operation("GET", "/recommendations", summary="List recommendations", tag="Recommendations",
           query=s.RecommendationQuery, response=s.RecommendationPage)
def list_recommendations(query: s.RecommendationQuery):
    """Recommendations with their uptake events and derived stage, filtered as
    on the recommendations page (`status=stale`: the follow-up list)."""
    filters = RecommendationFilters(
        words=words_of(query.q), network_id=query.network, series_id=query.series, year=query.year,
        theme_id=query.theme, stage=query.stage, target_id=query.target, status=query.status,
        priority=query.priority, sort=query.sort)
    select_ = recommendations_query(filters, queries.today()).options(*queries.event_options())
    if query.workshop is not None:
        select_ = select_.where(Recommendation.workshop_id == query.workshop)
    return paged_query(s.RecommendationPage, select_, query, ex.recommendation)


@operation("GET", "/recommendations/<int:recommendation_id>", summary="Read a recommendation",
           tag="Recommendations", response=s.RecommendationOut)
def get_recommendation(recommendation_id: int):
    rec = queries.load_recommendation(recommendation_id)
    if rec is None:
        raise ApiError(404, f"There is no recommendation {recommendation_id}.")
    return ex.recommendation(rec)


@operation("POST", "/workshops/<int:workshop_id>/recommendations", summary="Record a recommendation",
           tag="Recommendations", body=s.RecommendationCreate, response=s.RecommendationOut, status=201,
           errors=(403,))
def create_recommendation(workshop_id: int, body: s.RecommendationCreate):
    """A recommendation the workshop agreed; its stage is `proposed` until an
    uptake event says more. `featured` and `is_public` mark it as the buttons
    on its page do, in the same transaction: all saved, or nothing."""
    workshop = editable_workshop(workshop_id)
    rec = _record(workshop, body.model_dump(exclude=set(FLAGS)), _asked_marks(body))
    answer = _recommendation_answer(rec.id)
    return json_response(answer, 201, {"Location": api_url("get_recommendation", recommendation_id=rec.id)})


@operation("POST", "/recommendations", summary="Record a recommendation of a workshop, an output or both",
           tag="Recommendations", body=s.RecommendationFromOrigin, response=s.RecommendationOut, status=201,
           errors=(403,))
def create_recommendation_from_origin(body: s.RecommendationFromOrigin):
    """A recommendation from a workshop (`workshop_id`), a written output
    (`output_id`, e.g. a CSCAP memorandum) or both; at least one is needed.
    Without a workshop, the organisers of the output's network may record it.
    `featured` and `is_public` mark it as the buttons on its page do."""
    workshop = editable_workshop(body.workshop_id) if body.workshop_id is not None else None
    rec = _record(workshop, body.model_dump(exclude={"workshop_id", *FLAGS}), _asked_marks(body))
    answer = _recommendation_answer(rec.id)
    return json_response(answer, 201, {"Location": api_url("get_recommendation", recommendation_id=rec.id)})


def _editable_recommendation(recommendation_id: int) -> Recommendation:
    rec = queries.load_recommendation(recommendation_id)
    if rec is None:
        raise ApiError(404, f"There is no recommendation {recommendation_id}.")
    require_edit(rec)
    return rec


def _recommendation_data(rec: Recommendation) -> dict:
    """A recommendation as the outcomes operations take it (the form's fields)."""
    return {"title": rec.title, "text": rec.text, "reference": rec.reference, "priority": rec.priority,
            "agenda_item_id": rec.agenda_item_id, "output_id": rec.output_id, "theme_ids": [t.id for t in rec.themes],
            "target_ids": [t.id for t in rec.targets]}


@operation("PATCH", "/recommendations/<int:recommendation_id>", summary="Change a recommendation",
           tag="Recommendations", body=s.RecommendationUpdate, response=s.RecommendationOut, errors=(403, 409))
def update_recommendation(recommendation_id: int, body: s.RecommendationUpdate):
    """Only the fields sent change (`agenda_item_id: null` detaches it from
    the agenda). Its `version` also rises when an uptake event is added or
    removed. `featured` and `is_public` are set as the buttons on its page
    set them (the same operations, rights and audit notes), after the other
    fields."""
    rec = _editable_recommendation(recommendation_id)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    follow_up = {key: changes.pop(key) for key in FOLLOW_UP_FIELDS if key in changes}
    flags = {key: changes.pop(key) for key in FLAGS if key in changes}
    if follow_up:
        outcomes_ops.follow_up_values(rec, follow_up)  # refused before anything is saved
    version = body.version
    if changes or not (follow_up or flags):
        outcomes_ops.update_recommendation(current_user, rec, {**_recommendation_data(rec), **changes}, version)
        version = rec.version
    if follow_up:
        outcomes_ops.set_follow_up(current_user, rec, follow_up, version)
        version = rec.version
    _set_flags(rec, flags, version)
    return _recommendation_answer(recommendation_id)


FOLLOW_UP_FIELDS = ("owner_id", "next_check_on")


@operation("POST", "/recommendations/<int:recommendation_id>/checks", summary="Log a check with no trace found",
           tag="Recommendations", body=s.FollowUpCheckCreate, response=s.RecommendationOut, status=201,
           errors=(403,))
def create_follow_up_check(recommendation_id: int, body: s.FollowUpCheckCreate):
    """"Checked, no trace found": someone looked for uptake and found none.
    The stage does not change; `next_check_on`, when given, becomes the
    recommendation's next check. A closed recommendation is refused (422)."""
    rec = _editable_recommendation(recommendation_id)
    outcomes_ops.log_check(current_user, rec, body.model_dump())
    answer = _recommendation_answer(recommendation_id)
    return json_response(answer, 201, {"Location": api_url("get_recommendation", recommendation_id=recommendation_id)})


@operation("POST", "/recommendations/<int:recommendation_id>/close", summary="Close a recommendation",
           tag="Recommendations", body=s.RecommendationClose, response=s.RecommendationOut, errors=(403, 409))
def close_recommendation(recommendation_id: int, body: s.RecommendationClose):
    """Close it as declined, superseded or withdrawn, with the reason: it then
    leaves the follow-up list. An already closed one is refused (422)."""
    rec = _editable_recommendation(recommendation_id)
    outcomes_ops.close_recommendation(current_user, rec, body.model_dump(exclude={"version"}), body.version)
    return _recommendation_answer(recommendation_id)


@operation("POST", "/recommendations/<int:recommendation_id>/reopen", summary="Reopen a closed recommendation",
           tag="Recommendations", body=s.RecommendationReopen, response=s.RecommendationOut, errors=(403, 409))
def reopen_recommendation(recommendation_id: int, body: s.RecommendationReopen):
    """Undo a closure; its history keeps the old closure and your note. An
    open one is refused (422, naming `closed_as`)."""
    rec = _editable_recommendation(recommendation_id)
    outcomes_ops.reopen_recommendation(current_user, rec, body.note, body.version)
    return _recommendation_answer(recommendation_id)


def _event_data(body: s.UptakeEventCreate) -> dict:
    """The event as the operations take it: each uploaded file's base64
    decoded into (filename, bytes), or a 422 naming the one that is not."""
    data = body.model_dump()
    for i, reference in enumerate(data["references"]):
        if reference["file"] is not None:
            try:
                content = base64.b64decode(reference["file"]["content"], validate=False)
            except (binascii.Error, ValueError):
                raise ApiError(422, "Some fields are not valid; see errors.",
                               {f"references[{i}].file.content": "Give the file's bytes in base64."}) from None
            reference["file"] = (reference["file"]["filename"], content)
    return data


@operation("POST", "/recommendations/<int:recommendation_id>/events", summary="Add an uptake event",
           tag="Recommendations", body=s.UptakeEventCreate, response=s.RecommendationOut, status=201,
           errors=(403,))
def create_uptake_event(recommendation_id: int, body: s.UptakeEventCreate):
    """A dated sign that Track-1 took the recommendation up: not before its
    workshop began, not in the future. Answers with the recommendation and
    its (possibly advanced) stage, and its `version` raised.

    Its `references` are its sources: a web address (`url`), a file uploaded
    with the event (`file`: its `filename` and its bytes in base64; a PDF,
    DOCX or XLSX whose content matches its name, within the size limit), or a
    document already uploaded (`document_id`), each with an optional `label`;
    a label alone is a document symbol. The answer gives each file's
    `document` with its `download_url`. `confirmed: false` records an event
    whose stage is not yet confirmed: shown, but counted apart (it moves no
    stage and no report figure). A refused source is named by its index
    (`references[1].url`); nothing is saved then, no file either."""
    rec = _editable_recommendation(recommendation_id)
    outcomes_ops.add_uptake_event(current_user, rec, _event_data(body))
    answer = _recommendation_answer(recommendation_id)
    return json_response(answer, 201, {"Location": api_url("get_recommendation", recommendation_id=recommendation_id)})


# ----------------------------------------------------------- Track-1 bodies


@operation("GET", "/track1-bodies", summary="List Track-1 bodies", tag="Recommendations",
           query=s.Track1Query, response=s.Track1BodyPage)
def list_track1_bodies(query: s.Track1Query):
    return paged_query(s.Track1BodyPage, track1_bodies_query(query.kind, query.level), query, ex.track1_body)


@operation("GET", "/track1-bodies/<int:body_id>", summary="Read a Track-1 body", tag="Recommendations",
           response=s.Track1BodyOut)
def get_track1_body(body_id: int):
    body = queries.load_track1_body(body_id)
    if body is None:
        raise ApiError(404, f"There is no Track-1 body {body_id}.")
    return ex.track1_body(body)

