"""The whole report: every figure for the filters in a fixed number of
statements (figures.py, recommendations.py), the headline of this year
beside last year with the change, and the dict the JSON export and the
API answer with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .definitions import DEFINITIONS
from .figures import activity, participation, series_table, uptake_events
from .filters import Filters
from .highlights import highlights_and_foreword
from .outputs import outputs_issued
from .recommendations import outcomes


@dataclass
class Report:
    filters: Filters
    generated_on: dt.date
    activity: dict
    participation: dict
    recommendations: dict
    funnel: dict
    uptake_events: dict
    carry_over: dict
    series: list[dict]
    outputs: dict = field(default_factory=lambda: {"total": 0, "previous_total": 0, "by_kind": []})
    headline: list[dict] = field(default_factory=list)
    highlights: dict = field(default_factory=lambda: {"total": 0, "shown": 0, "items": []})
    foreword: dict | None = None
    substance: dict = field(default_factory=dict)  # substance.py: symbolic against substantive
    people: dict = field(default_factory=dict)  # people_shares.py: gender among attendees, speakers and chairs

    @property
    def year(self) -> int:
        return self.filters.year

    @property
    def is_empty(self) -> bool:
        begun = self.filters.as_of >= self.filters.start
        return not (self.activity["workshops_held"] or self.outputs["total"] or self.funnel["total"]
                    or self.uptake_events["total"]
                    or (begun and (self.carry_over["open"] or self.carry_over["stale"])))

    def as_dict(self) -> dict:
        """Every figure on the page, for the JSON export."""
        return {
            "report": "annual outcome report",
            "filters": self.filters.as_dict(),
            "generated_on": self.generated_on.isoformat(),
            "empty": self.is_empty,
            "headline": self.headline,
            "foreword": self.foreword,
            "highlights": self.highlights,
            "activity": self.activity,
            "outputs": self.outputs,
            "participation": self.participation,
            "people": self.people,
            "recommendations": self.recommendations,
            "funnel": self.funnel,
            "uptake_events": self.uptake_events,
            "carry_over": self.carry_over,
            "series": self.series,
            "substance": self.substance,
            "definitions": {key: {"name": name, "definition": text}
                            for key, (name, text) in DEFINITIONS.items()},
        }


def _headline_row(key: str, label: str, value, previous, unit: str) -> dict:
    change = None
    if value is not None and previous is not None:
        change = round(value - previous, 4 if unit == "share" else 1)
        if unit == "count":
            change = int(change)
    return {"key": key, "label": label, "value": value, "previous": previous, "change": change,
            "unit": unit}


def headline(report: Report) -> list[dict]:
    a, p, fu, ev, co = (report.activity, report.participation, report.funnel, report.uptake_events,
                        report.carry_over)
    pp, fp = p["previous"], fu["previous"]
    return [
        _headline_row("workshops_held", "Workshops held", a["workshops_held"], a["previous_workshops_held"],
                      "count"),
        _headline_row("outputs_issued", "Outputs issued", report.outputs["total"], report.outputs["previous_total"],
                      "count"),
        _headline_row("attendees", "Distinct attendees", p["attendees"], pp["attendees"], "count"),
        _headline_row("countries", "Countries represented", p["countries"], pp["countries"], "count"),
        _headline_row("returning", "Returning participants", p["returning"], pp["returning"], "count"),
        _headline_row("serving_officials", "Share of serving officials", p["serving_officials_share"],
                      pp["serving_officials_share"], "share"),
        _headline_row("recommendations_made", "Recommendations made", fu["total"], fp["total"], "count"),
        _headline_row("fed_into_track1", "Fed into Track-1", fu["fed_into_track1"], fp["fed_into_track1"],
                      "count"),
        _headline_row("taken_up", "Taken up", fu["taken_up"], fp["taken_up"], "count"),
        _headline_row("median_days", "Median days to acknowledgement", fu["median_days_to_acknowledgement"],
                      fp["median_days_to_acknowledgement"], "days"),
        _headline_row("uptake_events", "Uptake events in the " + ("year" if report.filters.years == 1 else "period"),
                      ev["total"], ev["previous_total"], "count"),
        _headline_row("carry_over", "Carry-over (open from earlier years)", co["open"], co["previous_open"],
                      "count"),
        _headline_row("stale", "Stale", co["stale"], co["previous_stale"], "count"),
    ]


def build_report(f: Filters, generated_on: dt.date | None = None) -> Report:
    """Every figure of the report for the filters: a fixed number of statements."""
    found = outcomes(f)
    highlighted, preface = highlights_and_foreword(f)
    attendance, people = participation(f)
    report = Report(
        filters=f,
        generated_on=generated_on or dt.date.today(),
        activity=activity(f),
        participation=attendance,
        recommendations=found["recommendations"],
        funnel=found["funnel"],
        uptake_events=uptake_events(f),
        carry_over=found["carry_over"],
        series=series_table(f, found["series_recommendations"]),
        outputs=outputs_issued(f),
        highlights=highlighted,
        foreword=preface,
        substance=found["substance"],
        people=people,
    )
    report.headline = headline(report)
    return report
