"""The closed lists of the domain (docs/domain.md), each with the label a person
reads. The database CHECK constraints are built from the same tuples."""

from __future__ import annotations

# The road of a recommendation, in order: the stage is the furthest reached.
STAGES = ("proposed", "transmitted", "acknowledged", "adopted", "implemented")
STAGE_LABELS = {
    "proposed": "Proposed",
    "transmitted": "Transmitted",
    "acknowledged": "Acknowledged",
    "adopted": "Adopted",
    "implemented": "Implemented",
}
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}
FED_INTO_TRACK1 = "transmitted"  # "fed into Track-1": at least this stage
TAKEN_UP = "acknowledged"  # "taken up": at least this stage
STALE_AFTER_DAYS = 365  # no event for twelve months and not yet adopted

CLOSURES = ("declined", "superseded", "withdrawn")
CLOSURE_LABELS = {"declined": "Declined", "superseded": "Superseded", "withdrawn": "Withdrawn"}

EVIDENCE_KINDS = ("document", "statement", "meeting", "press")
EVIDENCE_LABELS = {
    "document": "Document",
    "statement": "Statement",
    "meeting": "Meeting",
    "press": "Press",
}

# How strongly an uptake event's source ties the Track-1 text to the recommendation.
ATTRIBUTIONS = ("explicit", "paraphrase", "thematic")
ATTRIBUTION_LABELS = {
    "explicit": "Explicit citation",  # the Track-1 text cites the recommendation
    "paraphrase": "Paraphrase",  # it restates the recommendation in its own words
    "thematic": "Thematic echo",  # it echoes the recommendation's theme
}

PRIORITIES = ("high", "medium", "low")
PRIORITY_LABELS = {"high": "High", "medium": "Medium", "low": "Low"}

ROLES = ("chair", "speaker", "discussant", "rapporteur", "participant", "observer", "organiser")
ROLE_LABELS = {r: r.capitalize() for r in ROLES}

PARTICIPATION_STATUSES = ("invited", "confirmed", "declined", "attended", "no_show")
PARTICIPATION_STATUS_LABELS = {
    "invited": "Invited",
    "confirmed": "Confirmed",
    "declined": "Declined",
    "attended": "Attended",
    "no_show": "No-show",
}

SECTORS = (
    "academia",
    "government",
    "military",
    "civil_society",
    "international_org",
    "private_sector",
)
SECTOR_LABELS = {
    "academia": "Academia / think tank",
    "government": "Government (private capacity)",
    "military": "Military",
    "civil_society": "Civil society",
    "international_org": "International organisation",
    "private_sector": "Private sector",
}

FORMATS = ("in_person", "hybrid", "online")
FORMAT_LABELS = {"in_person": "In person", "hybrid": "Hybrid", "online": "Online"}

VISIBILITIES = ("public", "participants", "private")
VISIBILITY_LABELS = {
    "public": "Public — anyone with the link",
    "participants": "Participants — secret and personal links",
    "private": "Private — logged-in users only",
}

WORKSHOP_STATUSES = ("draft", "published", "cancelled")
WORKSHOP_STATUS_LABELS = {"draft": "Draft", "published": "Published", "cancelled": "Cancelled"}

# What an institute did for a workshop (programme/models.py WorkshopInstitute); several per workshop.
INSTITUTE_ROLES = ("host", "co_organiser", "funder")
INSTITUTE_ROLE_LABELS = {"host": "Host", "co_organiser": "Co-organiser", "funder": "Sponsor / funder"}

# How well a date is known (core/partial_dates.py): "12 June 2007", "June 2007", "2007".
DATE_PRECISIONS = ("day", "month", "year")
DATE_PRECISION_LABELS = {"day": "Day", "month": "Month", "year": "Year"}

AGENDA_KINDS = (
    "opening",
    "keynote",
    "panel",
    "roundtable",
    "session",
    "break",
    "meal",
    "closing",
    "other",
)
AGENDA_KIND_LABELS = {k: k.capitalize() for k in AGENDA_KINDS}
AGENDA_ITEM_STATUSES = ("scheduled", "cancelled")

AGENDA_PERSON_ROLES = ("chair", "speaker", "discussant")

SERIES_STATUSES = ("active", "dormant", "revived")
SERIES_STATUS_LABELS = {"active": "Active", "dormant": "Dormant", "revived": "Revived"}

SERIES_KINDS = ("study_group", "annual_meeting", "workshop_series", "roundtable_series")
SERIES_KIND_LABELS = {
    "study_group": "Study group",
    "annual_meeting": "Annual meeting",
    "workshop_series": "Workshop series",
    "roundtable_series": "Roundtable series",
}

TRACK1_KINDS = (
    "regional_forum",
    "ministerial_meeting",
    "summit",
    "working_group",
    "bilateral_dialogue",
    "other",
)
TRACK1_KIND_LABELS = {
    "regional_forum": "Regional forum",
    "ministerial_meeting": "Ministerial meeting",
    "summit": "Summit",
    "working_group": "Working group / inter-sessional",
    "bilateral_dialogue": "Bilateral dialogue (2+2, 3+3)",
    "other": "Other",
}
TRACK1_LEVELS = (
    "leaders",
    "ministerial",
    "vice_ministerial",
    "senior_officials",
    "director_general",
    "working",
)
TRACK1_LEVEL_LABELS = {
    "leaders": "Leaders",
    "ministerial": "Ministerial",
    "vice_ministerial": "Vice-ministerial",
    "senior_officials": "Senior officials",
    "director_general": "Director-general",
    "working": "Working level",
}

# A network's written products, issued with or without a meeting (outputs/models.py).
OUTPUT_KINDS = ("memorandum", "study_group_report", "recommendation_paper", "chairs_statement", "policy_brief",
                "other")
OUTPUT_KIND_LABELS = {
    "memorandum": "Memorandum",
    "study_group_report": "Study group report",
    "recommendation_paper": "Recommendation paper",
    "chairs_statement": "Chair's statement",
    "policy_brief": "Policy brief",
    "other": "Other",
}

USER_ROLES = ("admin", "organiser", "viewer")
USER_ROLE_LABELS = {"admin": "Admin", "organiser": "Organiser", "viewer": "Viewer"}

AUDIT_ACTIONS = ("create", "update", "delete", "export")  # export: a person's data was downloaded


def sql_in(column: str, values: tuple[str, ...]) -> str:
    """The text of a CHECK constraint limiting a column to a closed list."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
