"""The API's report models: the report's filters and the shape of its figures."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from ..programme.models import Series
from .schemas_common import Filters, text

# --------------------------------------------------------------- reports


class ReportQuery(Filters):
    network: text(60, "A network's acronym or id.") | None = None
    series: text(Series.slug, "A series' slug or id.") | None = None
    theme: text(60, "A theme's slug or id.") | None = None
    funder: text(60, (
        "An institute with the sponsor/funder role on some workshop: its id or acronym. Keeps the "
        "workshops it funded and their recommendations.")) | None = None
    # Text, checked by the report's own filter rules (a bad date names `as_of`).
    as_of: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
                     Field(json_schema_extra={"format": "date"})] | None = Field(
        None, description="The report date, YYYY-MM-DD (today when omitted).")
    first_year: int | None = Field(None, ge=1900, le=2200, description=(
        "The first year of a period of years (the grant cycle), the path's year being its last: "
        "at most 30 years, not after the last. The year alone when omitted."))


# The report's figures are built by reports/assembly.py (the same JSON as the
# report page's download); their meaning is in its `definitions`.
REPORT_SCHEMA = {
    "type": "object",
    "required": ["report", "filters", "generated_on", "empty", "headline", "activity", "participation",
                 "recommendations", "funnel", "uptake_events", "carry_over", "series", "definitions"],
    "properties": {
        "report": {"type": "string"},
        "filters": {"type": "object", "properties": {
            "year": {"type": "integer"}, "report_date": {"type": "string", "format": "date"},
            "first_year": {"type": "integer"}, "last_year": {"type": "integer"},
            "period": {"type": "string"}, "years": {"type": "integer"},
            "network": {"type": ["string", "null"]}, "series": {"type": ["string", "null"]},
            "theme": {"type": ["string", "null"]}, "funder": {"type": ["integer", "null"]},
            "funder_name": {"type": ["string", "null"]}}},
        "generated_on": {"type": "string", "format": "date"},
        "empty": {"type": "boolean"},
        "headline": {"type": "array", "items": {"type": "object", "required": ["key", "label", "value"]}},
        "activity": {"type": "object"},
        "participation": {"type": "object"},
        "recommendations": {"type": "object"},
        "funnel": {"type": "object"},
        "uptake_events": {"type": "object"},
        "carry_over": {"type": "object"},
        "series": {"type": "array", "items": {"type": "object"}},
        # reports/highlights.py and reports/foreword.py (definitions: "highlights", "foreword").
        "highlights": {"type": "object", "required": ["total", "shown", "items"], "properties": {
            "total": {"type": "integer"}, "shown": {"type": "integer"},
            "items": {"type": "array", "items": {"type": "object", "required": [
                "recommendation_id", "title", "featured", "stage", "reached_on", "origin", "event", "sources"]}}}},
        "foreword": {"type": ["object", "null"], "properties": {
            "year": {"type": "integer"}, "text": {"type": "string"}, "html": {"type": "string"}}},
        "definitions": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["name", "definition"],
            "properties": {"name": {"type": "string"}, "definition": {"type": "string"}}}},
    },
}
