"""Every figure of the 2025 report on the hand-built world of conftest.py,
with the right answer worked out here. The world, in short:

    NADI series s1 (HADR):     w0 10–11 May 2024, w1 4–5 Mar 2025
    CSCAP series s2 (maritime): w2 30 Dec 2025 – 2 Jan 2026 (spans New Year: a 2025 workshop),
                                w3 Jul 2025 CANCELLED, w4 Feb 2026
    NADI series s3 (cyber):     w5 1–2 Sep 2021; dormant since 2023

    people: p1 attended w0 and w1 (returning in 2025); p2 attended w1 (serving
    official, government) and w2 (now military): twice in 2025; p3 attended
    w2; p4 no-show at w1, declined w2; p6 attended w4 (2026).

    recommendations (report date 1 March 2026):
      R0  w0 [HADR → ARF]      transmitted 2024-06-01, acknowledged 2024-07-01
      R0b w0 [HADR]            no event
      R1  w1 [HADR → ARF,ADMM] transmitted 2025-04-01, acknowledged 2025-06-14, adopted 2026-01-20
      R2  w1 [HADR, maritime → ARF]  no event at all
      R3  w1 [maritime → ADMM] transmitted 2025-05-01; closed as declined 2025-09-01
      R4  w2 [maritime → ARF]  transmitted 2026-01-15, acknowledged 2026-02-01,
                               implemented 2026-05-01 (after the report date)
      R5  w2 [no theme, no target] acknowledged 2026-01-12 (skipped "transmitted")
      R6  w5 [cyber → ARF]     transmitted 2021-10-01, acknowledged 2022-03-01 and again 2025-02-01
      R7  w5 [cyber → ADMM]    transmitted 2021-11-01, implemented 2023-06-01
      R8  w5 [cyber]           transmitted 2021-10-15; closed as withdrawn 2024-03-01
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from workshops.extensions import db
from workshops.outcomes.models import Recommendation
from workshops.outcomes.progress import stale_condition
from workshops.reports.queries import Filters, build_report, resolve_filters

from .conftest import AS_OF


def report_for(year=2025, as_of=AS_OF, **args):
    args["as_of"] = as_of.isoformat()
    return build_report(resolve_filters(year, args, today=dt.date(2030, 1, 1)))


def headline(report) -> dict:
    return {row["key"]: (row["value"], row["previous"], row["change"]) for row in report.headline}


def test_activity_counts_workshops_by_their_start_year_and_skips_cancelled_ones(world):
    report = report_for()
    # w1 and w2 (w2 starts 30 Dec 2025 though it ends in 2026); w3 was cancelled; 2024 had w0.
    assert report.activity["workshops_held"] == 2
    assert report.activity["previous_workshops_held"] == 1
    assert report.activity["by_network"] == [{"label": "CSCAP", "count": 1}, {"label": "NADI", "count": 1}]
    assert report.activity["by_theme"] == [{"label": "HADR", "count": 1},
                                           {"label": "Maritime security", "count": 1}]
    assert [(f["format"], f["count"]) for f in report.activity["by_format"]] == [("in_person", 1), ("hybrid", 1)]
    # The same workshop in the 2026 report is not counted again: 2026 has only w4.
    assert report_for(2026, as_of=dt.date(2026, 12, 31)).activity["workshops_held"] == 1


def test_participation_counts_distinct_attendees_once_and_only_those_who_attended(world):
    p = report_for().participation
    # p1, p2 (twice), p3; p4's no-show and refusal do not count.
    assert p["attendees"] == 3
    # Countries of the attended participations: SG (p1), ID (p2), VN (p3).
    assert p["countries"] == 3
    # Only p1 had attended before 1 January 2025 (w0).
    assert p["returning"] == 1
    assert p["returning_share"] == round(1 / 3, 4)
    # p2 was a serving official at w1 (not at w2): one of three.
    assert p["serving_officials"] == 1
    assert p["serving_officials_share"] == round(1 / 3, 4)
    # 2024: p1 alone, from SG, new.
    assert p["previous"] == {"attendees": 1, "countries": 1, "returning": 0, "returning_share": 0.0,
                             "serving_officials": 0, "serving_officials_share": 0.0}


def test_sector_mix_takes_each_attendees_last_sector_of_the_year_so_it_adds_up(world):
    mix = {s["sector"]: s["count"] for s in report_for().participation["sector_mix"]}
    # p2 came as government in March and as military in December: counted once, as military.
    assert mix == {"academia": 1, "government": 0, "military": 1, "civil_society": 1,
                   "international_org": 0, "private_sector": 0}
    assert sum(mix.values()) == report_for().participation["attendees"]


def test_recommendations_by_theme_and_by_target_body(world):
    r = report_for().recommendations
    # R1, R2 (HADR); R2, R3, R4 (maritime); R5 has no theme. Taken up by 1 March 2026: R1, R4, R5.
    assert r["by_theme"] == [
        {"label": "Maritime security", "count": 3, "taken_up": 1},
        {"label": "HADR", "count": 2, "taken_up": 1},
        {"label": "No theme", "count": 1, "taken_up": 1},
    ]
    # ARF: R1, R2, R4 (R1, R4 taken up); ADMM: R1, R3; none: R5.
    assert r["by_target"] == [
        {"label": "ARF", "count": 3, "taken_up": 2},
        {"label": "ADMM", "count": 2, "taken_up": 1},
        {"label": "No target body", "count": 1, "taken_up": 1},
    ]


def test_funnel_counts_the_furthest_stage_reached_by_the_report_date(world):
    fu = report_for().funnel
    reached = {s["stage"]: s["count"] for s in fu["stages"]}
    # Five recommendations of 2025: R1 adopted; R2 no event; R3 transmitted then declined;
    # R4 acknowledged (its implementation comes after the report date); R5 acknowledged
    # without a "transmitted" event, which it passed on the way.
    assert reached == {"proposed": 5, "transmitted": 4, "acknowledged": 3, "adopted": 1, "implemented": 0}
    assert (fu["fed_into_track1"], fu["taken_up"]) == (4, 3)
    assert (fu["fed_into_track1_share"], fu["taken_up_share"]) == (0.8, 0.6)
    assert {c["closure"]: c["count"] for c in fu["closed"]} == {"declined": 1, "superseded": 0, "withdrawn": 0}
    # 2024: R0 acknowledged, R0b nothing.
    previous = {s["stage"]: s["count"] for s in fu["previous"]["stages"]}
    assert previous == {"proposed": 2, "transmitted": 1, "acknowledged": 1, "adopted": 0, "implemented": 0}


def test_median_days_from_the_workshops_last_day_to_the_first_acknowledgement(world):
    fu = report_for().funnel
    # R1: 5 Mar → 14 Jun 2025 = 26 + 30 + 31 + 14 = 101 days; R4: 2 Jan → 1 Feb 2026 = 30;
    # R5: 2 Jan → 12 Jan 2026 = 10. Median of (10, 30, 101) = 30.
    assert fu["median_days_to_acknowledgement"] == 30.0
    assert fu["median_measured_over"] == 3
    # 2024: R0, 11 May → 1 Jul 2024 = 20 + 30 + 1 = 51 days.
    assert fu["previous"]["median_days_to_acknowledgement"] == 51.0


def test_median_of_an_even_number_of_waits_is_the_mean_of_the_middle_two(world):
    # The CSCAP series alone: R4 (30 days) and R5 (10 days).
    fu = report_for(series="cscap-maritime").funnel
    assert fu["median_days_to_acknowledgement"] == 20.0
    assert fu["median_measured_over"] == 2


def test_uptake_events_of_the_year_whatever_year_the_recommendation_came_from(world):
    ev = report_for().uptake_events
    # Dated 2025: R6 acknowledged 1 Feb (a 2021 recommendation), R1 transmitted 1 Apr,
    # R3 transmitted 1 May, R1 acknowledged 14 Jun.
    assert ev["total"] == 4
    assert ev["recommendations_moved"] == 3
    assert ev["from_earlier_years"] == 1
    assert {s["stage"]: s["count"] for s in ev["by_stage"]} == {
        "proposed": 0, "transmitted": 2, "acknowledged": 2, "adopted": 0, "implemented": 0}
    assert [m["total"] for m in ev["by_month"]] == [0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    # 2024: R0's two events.
    assert ev["previous_total"] == 2


def test_carry_over_and_stale_at_the_years_end(world):
    co = report_for().carry_over
    assert co["date"] == "2025-12-31"
    # Open on 31 Dec 2025 from earlier years: R0, R0b (2024), R6 (2021). R7 was implemented,
    # R8 withdrawn.
    assert co["open"] == 3
    assert {s["stage"]: s["count"] for s in co["by_stage"]} == {
        "proposed": 1, "transmitted": 0, "acknowledged": 2, "adopted": 0}
    # Stale = open, not adopted, nothing for 365 days (cutoff 31 Dec 2024): R0 (last event
    # 1 Jul 2024), R0b (no event; workshop ended 11 May 2024). R6 moved on 1 Feb 2025.
    assert co["stale"] == 2
    assert co["by_origin_year"] == [{"year": 2024, "open": 2, "stale": 2}, {"year": 2021, "open": 1, "stale": 0}]
    # At the end of 2024: only R6 was open from before 2024, and it was stale
    # (last event 1 Mar 2022); R8 had been withdrawn in March 2024.
    assert (co["previous_open"], co["previous_stale"]) == (1, 1)


def test_the_report_date_cuts_everything_dated_after_it(world):
    report = report_for(as_of=dt.date(2025, 6, 30))
    # w2 (30 Dec) has not happened yet; R3's refusal (1 Sep) has not been recorded yet.
    assert report.activity["workshops_held"] == 1
    fu = report.funnel
    assert fu["total"] == 3 and fu["taken_up"] == 1 and fu["fed_into_track1"] == 2
    assert sum(c["count"] for c in fu["closed"]) == 0
    assert report.uptake_events["total"] == 4
    co = report.carry_over
    assert co["date"] == "2025-06-30"
    # Cutoff 30 Jun 2024: R0 moved on 1 Jul 2024, so only R0b is stale yet.
    assert (co["open"], co["stale"]) == (3, 1)


def test_series_table_shows_regularity_and_outcomes_over_five_years(world):
    table = {row["series"]: row for row in report_for().series}
    hadr = table["NADI workshop on HADR"]
    # Met in 2024 and 2025; R1–R3 this year; R0, R0b, R1–R3 over 2021–2025, R0 and R1 taken up.
    assert (hadr["workshops"], hadr["years_met"], hadr["recommendations"], hadr["recommendations_window"],
            hadr["taken_up_window"]) == (1, 2, 3, 5, 2)
    cscap = table["CSCAP maritime study group"]
    # The cancelled July workshop does not count; the 2026 one is outside the window.
    assert (cscap["workshops"], cscap["years_met"], cscap["recommendations"], cscap["taken_up_window"]) == \
        (1, 1, 2, 2)
    cyber = table["NADI cyber roundtable"]
    # Dormant: no workshop in 2025, met once (2021); R6 acknowledged, R7 implemented, R8 not.
    assert cyber["status"] == "Dormant"
    assert (cyber["workshops"], cyber["years_met"], cyber["recommendations_window"], cyber["taken_up_window"]) == \
        (0, 1, 3, 2)
    assert cyber["taken_up_share"] == round(2 / 3, 4)


def test_headline_changes_against_the_previous_year(world):
    h = headline(report_for())
    assert h["workshops_held"] == (2, 1, 1)
    assert h["attendees"] == (3, 1, 2)
    assert h["recommendations_made"] == (5, 2, 3)
    assert h["taken_up"] == (3, 1, 2)
    assert h["median_days"] == (30.0, 51.0, -21.0)
    assert h["serving_officials"] == (round(1 / 3, 4), 0.0, round(1 / 3, 4))
    assert h["stale"] == (2, 1, 1)


def test_network_filter_keeps_its_workshops_people_and_recommendations(world):
    report = report_for(network="nadi")  # acronyms match whatever the case
    assert report.filters.network == "NADI"
    assert report.activity["workshops_held"] == 1
    p = report.participation
    # At NADI workshops in 2025: p1 and p2 (at w1, as government).
    assert (p["attendees"], p["countries"], p["returning"], p["serving_officials"]) == (2, 2, 1, 1)
    assert {s["sector"]: s["count"] for s in p["sector_mix"] if s["count"]} == {"academia": 1, "government": 1}
    assert report.funnel["total"] == 3 and report.funnel["taken_up"] == 1
    assert report.funnel["median_days_to_acknowledgement"] == 101.0
    assert report.uptake_events["total"] == 4
    assert {row["series"] for row in report.series} == {"NADI workshop on HADR", "NADI cyber roundtable"}
    # By id, the same report.
    assert report_for(network=str(world.nadi.id)).funnel == report.funnel


def test_theme_filter_keeps_workshops_and_recommendations_tagged_with_it(world):
    report = report_for(theme="maritime")
    # Workshops tagged maritime in 2025: w2. Recommendations tagged maritime: R2, R3, R4.
    assert report.activity["workshops_held"] == 1
    assert report.participation["attendees"] == 2
    # p2 attended before 2025, but not at a maritime workshop: not returning within this filter.
    assert report.participation["returning"] == 0
    assert report.funnel["total"] == 3
    assert (report.funnel["fed_into_track1"], report.funnel["taken_up"]) == (2, 1)
    assert report.uptake_events["total"] == 1
    assert (report.carry_over["open"], report.carry_over["stale"]) == (0, 0)


def test_a_year_without_data_is_an_empty_report(world):
    report = report_for(2031, as_of=dt.date(2031, 12, 31))
    assert report.activity["workshops_held"] == 0
    assert report.funnel["total"] == 0
    assert report.funnel["median_days_to_acknowledgement"] is None
    assert report.participation["returning_share"] is None
    # Old recommendations are still open at the end of 2031 — the report says so: R0, R0b,
    # R1 (adopted, not implemented), R2, R5 and R6.
    assert report.carry_over["open"] == 6
    assert not report.is_empty
    # Seen from 2026, 2031 has not begun: nothing can have happened in it.
    assert build_report(Filters(year=2031, as_of=dt.date(2026, 11, 23))).is_empty


def test_stale_count_agrees_with_the_follow_up_lists_rule(world):
    end = dt.date(2026, 12, 31)
    report = report_for(2026, as_of=end)
    expected = db.session.scalar(select(func.count(Recommendation.id)).where(stale_condition(end)))
    assert report.carry_over["stale"] == expected
