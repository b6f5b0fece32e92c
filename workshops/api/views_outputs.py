"""The outputs API routes: a network's written outputs (memoranda, study
group reports, chair's statements…). Each view loads (404), checks access
(403) and calls the same outputs operations as the web form."""

from __future__ import annotations

from flask_login import current_user

from ..auth.access import require_edit
from ..extensions import db
from ..outputs import operations as outputs_ops
from ..outputs.models import Output
from ..outputs.queries import output_detail, outputs_query
from . import schemas as s
from .exporters import network_ref, series_ref
from .pipeline import ApiError, operation
from .responses import api_url, json_response, paged_query


def output(o: Output) -> s.OutputOut:
    return s.OutputOut(
        id=o.id, kind=o.kind, title=o.title, date=o.date, date_precision=o.date_precision,
        approximate=o.approximate, network=network_ref(o.network),
        series=series_ref(o.series) if o.series is not None else None, issuing_body=o.issuing_body, url=o.url,
        document_id=o.document_id, workshop_ids=[w.id for w in o.workshops],
        recommendation_ids=[r.id for r in o.recommendations], summary=o.summary, version=o.version)


def _answer(output_id: int) -> s.OutputOut:
    db.session.expire_all()
    return output(output_detail(output_id))


def _data(o: Output) -> dict:
    """An output as the operations take it (the form's fields)."""
    return {"kind": o.kind, "title": o.title, "date": o.date.isoformat(), "date_precision": o.date_precision,
            "approximate": o.approximate, "network": o.network_id, "series_id": o.series_id,
            "issuing_body": o.issuing_body, "url": o.url, "document_id": o.document_id,
            "workshop_ids": [w.id for w in o.workshops], "summary": o.summary}


@operation("GET", "/outputs", summary="List written outputs", tag="Outputs", query=s.OutputQuery,
           response=s.OutputPage)
def list_outputs(query: s.OutputQuery):
    """Outputs, newest first, filtered as on the outputs page."""
    return paged_query(s.OutputPage, outputs_query(query.network, query.kind, query.year).options(), query, output)


@operation("GET", "/outputs/<int:output_id>", summary="Read a written output", tag="Outputs",
           response=s.OutputOut)
def get_output(output_id: int):
    found = output_detail(output_id)
    if found is None:
        raise ApiError(404, f"There is no output {output_id}.")
    return output(found)


@operation("POST", "/outputs", summary="Record a written output", tag="Outputs", body=s.OutputCreate,
           response=s.OutputOut, status=201, errors=(403,))
def create_output(body: s.OutputCreate):
    """A memorandum, study-group report, recommendation paper, chair's
    statement or policy brief of a network you organise, with or without the
    workshops that produced it. The date takes a precision (day, month,
    year) and `approximate`; a precision that contradicts its date is refused."""
    created = outputs_ops.create_output(current_user, body.model_dump())
    return json_response(_answer(created.id), 201, {"Location": api_url("get_output", output_id=created.id)})


@operation("PATCH", "/outputs/<int:output_id>", summary="Change a written output", tag="Outputs",
           body=s.OutputUpdate, response=s.OutputOut, errors=(403, 409))
def update_output(output_id: int, body: s.OutputUpdate):
    """Only the fields sent change; a new `date` without `date_precision` is
    read as records write it ("June 2007")."""
    found = output_detail(output_id)
    if found is None:
        raise ApiError(404, f"There is no output {output_id}.")
    require_edit(found)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    data = _data(found)
    if "date" in changes and "date_precision" not in changes:
        data.pop("date_precision")
        data.pop("approximate")
    outputs_ops.update_output(current_user, found, {**data, **changes}, body.version)
    return _answer(output_id)
