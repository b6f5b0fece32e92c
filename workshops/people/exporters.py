"""A workshop's participant list as CSV or XLSX, and the import template.
Every text cell is neutralised against formula injection (core.spreadsheets)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..core.countries import country_name
from ..core.spreadsheets import csv_bytes, xlsx_bytes
from ..programme.models import Workshop
from ..vocab import PARTICIPATION_STATUS_LABELS, ROLE_LABELS, SECTOR_LABELS
from .importing import IMPORT_COLUMNS
from .models import Participation


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def participant_table(participations: Sequence[Participation], *, with_email: bool) -> tuple[list, list]:
    # The participant's own answer and needs (people/operations_reply.py): for catering and the venue.
    header = ["Name", "Affiliation", "Country", "Sector", "Role", "Status", "Serving official",
              "Consent to be listed", "Answered on", "Dietary needs", "Access needs"]
    if with_email:
        header.append("Email")
    rows = []
    for p in participations:
        row = [
            p.person.display_name,
            p.affiliation,
            country_name(p.country),
            SECTOR_LABELS.get(p.sector, p.sector),
            ROLE_LABELS.get(p.role, p.role),
            PARTICIPATION_STATUS_LABELS.get(p.status, p.status),
            _yes_no(p.serving_official),
            _yes_no(p.consent_to_list),
            p.responded_at.date().isoformat() if p.responded_at else "",
            p.dietary_needs,
            p.access_needs,
        ]
        if with_email:
            row.append(p.person.email or "")
        rows.append(row)
    return header, rows


def participants_file(workshop: Workshop, participations: Sequence[Participation], fmt: str,
                      *, with_email: bool) -> bytes:
    header, rows = participant_table(participations, with_email=with_email)
    if fmt == "xlsx":
        return xlsx_bytes(header, rows, title="Participants")
    return csv_bytes(header, rows)


def filename_for(workshop: Workshop, what: str, fmt: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9-]+", "-", workshop.slug).strip("-")[:80] or f"workshop-{workshop.id}"
    return f"{stem}-{what}.{fmt}"


TEMPLATE_EXAMPLES = [
    ["Siti Rahman", "siti.rahman@example.org", "MY", "academia", "speaker", "confirmed",
     "ISIS Malaysia", "no", "yes", "yes"],
    ["Tran Minh Duc", "tran.duc@example.org", "Vietnam", "military", "participant", "invited",
     "Institute for Defence Strategy", "yes", "no", "no"],
]


def import_template(fmt: str) -> bytes:
    """The header an import expects, with two example rows to overwrite."""
    header = list(IMPORT_COLUMNS)
    if fmt == "xlsx":
        return xlsx_bytes(header, TEMPLATE_EXAMPLES, title="Participants")
    return csv_bytes(header, TEMPLATE_EXAMPLES)


def import_problems_file(check) -> bytes:
    """The rows of an import preview that have problems, as a CSV file to
    fix and upload again: the import's own columns (as read) and a last
    column naming the problems (ignored by the import: delete it or not)."""
    header = [*IMPORT_COLUMNS, "problem"]
    rows = [[r.raw.get(c, "") for c in IMPORT_COLUMNS] + [" ".join(r.problems)] for r in check.with_problems]
    return csv_bytes(header, rows)
