"""Featuring a recommendation: an organiser's mark that puts it first among
the report's highlights (reports/highlights.py; docs/report-definitions.md,
"Highlights"). It changes no stage and no figure; it is audited like every
write."""

from __future__ import annotations

from ..audit.operations import Conflict, expect_version, unit_of_work
from ..auth.access import require_edit
from .models import Recommendation


def set_featured(actor, rec: Recommendation, featured: bool, version: int | None = None) -> Recommendation:
    """Mark (or unmark) the recommendation as featured in the report's highlights."""
    require_edit(rec, actor)
    expect_version(rec, version)
    if rec.featured == bool(featured):
        return rec
    try:
        with unit_of_work(actor, note="Featured in the report" if featured else "No longer featured"):
            rec.featured = bool(featured)
    except Conflict as exc:
        if exc.obj is None:
            raise Conflict(rec, version) from exc
        raise
    return rec
