"""Marking a recommendation for its network's public outcomes page.

Only an organiser of its network (or an admin) may, through the audited
unit of work: the audit trail keeps who marked or unmarked it and when.
Marking is allowed whatever its workshop's visibility (a workshop may be
made public later); what appears is decided by queries.shown_publicly
alone.
"""

from __future__ import annotations

from ..audit.operations import Invalid, expect_version, unit_of_work
from ..auth.access import require_edit
from ..outcomes.models import Recommendation


def set_public(actor, rec: Recommendation, public, version: int | None = None) -> Recommendation:
    """Mark (public=True) or unmark the recommendation. A value other than
    a boolean is refused at the field `is_public`; marking it as it already
    is changes nothing and writes no audit entry."""
    require_edit(rec, actor)
    if not isinstance(public, bool):
        raise Invalid({"is_public": "Say whether the recommendation is shown on the public page (true or false)."})
    expect_version(rec, version)
    if rec.is_public == public:
        return rec
    with unit_of_work(actor, note="Shown on the public outcomes page" if public
                      else "Taken off the public outcomes page"):
        rec.is_public = public
    return rec
