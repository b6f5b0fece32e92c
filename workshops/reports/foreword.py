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


def foreword_query(f: Filters):
    """SELECT of the report's foreword (no row when none is written), for
    highlights.py to read in its own statement: columns fw_text, fw_version, fw_updated_at."""
    network = (ReportForeword.network_id.is_(None) if f.network_id is None
               else ReportForeword.network_id == f.network_id)
    return select(ReportForeword.text.label("fw_text"), ReportForeword.version.label("fw_version"),
                  ReportForeword.updated_at.label("fw_updated_at")).where(ReportForeword.year == f.year, network)


def foreword_dict(f: Filters, text: str, version: int, updated_at) -> dict:
    """The report's foreword as the JSON gives it: its Markdown and the safe HTML made from it."""
    return {"year": f.year, "network": f.network, "text": text, "html": str(markdown_text.render(text)),
            "version": version, "updated_at": updated_at.isoformat()}
