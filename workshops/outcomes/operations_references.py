"""The sources of an uptake event (models.UptakeEventReference): checked
from plain data, then saved in the event's unit of work. Re-exported by
operations.py.

The data is a list (`references`), one mapping per source, in order:

- `url`: a web address (http:// or https:// only), or
- `document_id`: a document already uploaded (documents/models.py), or
- `file`: a (filename, bytes) pair, uploaded with the event and checked by
  documents/operations.py;
- `label`: optional beside one of those; alone, it is a citation without a
  copy at hand (a document symbol such as ARF/SOM/2025/3).

A web address and a file in one source are refused; an entry with nothing
in it is skipped (the form's empty rows). Problems name the entry as
`references[i].url`, `references[i].label`, `references[i].file`…, `i`
counting every entry given, so a form shows them at its own rows.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core import cleaning
from ..documents.models import Document
from ..documents.operations import document_problem, store_document
from ..extensions import db
from .models import UptakeEvent, UptakeEventReference
from .operations_common import _optional_id, is_web_link, reference_problem

REFERENCE_URL_MAX = cleaning.column_limit(UptakeEventReference.url)
REFERENCE_LABEL_MAX = cleaning.column_limit(UptakeEventReference.label)
MAX_REFERENCES = 20


def url_problem(value: str) -> str | None:
    """Why a source's web address is refused, or None."""
    problem = reference_problem(value)
    if problem is None and value and not is_web_link(value):
        problem = ("Write a full web address starting with https://; a document symbol such as "
                   "ARF/SOM/2025/3 goes in the label alone.")
    return problem


def _file(value) -> tuple[str, bytes] | None:
    if value is None or value == "":
        return None
    if isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[1], (bytes, bytearray)):
        return str(value[0] or ""), bytes(value[1])
    return ("", b"") if value else None


def reference_values(errors: dict, data: Mapping) -> list[dict]:
    """The sources given in data["references"] as values to save, in order;
    each problem goes into `errors` under the entry's name."""
    given = data.get("references")
    if given is None:
        return []
    if isinstance(given, (str, bytes, Mapping)) or not hasattr(given, "__iter__"):
        errors["references"] = "Give the sources as a list."
        return []
    given = list(given)
    values: list[dict] = []
    for i, entry in enumerate(given):
        at = f"references[{i}]"
        if not isinstance(entry, Mapping):
            errors[at] = "Give each source as an object with a url, a document or a file, and a label."
            continue
        url = cleaning.clean_text(entry.get("url") or "")
        label = cleaning.clean_text(entry.get("label") or "")
        document_id = _optional_id(entry.get("document_id"))
        upload = _file(entry.get("file"))
        if not (url or label or document_id or upload):
            continue  # an empty row
        if len(url) > REFERENCE_URL_MAX:
            errors[f"{at}.url"] = cleaning.length_message(REFERENCE_URL_MAX)
        elif problem := url_problem(url):
            errors[f"{at}.url"] = problem
        if len(label) > REFERENCE_LABEL_MAX:
            errors[f"{at}.label"] = cleaning.length_message(REFERENCE_LABEL_MAX)
        if document_id is False or (document_id and db.session.get(Document, document_id) is None):
            errors[f"{at}.document_id"] = "There is no uploaded document with this id."
        if upload is not None and (problem := document_problem(*upload)):
            errors[f"{at}.file"] = problem
        if sum(bool(x) for x in (url, document_id, upload)) > 1:
            errors.setdefault(f"{at}.url", "Give either a web address or a file for one source, not both; "
                                           "add another source for the other.")
        values.append({"url": url or None, "label": label, "document_id": document_id or None, "file": upload})
    if len(values) > MAX_REFERENCES:
        errors["references"] = f"Give at most {MAX_REFERENCES} sources for one event."
    return values


def save_references(session, actor, event: UptakeEvent, values: list[dict]) -> bool:
    """Make the event's sources these, inside the caller's unit of work:
    uploaded files stored first, unchanged sources left as they are (so the
    audit trail shows only what changed). True when anything changed."""
    wanted = []
    for value in values:
        document_id = value["document_id"]
        if value["file"] is not None:
            document_id = store_document(session, actor, *value["file"]).id
        wanted.append((value["url"], document_id, value["label"]))
    current = list(event.references)
    if [(r.url, r.document_id, r.label) for r in current] == wanted:
        return False
    for position, (url, document_id, label) in enumerate(wanted):
        if position < len(current):
            row = current[position]
            row.url, row.document_id, row.label, row.position = url, document_id, label, position
        else:
            event.references.append(UptakeEventReference(position=position, url=url, document_id=document_id,
                                                         label=label))
    for row in current[len(wanted):]:
        event.references.remove(row)
        session.delete(row)  # deleted here, not as an orphan at the flush: the audit trail sees it
    return True
