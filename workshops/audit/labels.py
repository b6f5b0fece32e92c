"""How the audit trail names things to a person: the one home of the rule.

An entry stores what the code knows (`UptakeEvent`, `track1_body_id: 3`,
`date_precision: "day"`); the log page, each object's change history and any
export of the trail show it through these functions instead:

- `record_name("UptakeEventReference")` → "Reference of an uptake event";
- `field_label("UptakeEvent", "track1_body_id")` → "Track-1 body";
- `describe(entries)` → each entry's changes as (label, old, new) text, the
  id of a related row given as that row's name, looked up for a whole page
  of entries in one query ("ASEAN Regional Forum"), or as "Track-1 body #3"
  when the row is gone.

A name nobody mapped yet is humanised ("uptake_event_id" → "Uptake event"),
never shown as it is; tests/audit/test_labels.py fails for any audited model
or column without a label here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, literal, select, union_all

from .. import vocab
from ..extensions import db

# Each kind of record, as a person calls it.
RECORD_NAMES = {
    "AgendaItem": "Agenda session",
    "AgendaItemPerson": "Person in an agenda session",
    "ApiToken": "API token",
    "CarryOverCount": "Carried-over count (report)",
    "Document": "Document",
    "FirstAttendance": "First attendance",
    "FollowUpCheck": "Follow-up check",
    "FollowUpDigest": "Follow-up digest",
    "IdempotencyKey": "Repeated API request guard",
    "MemberInstitute": "Member institute",
    "Network": "Network",
    "OutboxMessage": "Email",
    "Output": "Output",
    "Participation": "Participation",
    "PasswordLink": "Password or invitation link",
    "Person": "Person",
    "Recommendation": "Recommendation",
    "RecommendationProgress": "Progress of a recommendation (report)",
    "ReportForeword": "Report foreword",
    "Series": "Series",
    "SeriesStatusChange": "Status change of a series",
    "SyntheticData": "Generated test data",
    "Theme": "Theme",
    "Track1Body": "Track-1 body",
    "Track1BodyMember": "Member country of a Track-1 body",
    "UptakeEvent": "Uptake event",
    "UptakeEventReference": "Reference of an uptake event",
    "User": "User",
    "Workshop": "Workshop",
    "WorkshopInstitute": "Institute of a workshop",
}

# Each field, whatever record it is in…
FIELD_LABELS = {
    "access_needs": "Access needs", "acknowledged_day_known": "Acknowledged on a known day",
    "acknowledged_on": "Acknowledged on", "acronym": "Acronym", "active": "Active", "adopted_on": "Adopted on",
    "affiliation": "Affiliation", "agenda_digest_on": "Agenda digest from",
    "agenda_digest_through": "Agenda digest until", "agenda_mail": "Agenda by email",
    "approximate": "Approximate date", "attempts": "Sending attempts", "attribution": "Attribution",
    "attributed_explicit_on": "Explicitly attributed on", "attributed_paraphrase_on": "Paraphrased on",
    "attributed_thematic_on": "Thematically attributed on", "body": "Saved answer",
    "chatham_house": "Chatham House rule", "checked_on": "Checked on", "city": "City",
    "closed_as": "Closed as", "closed_on": "Closed on", "closed_reason": "Reason for closing",
    "co_networks": "Co-organising networks", "confirmed": "Confirmed", "consent_to_be_named": "Consents to be named",
    "consent_to_list": "Consents to be listed", "content": "File", "content_type": "File type",
    "country": "Country", "date": "Date", "date_precision": "Date known to", "description": "Description",
    "dietary_needs": "Dietary needs", "due_count": "Recommendations due", "email": "Email",
    "end_date": "Last day", "ends_at": "Ends", "established": "Established", "evidence_kind": "Kind of evidence",
    "excerpt": "Excerpt", "featured": "Featured", "filename": "File name", "first_on": "First attended on",
    "format": "Format", "founded_year": "Founded in", "full_name": "Full name", "gender": "Gender",
    "guest_affiliation": "Guest's affiliation", "guest_honorific": "Guest's title", "guest_name": "Guest's name",
    "honorific": "Title", "implemented_on": "Implemented on", "institutes": "Member institutes",
    "is_public": "Shown publicly", "issuing_body": "Issued by", "key": "Request key", "kind": "Kind",
    "label": "Label", "last_change_on": "Last changed on", "last_change_year": "Year of last change",
    "last_error": "Last error", "last_event_on": "Last event on", "level": "Level", "location": "Created at address",
    "message_id": "Email Message-ID", "n": "Count", "name": "Name", "networks": "Networks",
    "next_check_on": "Next check due", "non_traditional": "Non-traditional security", "note": "Note",
    "notes": "Notes", "objectives": "Objectives", "occurred_on": "Happened on", "origin_approximate":
    "Origin date approximate", "origin_cancelled": "Origin workshop cancelled", "origin_end": "Origin's last day",
    "origin_precision": "Origin date known to", "origin_start": "Origin's first day", "origin_year": "Origin year",
    "outputs": "Outputs", "phone": "Phone", "position": "Position", "prefix": "Token starts with",
    "priority": "Priority", "purpose": "Purpose", "rank": "Stage reached", "reference": "Reference",
    "request_hash": "Request fingerprint", "role": "Role", "room": "Room", "rules": "Rules",
    "serving_official": "Serving official", "sector": "Sector", "sha256": "File checksum (SHA-256)",
    "size": "Size", "slug": "Web address name", "stage": "Stage", "start_date": "First day", "starts_at": "Starts",
    "status": "Status", "subject": "Subject", "summary": "Summary", "targets": "Targeted Track-1 bodies",
    "text": "Text", "themes": "Themes", "timezone": "Time zone", "title": "Title", "to_address": "To",
    "to_be_confirmed": "To be confirmed", "totp_last_step": "Last two-factor code used",
    "transmitted_on": "Transmitted on", "uid": "Calendar identifier", "url": "Web address", "venue": "Venue",
    "website": "Website", "week_of": "Week of", "workshops": "Workshops", "year": "Year",
    # hidden values: only that they changed is recorded (audit/operations.py NEVER_SHOWN)
    "password_hash": "Password", "totp_secret": "Two-factor secret", "totp_secret_encrypted": "Two-factor secret",
    "token_hash": "Token", "key_hash": "Key", "secret_token": "Secret link", "personal_token": "Personal link",
    "personal_token_hash": "Personal link", "personal_token_encrypted": "Personal link",
    "text_body": "Text of the email", "html_body": "HTML of the email", "attachments": "Attachments",
    "headers": "Email headers",
    # links to other rows not named after them
    "checked_by_id": "Checked by", "owner_id": "Owner", "parent_id": "Part of", "recorded_by_id": "Recorded by",
    "resent_from_id": "Resent from", "updated_by_id": "Last edited by", "uploaded_by_id": "Uploaded by",
    "institute_id": "Institute",
    "visibility": "Who can see it",
}
# …unless it means something else there.
FIELD_LABELS_IN = {
    ("Output", "date"): "Date issued",
    ("Output", "date_precision"): "Date known to",
    ("Workshop", "date_precision"): "Dates known to",
    ("Recommendation", "text"): "Full text",
    ("ReportForeword", "text"): "Foreword",
    ("ReportForeword", "year"): "Report year",
    ("SeriesStatusChange", "effective_on"): "From",
    ("Track1BodyMember", "country"): "Member country",
    ("Series", "kind"): "Kind of series",
    ("CarryOverCount", "rank"): "Stage", ("RecommendationProgress", "rank"): "Stage reached",
    ("RecommendationProgress", "workshop_id"): "Workshop", ("RecommendationProgress", "output_id"): "Output",
    ("RecommendationProgress", "series_id"): "Series",
}
# Ids of other rows kept without a foreign key (a report's copy of them).
REFERENCES_IN = {
    ("RecommendationProgress", "workshop_id"): "Workshop", ("RecommendationProgress", "output_id"): "Output",
    ("RecommendationProgress", "series_id"): "Series",
}

# Coded values, by field (and by record where one field name has several vocabularies).
_VALUES = {
    "stage": vocab.STAGE_LABELS, "closed_as": vocab.CLOSURE_LABELS, "evidence_kind": vocab.EVIDENCE_LABELS,
    "attribution": vocab.ATTRIBUTION_LABELS, "priority": vocab.PRIORITY_LABELS, "sector": vocab.SECTOR_LABELS,
    "format": vocab.FORMAT_LABELS, "visibility": vocab.VISIBILITY_LABELS,
    "date_precision": vocab.DATE_PRECISION_LABELS, "origin_precision": vocab.DATE_PRECISION_LABELS,
    "level": vocab.TRACK1_LEVEL_LABELS,
}
_VALUES_IN = {
    ("Participation", "role"): vocab.ROLE_LABELS, ("AgendaItemPerson", "role"): vocab.ROLE_LABELS,
    ("User", "role"): vocab.USER_ROLE_LABELS, ("WorkshopInstitute", "role"): vocab.INSTITUTE_ROLE_LABELS,
    ("Participation", "status"): vocab.PARTICIPATION_STATUS_LABELS,
    ("Workshop", "status"): vocab.WORKSHOP_STATUS_LABELS, ("SeriesStatusChange", "status"): vocab.SERIES_STATUS_LABELS,
    ("AgendaItem", "kind"): vocab.AGENDA_KIND_LABELS, ("Series", "kind"): vocab.SERIES_KIND_LABELS,
    ("Track1Body", "kind"): vocab.TRACK1_KIND_LABELS, ("Output", "kind"): vocab.OUTPUT_KIND_LABELS,
    ("AgendaItem", "status"): {s: s.capitalize() for s in vocab.AGENDA_ITEM_STATUSES},
}
# A recorded time (operations.py _jsonable: ISO 8601, in UTC), as the log shows its own times.
_ISO_TIME = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(?:\+00:00|Z)?")


def humanise(name: str) -> str:
    """'uptake_event_id' → 'Uptake event', 'UptakeEventReference' → 'Uptake event reference'."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").split()
    if len(words) > 1 and words[-1].lower() == "id":
        words = words[:-1]
    text = " ".join(words).lower()
    return (text[:1].upper() + text[1:]) or name


