"""Substance or symbolism, split (reports/substance.py): a hand-built world
whose answer is worked out below, next to the assertions."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from workshops.extensions import db
from workshops.reports.assembly import build_report
from workshops.reports.charts import report_charts
from workshops.reports.filters import resolve_filters

D = dt.date
AS_OF = D(2026, 3, 1)


@pytest.fixture
def split(make):
    net = make.network(acronym="SUBN", slug="subn", name="Substance network")
    a = make.series(network=net, slug="sub-a", name="Series A")
    b = make.series(network=net, slug="sub-b", name="Series B")

    def workshop(series, slug, start):
        return make.workshop(series=series, slug=slug, title=f"Workshop {slug}", timezone="UTC",
                             start_date=start, end_date=start, city=None, country=None, status="published")

    wa1, wa2, wb1 = workshop(a, "sub-wa1", D(2024, 3, 1)), workshop(a, "sub-wa2", D(2025, 4, 1)), \
        workshop(b, "sub-wb1", D(2025, 6, 1))

    def rec(w, ref, *events):
        r = make.recommendation(workshop=w, reference=ref, title=f"Recommendation {ref}", text="It recommends.")
        for stage, on, attribution, *confirmed in events:
            make.uptake_event(recommendation=r, stage=stage, occurred_on=on, attribution=attribution,
                              confirmed=confirmed[0] if confirmed else True)
        return r

    rec(wa2, "A1", ("acknowledged", D(2025, 5, 1), "explicit"))                 # symbolic, explicit
    rec(wa2, "A2", ("acknowledged", D(2025, 5, 2), "thematic"),
        ("adopted", D(2025, 8, 1), "explicit"))                                  # substantive, explicit (strongest)
    rec(wa2, "A3", ("transmitted", D(2025, 4, 20), "explicit"))                 # not taken up
    rec(wa2, "A4")                                                               # proposed
    rec(wa1, "A5", ("adopted", D(2024, 6, 1), "paraphrase"))                    # 2024: substantive, paraphrase
    rec(wb1, "B1", ("acknowledged", D(2025, 7, 1), "thematic"))                 # symbolic, thematic
    rec(wb1, "B2", ("implemented", D(2025, 9, 1), None))                        # substantive, not recorded
    rec(wb1, "B3", ("acknowledged", D(2025, 7, 1), "thematic", False))          # unconfirmed: proposed
    rec(wb1, "B4", ("acknowledged", D(2025, 10, 1), None),
        ("adopted", D(2026, 4, 1), "thematic"))                                  # after the report date: symbolic
    db.session.commit()
    return SimpleNamespace(net=net, a=a, b=b)


def _report(first_year=None, **args):
    return build_report(resolve_filters(2025, {"as_of": AS_OF.isoformat(), "network": "SUBN", **args}, AS_OF,
                                        first_year=first_year))


def _attribution(figures) -> dict:
    return {a["attribution"]: a["count"] for a in figures["attribution"]}


def test_symbolic_against_substantive_overall_and_per_series(split):
    """2025 as of 1 March 2026. Recommendations: A1–A4, B1–B4 = 8. Symbolic
    (acknowledged, no further): A1, B1, B4 (its adoption is dated after the
    report date) = 3. Substantive: A2, B2 = 2. B3's only event is not
    confirmed: proposed. Of the 5 taken up, the strongest attribution: A1
    explicit, A2 explicit (explicit beats its thematic acknowledgement), B1
    thematic, B2 none, B4 none (its thematic event is after the report date)."""
    s = _report().substance
    o = s["overall"]
    assert (o["recommendations"], o["taken_up"], o["symbolic"], o["substantive"]) == (8, 5, 3, 2)
    assert (o["symbolic_share"], o["substantive_share"]) == (0.6, 0.4)
    assert _attribution(o) == {"explicit": 2, "paraphrase": 0, "thematic": 1, "not_recorded": 2}
    by = {e["series"]: e for e in s["by_series"]}
    assert set(by) == {"Series A", "Series B"}
    a, b = by["Series A"], by["Series B"]
    assert (a["recommendations"], a["symbolic"], a["substantive"]) == (4, 1, 1)
    assert _attribution(a) == {"explicit": 2, "paraphrase": 0, "thematic": 0, "not_recorded": 0}
    assert (b["recommendations"], b["symbolic"], b["substantive"]) == (4, 2, 1)
    assert _attribution(b) == {"explicit": 0, "paraphrase": 0, "thematic": 1, "not_recorded": 2}
    # Across the five years of the series window, for the chart: A5 in 2024.
    assert s["window"] == {"first_year": 2021, "last_year": 2025}
    years = {y["year"]: (y["symbolic"], y["substantive"], y["recommendations"]) for y in a["years"]}
    assert years == {2021: (0, 0, 0), 2022: (0, 0, 0), 2023: (0, 0, 0), 2024: (0, 1, 1), 2025: (1, 1, 4)}


def test_a_period_counts_every_year_of_it_and_filters_apply(split):
    """2024-2025 adds A5: 9 recommendations, 3 substantive, one paraphrase.
    The series filter keeps Series B alone."""
    o = _report(first_year=2024).substance["overall"]
    assert (o["recommendations"], o["symbolic"], o["substantive"]) == (9, 3, 3)
    assert _attribution(o)["paraphrase"] == 1
    only_b = _report(series="sub-b").substance
    assert [e["series"] for e in only_b["by_series"]] == ["Series B"]
    assert (only_b["overall"]["symbolic"], only_b["overall"]["substantive"]) == (2, 1)


def test_the_split_is_in_the_json_page_and_a_chart_per_series(client, auth, split):
    auth.login(role="viewer")
    data = client.get(f"/reports/2025.json?network=SUBN&as_of={AS_OF.isoformat()}").get_json()
    assert data["substance"]["overall"]["substantive"] == 2
    assert "symbolic" in data["definitions"] and "attribution" in data["definitions"]
    page = client.get(f"/reports/2025?network=SUBN&as_of={AS_OF.isoformat()}").get_data(as_text=True)
    assert 'id="sec-substance"' in page and "Series A" in page
    charts = report_charts(_report())
    assert 'id="chart-substance-1-title"' in str(charts["substance"][0]) and len(charts["substance"]) == 2
