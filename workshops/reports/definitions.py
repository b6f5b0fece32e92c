"""What each figure of the annual outcome report means, in one sentence.

This is the one source of the wording: the report page and the PDF render
their glossary from DEFINITIONS, and docs/report-definitions.md (included in
the README) is written from it by `python -m workshops.reports.definitions`.
A test fails when the file and this module drift apart.
"""

from __future__ import annotations

from ..vocab import STALE_AFTER_DAYS

# key -> (name shown on the page, one-line definition). In page order.
DEFINITIONS: dict[str, tuple[str, str]] = {
    "year": (
        "Year of a workshop",
        "A workshop belongs to the calendar year in which it starts; a workshop from 30 December "
        "to 2 January counts in the year of 30 December. A workshop dated only to the month or the "
        "year (“June 2007”, “c. 2008”) counts in that year; sorting and filters use its first "
        "possible day.",
    ),
    "period": (
        "Period",
        "A report covers a calendar year (/reports/2025) or a period of whole years, at most 30 "
        "(/reports/2020-2025, the grant cycle): a figure said of the year then counts the whole "
        "period, and the previous year is the previous period of the same length (2014–2019); the "
        "series window grows to the period when it is longer than five years, and uptake events are "
        "shown by year instead of by month.",
    ),
    "report_date": (
        "Report date",
        "The day the figures are computed for (today unless another date is chosen): workshops, "
        "uptake events and closures dated after it are not counted.",
    ),
    "filters": (
        "Filters",
        "A network keeps the workshops it organised as lead or co-organiser (a co-organised "
        "workshop counts for each of its networks), a series its workshops, a funder the workshops "
        "that institute funded, each with their recommendations; a theme keeps workshops and "
        "recommendations tagged with it.",
    ),
    "foreword": (
        "Foreword",
        "A short text the organisers write for a year's report, for all networks or for one "
        "network (shown when the report is filtered by it), in Markdown without HTML; a report over "
        "several years shows its last year's. Admins write the one for all networks, a network's "
        "organisers its own; every change is in the audit trail.",
    ),
    "highlights": (
        "Highlights",
        "Recommendations within the filters, of any year, whose first confirmed uptake event at "
        "adopted or at implemented is dated in the period, by the report date; each at the furthest "
        "of the two, with that event's Track-1 body, excerpt and sources and the strength of "
        "attribution where judged. Featured ones first, then by that day; at most 100 listed.",
    ),
    "featured": (
        "Featured",
        "A recommendation its organisers marked on its page to be listed first among the "
        "highlights of the period in which it reaches adopted or implemented; it changes no figure.",
    ),
    "workshops_held": (
        "Workshops held",
        "Workshops of the year that were not cancelled and started on or before the report date.",
    ),
    "workshops_planned": (
        "Workshops planned",
        "Workshops of the year that are not cancelled and start after the report date; no other "
        "figure counts them or their recommendations until they are held.",
    ),
    "outputs_issued": (
        "Outputs issued",
        "Memoranda, reports and statements dated in the year (by their first possible day) and by "
        "the report date, by kind: not workshops held. A network or series keeps its own; a funder "
        "or theme filter keeps none. A recommendation of an output alone counts in the recommendation "
        "figures in the output's year, with days counted from the output's date.",
    ),
    "attendees": (
        "Distinct attendees",
        "People with at least one participation marked “attended” at a workshop held that year, "
        "each counted once however many workshops they attended.",
    ),
    "countries": (
        "Countries represented",
        "Distinct countries recorded on the attended participations of the year (the country a "
        "person represented at that workshop).",
    ),
    "sector_mix": (
        "Sector mix",
        "Distinct attendees by the sector recorded on their last attended participation of the "
        "year, so the sectors add up to the distinct attendees.",
    ),
    "gender": (
        "Gender",
        "Distinct attendees, and distinct speakers and chairs (their participation role), by the "
        "self-described gender of their last attended participation of the year; not recorded is "
        "counted, never guessed. Counted case-folded (“Woman” and “woman” are one), shown in the most "
        "frequent spelling; shares of everyone in the group.",
    ),
    "returning": (
        "Returning participants",
        "Distinct attendees of the year who had also attended a workshop that started before "
        "1 January of that year, within the same filters. In a period report, before the period's "
        "first year: someone who came in 2021 and again in 2024 is returning in the 2024 report, "
        "not in the 2021–2025 report unless they had come before 2021.",
    ),
    "serving_officials": (
        "Share of serving officials",
        "Distinct attendees marked as a serving official on at least one attended participation "
        "of the year, divided by the distinct attendees.",
    ),
    "recommendations_made": (
        "Recommendations made",
        "Recommendations agreed at the workshops held that year.",
    ),
    "recommendations_by_theme": (
        "Recommendations by theme and by target body",
        "Recommendations of the year counted under each of their themes and each Track-1 body "
        "they are addressed to, so a recommendation with two themes counts under both.",
    ),
    "funnel": (
        "Uptake funnel",
        "The year's recommendations that reached at least each stage by the report date; a "
        "recommendation's stage is the furthest stage any of its confirmed uptake events reached.",
    ),
    "fed_into_track1": (
        "Fed into Track-1",
        "Recommendations of the year that reached at least “transmitted” by the report date.",
    ),
    "taken_up": (
        "Taken up",
        "Recommendations of the year that reached at least “acknowledged” by the report date.",
    ),
    "closed": (
        "Closed",
        "Recommendations of the year closed as declined, superseded or withdrawn on or before the "
        "report date; they stay in the funnel at the stage they had reached.",
    ),
    "median_days": (
        "Median days to acknowledgement",
        "The median, over the year's recommendations taken up by the report date, of the days "
        "from the workshop's last day to the first event at “acknowledged” or beyond (0 for an "
        "event during the workshop); the timeline, the CSV and the API count days the same way. "
        "Only pairs known to the day count (no month, year or approximate date); the report says "
        "how many it left out.",
    ),
    "uptake_events": (
        "Uptake events in the year",
        "Uptake events dated in the year (and on or before the report date), whatever year their "
        "recommendation came from.",
    ),
    "unconfirmed_events": (
        "Not yet confirmed",
        "Uptake events of the year recorded as not yet confirmed, counted apart: they move no "
        "recommendation's stage and count in no other figure (nor in carry-over, stale or the "
        "median days) until they are confirmed.",
    ),
    "carry_over": (
        "Carry-over",
        "Recommendations from workshops of earlier years still open at the year's end (or the "
        "report date, if sooner): not closed and not yet implemented.",
    ),
    "stale": (
        "Stale",
        f"Open recommendations from that year or earlier, not yet adopted, with no uptake event "
        f"for {STALE_AFTER_DAYS} days (counting from the workshop's last day when they have none) "
        f"at the year's end (or the report date, if sooner).",
    ),
    "series_table": (
        "Substance or symbolism",
        "Per series with a workshop in the five years up to the year: workshops that year, years "
        "it met out of five, recommendations that year and over five years, and how many of the "
        "five years' recommendations were taken up.",
    ),
    "symbolic": (
        "Symbolic uptake",
        "Per series and overall, the recommendations of the period whose furthest stage by the "
        "report date is acknowledged: Track-1 noted them, nothing more; its share is of the "
        "recommendations taken up. A small chart per series shows its symbolic and substantive "
        "recommendations by year of origin across the series window.",
    ),
    "substantive": (
        "Substantive uptake",
        "Per series and overall, the recommendations of the period that reached adopted or "
        "implemented by the report date; its share is of the recommendations taken up (symbolic "
        "and substantive together).",
    ),
    "attribution": (
        "Strength of attribution",
        "Of the recommendations taken up, the strongest attribution recorded on their confirmed "
        "uptake events up to the report date — explicit citation, then paraphrase, then thematic "
        "echo — each recommendation counted once; those with none recorded are counted as not "
        "recorded, never guessed.",
    ),
    "change": (
        "Change",
        "The difference from the same figure for the previous year, computed the same way and "
        "with the same filters and report date, always with its sign (+ or −); shares change in "
        "percentage points.",
    ),
}


def definition(key: str) -> str:
    return DEFINITIONS[key][1]


def as_markdown() -> str:
    """The glossary as Markdown, for docs/report-definitions.md and the README."""
    lines = [
        "# Annual outcome report: what each figure means",
        "",
        "<!-- Written by `python -m workshops.reports.definitions > docs/report-definitions.md`;",
        "     edit workshops/reports/definitions.py, not this file. -->",
        "",
    ]
    for name, text in DEFINITIONS.values():
        lines.append(f"- **{name}**: {text}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(as_markdown(), end="")
