"""The foreword of a report (docs/report-definitions.md, "Foreword"): the
organisers' short text for a year, for all networks or one network, read
here and written by reports/operations.py. A report over a period of years
shows the foreword of its last year; a report filtered by a network shows
that network's, the others the one for all networks.
"""

from __future__ import annotations

from sqlalchemy import select

from ..core import markdown_text
from ..extensions import db
from .filters import Filters
from .models import ReportForeword


def foreword_of(year: int, network_id: int | None) -> ReportForeword | None:
    """The foreword of the year's report for the network (None: all networks), if written."""
    network = (ReportForeword.network_id.is_(None) if network_id is None
               else ReportForeword.network_id == network_id)
    return db.session.scalars(select(ReportForeword).where(ReportForeword.year == year, network)).first()


def foreword(f: Filters) -> dict | None:
    """The report's foreword as the JSON gives it (Markdown and its safe HTML), or None: one statement."""
    found = foreword_of(f.year, f.network_id)
    if found is None:
        return None
    return {"year": found.year, "network": f.network, "text": found.text,
            "html": str(markdown_text.render(found.text)), "version": found.version,
            "updated_at": found.updated_at.isoformat()}
