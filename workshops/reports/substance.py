"""Substance or symbolism, split (docs/report-definitions.md, "Symbolic
uptake", "Substantive uptake", "Strength of attribution"): per series and
overall, the recommendations of the period that Track-1 only acknowledged
(symbolic) against those it adopted or implemented (substantive), as of the
report date; and, of those taken up, the strongest attribution recorded on
their confirmed uptake events — explicit, paraphrase, thematic — or none
recorded. Each series also gets its years across the series window, for a
small chart.

The stage and the strongest attribution come from the progress facts alone
(outcomes/progress.py, the one home of both rules: rank_on_facts,
strongest_attribution_on_facts), so no event is read. A part of the report's
one statement over the recommendation facts (recommendations.outcomes),
which reads the window's rows once for this and the other figures.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, func, select

from ..outcomes import progress
from ..programme.models import Network, Series
from ..vocab import ATTRIBUTION_LABELS, ATTRIBUTIONS, STAGE_RANK, TAKEN_UP
from .filters import Filters
from .scope import count_if, share

RANK_SYMBOLIC = STAGE_RANK[TAKEN_UP]  # acknowledged, and no further
RANK_SUBSTANTIVE = STAGE_RANK["adopted"]  # adopted or implemented
# A recommendation counts under the strongest attribution recorded (1 = explicit).
ATTRIBUTION_STRENGTH = progress.ATTRIBUTION_STRENGTH
NOT_RECORDED = "not_recorded"


def _empty_counts() -> dict:
    return {"recommendations": 0, "symbolic": 0, "substantive": 0,
            **{a: 0 for a in ATTRIBUTIONS}, NOT_RECORDED: 0}


def _finish(counts: dict) -> dict:
    """The counts with their shares: of the recommendations taken up, how
    many were symbolic and how many substantive; the attributions as a list."""
    taken_up = counts["symbolic"] + counts["substantive"]
    return {
        "recommendations": counts["recommendations"],
        "taken_up": taken_up,
        "symbolic": counts["symbolic"],
        "substantive": counts["substantive"],
        "symbolic_share": share(counts["symbolic"], taken_up),
        "substantive_share": share(counts["substantive"], taken_up),
        "attribution": [
            *[{"attribution": a, "label": ATTRIBUTION_LABELS[a], "count": counts[a]} for a in ATTRIBUTIONS],
            {"attribution": NOT_RECORDED, "label": "Not recorded", "count": counts[NOT_RECORDED]},
        ],
    }


def part(f: Filters, facts) -> Select:
    """Symbolic against substantive uptake and the strength of attribution
    per series and year across the series window (Filters.window_start):
    a part of the report's one statement over the recommendation facts
    (recommendations.outcomes), `facts` being its rows — rank and strongest
    attribution as of the report date, series and origin day."""
    r = facts.c
    taken_up = r.rank >= RANK_SYMBOLIC
    # Counted by series and year of origin first, then each of the few hundred groups named:
    # joining Series and Network row by row and grouping by their names cost three times as
    # much (SQLite, 100,000 recommendations).
    counted = (
        select(
            r.series_id, r.origin_year.label("year"),
            func.count(r.id).label("recommendations"),
            count_if(r.rank == RANK_SYMBOLIC).label("symbolic"),
            count_if(r.rank >= RANK_SUBSTANTIVE).label("substantive"),
            *[count_if(and_(taken_up, r.strongest == n)).label(a) for a, n in ATTRIBUTION_STRENGTH.items()],
            count_if(and_(taken_up, r.strongest.is_(None))).label(NOT_RECORDED),
        )
        .where(r.start_date >= f.window_start)
        .group_by(r.series_id, r.origin_year)
        .subquery("substance_counted")
    )
    c = counted.c
    return (
        select(c.series_id, Series.name.label("label_series"), Network.acronym.label("label_network"), c.year,
               *[column for column in c if column.name not in ("series_id", "year")])
        .select_from(counted)
        .outerjoin(Series, Series.id == c.series_id)
        .outerjoin(Network, Network.id == Series.network_id)
    )


def per_series(f: Filters, rows: list[dict]) -> dict:
    """Each series' recommendations from part()'s rows, for the series table
    (figures.series_table): of the period, of the series window, and of the
    window's those taken up (acknowledged or further: symbolic or substantive)."""
    found: dict = {}
    for row in rows:
        entry = found.setdefault(row["series_id"], {"recommendations": 0, "recommendations_window": 0,
                                                    "taken_up_window": 0})
        if row["year"] >= f.first_year:
            entry["recommendations"] += row["recommendations"]
        entry["recommendations_window"] += row["recommendations"]
        entry["taken_up_window"] += (row["symbolic"] or 0) + (row["substantive"] or 0)
    return found


def substance(f: Filters, rows: list[dict]) -> dict:
    """Symbolic against substantive uptake and the strength of attribution,
    overall and per series for the period, and per series and year across
    the series window, from part()'s rows (one per series and year; a year
    before the period only feeds the series' years)."""
    window_start, first_year = f.window_start, f.first_year
    keys = tuple(_empty_counts())
    series: dict = {}
    for row in rows:
        entry = series.get(row["series_id"])
        if entry is None:
            entry = series[row["series_id"]] = {"series": row["label_series"] or "No series",
                                                "network": row["label_network"] or "",
                                                "counts": dict.fromkeys(keys, 0), "years": {}}
        entry["years"][row["year"]] = row
        if row["year"] >= first_year:
            counts = entry["counts"]
            for key in keys:
                counts[key] += row[key] or 0
    overall = {key: sum(e["counts"][key] for e in series.values()) for key in keys}
    window = range(window_start.year, f.year + 1)
    none = {"symbolic": 0, "substantive": 0, "recommendations": 0}
    by_series = []
    for e in series.values():
        years = e["years"]
        by_series.append({
            "series": e["series"], "network": e["network"], **_finish(e["counts"]),
            "years": [{"year": y, "symbolic": (row := years.get(y, none))["symbolic"] or 0,
                       "substantive": row["substantive"] or 0, "recommendations": row["recommendations"] or 0}
                      for y in window]})
    by_series.sort(key=lambda e: (e["network"], -e["taken_up"], -e["recommendations"], e["series"]))
    return {"overall": _finish(overall), "by_series": by_series,
            "window": {"first_year": window_start.year, "last_year": f.year}}