def record_name(object_type: str) -> str:
    return RECORD_NAMES.get(object_type) or humanise(object_type)


@cache
def _models() -> dict[str, type]:
    from ..db import Base

    return {m.class_.__name__: m.class_ for m in Base.registry.mappers}


@cache
def _tables() -> dict[str, str]:
    from ..db import Base

    return {m.local_table.name: m.class_.__name__ for m in Base.registry.mappers}


@cache
def reference_target(object_type: str, key: str) -> str | None:
    """The kind of record a field holds the id of ('Track1Body' for an
    uptake event's track1_body_id), from the model's foreign key."""
    if (object_type, key) in REFERENCES_IN:
        return REFERENCES_IN[object_type, key]
    model = _models().get(object_type)
    column = getattr(getattr(model, "__table__", None), "c", {}).get(key) if model is not None else None
    if column is None:
        return None
    for fk in column.foreign_keys:
        return _tables().get(fk.column.table.name)
    return None


def explicit_label(object_type: str, key: str) -> str | None:
    """The label this module gives a field, or None when only the fallback
    would name it (what tests/audit/test_labels.py looks for). A link named
    after the kind of row it points to (`track1_body_id`) takes that kind's name."""
    label = FIELD_LABELS_IN.get((object_type, key)) or FIELD_LABELS.get(key)
    if label:
        return label
    target = reference_target(object_type, key)
    if target and target in RECORD_NAMES and key == f"{_table_of(target)}_id":
        return RECORD_NAMES[target]
    return None


