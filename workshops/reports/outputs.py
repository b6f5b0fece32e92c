"""Written outputs in the report (docs/report-definitions.md, "Outputs
issued"): memoranda, study-group reports and statements are not workshops
held, so they are counted apart, by kind; and a recommendation that comes
from an output alone (no workshop) counts in the recommendation figures in
the year of the output's date (its first possible day), dated from that
day (outcomes/origin.py) — the same filters, one rule for both.

Filters on outputs: a network keeps its outputs, a series those of the
series; outputs have no funder and no theme of their own, so a funder
filter keeps none of them, and the theme filter applies to their
recommendations (as it does to every recommendation), not to the outputs
counted by kind.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import false, func, select

from ..outputs.models import Output
from ..vocab import OUTPUT_KIND_LABELS, OUTPUT_KINDS
from .filters import Filters
from .scope import Bound, run, year_of


def output_conditions(f: Filters, start: dt.date | None, end: dt.date, *, theme: bool = False) -> list:
    """Outputs issued in [start, end) and by the report date, within the
    filters; `theme` applies the theme filter to the output itself (which
    has none, so it keeps none)."""
    conditions = [Output.date < end, Output.date <= f.as_of]
    if start is not None:
        conditions.append(Output.date >= start)
    if f.network_id is not None:
        conditions.append(Output.network_id == f.network_id)
    if f.series_id is not None:
        conditions.append(Output.series_id == f.series_id)
    if getattr(f, "funder_id", None) is not None:
        conditions.append(false())  # an output has no funder
    if theme and f.theme_id is not None:
        conditions.append(false())  # nor a theme of its own
    return conditions


def _outputs_statement(f: Bound):
    year = year_of(f, Output.date)
    return (select(year.label("year"), Output.kind, func.count(Output.id).label("n"))
            .where(*output_conditions(f, f.previous_start, f.end, theme=True)).group_by(year, Output.kind))


def outputs_issued(f: Filters) -> dict:
    """Outputs issued this year and last, and this year's by kind: one statement."""
    rows = run(_outputs_statement, f).all()
    this = {row.kind: row.n for row in rows if row.year == f.year}
    return {
        "total": sum(this.values()),
        "previous_total": sum(row.n for row in rows if row.year == f.year - 1),
        "by_kind": [{"kind": k, "label": OUTPUT_KIND_LABELS[k], "count": this[k]} for k in OUTPUT_KINDS if k in this],
    }

