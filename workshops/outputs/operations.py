"""Changing written outputs: create, change, delete (only one no
recommendation comes from). Every function takes the acting user and plain
data (the HTML form and the JSON API pass the same dicts), checks who may
act (the organisers of the output's network), gathers every field's
problem into one `Invalid`, and saves through the audited unit of work.

data: kind, title, date (+ date_precision, approximate: core/partial_dates.py),
network (id), series_id, issuing_body, url, document_id, workshop_ids, summary;
the web form may give `upload`, a (filename, bytes) pair stored as a new
document (documents/operations.py) in the same unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from flask import abort
from sqlalchemy import select

from ..audit.operations import expect_version, unit_of_work
from ..auth.access import can_edit, require_edit
from ..core import cleaning
from ..core.clock import today
from ..core.partial_dates import PartialDate, check_precision, format_partial_date, parse_partial_date  # noqa: F401
from ..documents.models import Document
from ..documents.operations import check_document, store_document
from ..errors import Invalid, Problems
from ..extensions import db
from ..programme.models import Network, Series, Workshop
from ..programme.operations_common import _as_id, _as_ids, _optional, _required, _website
from ..vocab import OUTPUT_KINDS
from .models import Output

TITLE_MAX = cleaning.column_limit(Output.title)
ISSUING_BODY_MAX = cleaning.column_limit(Output.issuing_body)
URL_MAX = cleaning.column_limit(Output.url)
SUMMARY_MAX = 20_000


def output_date(data: Mapping) -> PartialDate:
    """The date as given: a PartialDate (the web form has read it), a loose
    notation ("June 2007", "c. 2008") when no precision is named, or a day
    (ISO) with its `date_precision` checked against it (the API). Raises
    Invalid naming `date` or `date_precision`."""
    value, precision = data.get("date"), data.get("date_precision")
    approximate = data.get("approximate") in (True, "true", "on", "1", 1)
    if isinstance(value, PartialDate):
        return PartialDate(value.first_day, value.precision, value.approximate or approximate)
    if isinstance(value, dt.datetime):
        value = value.date()
    if precision in (None, ""):
        if isinstance(value, dt.date):
            return PartialDate(value, "day", approximate)
        found = parse_partial_date(value if isinstance(value, str) else None)
        return PartialDate(found.first_day, found.precision, found.approximate or approximate)
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid({"date": "With a date_precision, give the date as YYYY-MM-DD "
                                   "(a month as its first day, a year as its 1 January)."}) from None
    if not isinstance(value, dt.date):
        raise Invalid({"date": "Give the date the output was issued."})
    found = check_precision(value, precision)
    return PartialDate(found.first_day, found.precision, approximate)


def _values(actor, data: Mapping, output: Output | None) -> tuple[dict, list[Workshop]]:
    found = Problems()
    values: dict = {}
    kind = cleaning.clean_text(data.get("kind")) or "memorandum"
    if kind not in OUTPUT_KINDS:
        found.add("kind", "Pick one of the kinds of output.")
    values["kind"] = kind
    values["title"] = found.check(_required, data, "title", "Give the output its title.", max_length=TITLE_MAX)
    when = found.check(output_date, data)
    if when is not None:
        if when.first_day > today():
            found.add("date", f"This date is in the future (today is {today():%d %B %Y}); "
                              "record an output once it is issued.")
        values.update(date=when.first_day, date_precision=when.precision, approximate=when.approximate)
    network_id = found.check(_as_id, data.get("network"), "network", "Pick a network from the list.")
    network = db.session.get(Network, network_id) if network_id else None
    if network_id is None and "network" not in found.errors:
        found.add("network", "Pick the network that issued the output.")
    elif network_id is not None and network is None:
        found.add("network", "Pick a network from the list.")
    elif network is not None and not can_edit(network.id, actor):
        abort(403)  # not the actor's network, as for a workshop (operations_organisers.organisers_from)
    values["network_id"] = network.id if network is not None else None
    series_id = found.check(_as_id, data.get("series_id"), "series_id", "Pick a series from the list.")
    if series_id is not None:
        series = db.session.get(Series, series_id)
        if series is None:
            found.add("series_id", "Pick a series from the list.")
        elif network is not None and series.network_id != network.id:
            found.add("series_id", f"This series belongs to {series.network.acronym}, not {network.acronym}.")
    values["series_id"] = series_id
    values["issuing_body"] = found.check(_optional, data, "issuing_body", max_length=ISSUING_BODY_MAX)
    values["url"] = found.check(_website, data, "url")
    values["summary"] = found.check(_optional, data, "summary", max_length=SUMMARY_MAX, multiline=True)
    document_id = found.check(_as_id, data.get("document_id"), "document_id", "Pick an uploaded document.")
    if document_id is not None:
        if db.session.get(Document, document_id) is None:
            found.add("document_id", "There is no uploaded document with this id.")
    values["document_id"] = document_id
    workshops: list[Workshop] = []
    workshop_ids = data.get("workshop_ids") or []
    if isinstance(workshop_ids, (str, bytes, int)):
        found.add("workshop_ids", "Give the producing workshops as a list of ids.")
    else:
        ids = found.check(_as_ids, workshop_ids, "workshop_ids") or []
        if ids:
            workshops = list(db.session.scalars(select(Workshop).where(Workshop.id.in_(ids))))
            if len(workshops) != len(ids):
                found.add("workshop_ids", "One of the workshops picked does not exist; pick again from the list.")
            order = {i: n for n, i in enumerate(ids)}
            workshops.sort(key=lambda w: order[w.id])
    upload = data.get("upload")
    if upload:
        found.check(check_document, upload[0], upload[1], field="upload")
    found.raise_any()
    return values, workshops


def _attach(session, actor, output: Output, data: Mapping) -> None:
    """An uploaded file becomes the output's document (inside the unit of work)."""
    upload = data.get("upload")
    if upload:
        output.document = store_document(session, actor, upload[0], upload[1], field="upload")


def create_output(actor, data: Mapping) -> Output:
    """Record a written output of a network the actor organises."""
    values, workshops = _values(actor, data, None)
    require_edit(values["network_id"], actor)
    with unit_of_work(actor) as session:
        output = Output(**values)
        output.workshops = workshops
        session.add(output)
        _attach(session, actor, output, data)
    return output


def update_output(actor, output: Output, data: Mapping, version: int | None = None) -> Output:
    """Change an output; moving it to another network needs the right in both."""
    require_edit(output, actor)
    expect_version(output, version)
    values, workshops = _values(actor, data, output)
    with unit_of_work(actor) as session:
        for key, value in values.items():
            setattr(output, key, value)
        _attach(session, actor, output, data)
        if [w.id for w in output.workshops] != [w.id for w in workshops]:
            output.workshops = workshops
            output.version = output.version + 1  # only the links changed: still a new version
    return output


def delete_problem(output: Output) -> str | None:
    """Why the output may not be deleted, or None: recommendations come from it."""
    count = len(output.recommendations)
    if count:
        return (f"{count} recommendation{'s' if count != 1 else ''} come{'' if count != 1 else 's'} from this "
                "output; move or delete them first.")
    return None


def delete_output(actor, output: Output) -> None:
    require_edit(output, actor)
    problem = delete_problem(output)
    if problem:
        raise Invalid({"recommendations": problem})
    with unit_of_work(actor):
        db.session.delete(output)