@cache
def _table_of(model_name: str) -> str:
    return {v: k for k, v in _tables().items()}.get(model_name, "")


def field_label(object_type: str, key: str) -> str:
    return explicit_label(object_type, key) or humanise(key)


# How a row is named when another row points to it: its columns, the first
# non-empty one (a participation is named by its person, through `person`).
NAME_COLUMNS = {
    "AgendaItem": ("title",), "Document": ("filename",), "MemberInstitute": ("acronym", "name"),
    "Network": ("acronym", "name"), "OutboxMessage": ("subject",), "Output": ("title",),
    "Participation": ("person.full_name",), "Person": ("full_name",), "Recommendation": ("title",),
    "Series": ("name",), "Track1Body": ("acronym", "name"), "UptakeEvent": ("title",), "User": ("name",),
    "Workshop": ("title",),
}


def _name_query(kind: str, ids: set[int]):
    model = _models()[kind]
    query = select(literal(kind).label("kind"), model.id.label("id"))
    columns = []
    for path in NAME_COLUMNS[kind]:
        if "." in path:
            relation, column = path.split(".")
            target = getattr(model, relation).property.mapper.class_
            query = query.select_from(model).join(getattr(model, relation))
            columns.append(getattr(target, column))
        else:
            columns.append(getattr(model, path))
    name = columns[0] if len(columns) == 1 else func.coalesce(*[func.nullif(c, "") for c in columns])
    return query.add_columns(name.label("name")).where(model.id.in_(sorted(ids)))


def names_of(wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """The names of the rows wanted ({"Track1Body": {3, 5}}), in one query."""
    selects = [_name_query(kind, ids) for kind, ids in sorted(wanted.items()) if kind in NAME_COLUMNS and ids]
    if not selects:
        return {}
    statement = selects[0] if len(selects) == 1 else union_all(*selects)
    return {(kind, row_id): name for kind, row_id, name in db.session.execute(statement) if name}


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None: nothing before (a create) or after (a delete)
    new: str | None


def value_text(object_type: str, key: str, value, names: dict | None = None) -> str:
    """One old or new value as a person reads it, short enough for a table cell."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(value_text(object_type, key, v, names) for v in value)
    target = reference_target(object_type, key)
    if target and isinstance(value, int):
        name = (names or {}).get((target, value))
        return name or f"{record_name(target)} #{value}"
    coded = _VALUES_IN.get((object_type, key)) or _VALUES.get(key)
    if coded and isinstance(value, str):
        value = coded.get(value, value)
    text = str(value)
    time = _ISO_TIME.fullmatch(text)
    if time:
        text = f"{time[1]} {time[2]} UTC"
    return text if len(text) <= 200 else text[:199] + "…"


def _wanted(entries) -> dict[str, set[int]]:
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        for key, change in (entry.changes or {}).items():
            target = reference_target(entry.object_type, key)
            if target:
                wanted.setdefault(target, set()).update(v for v in change if isinstance(v, int))
    return wanted


def describe(entries) -> dict[int, list[Change]]:
    """Each entry's changes as a person reads them, by entry id; the rows
    they point to named with one query for all the entries."""
    names = names_of(_wanted(entries))
    described = {}
    for entry in entries:
        changes = []
        for key, (old, new) in (entry.changes or {}).items():
            changes.append(Change(
                field_label(entry.object_type, key),
                None if entry.action == "create" else value_text(entry.object_type, key, old, names),
                None if entry.action == "delete" else value_text(entry.object_type, key, new, names),
            ))
        described[entry.id] = changes
    return described
