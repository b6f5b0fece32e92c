"""Gender among the attendees and among the speakers and chairs
(reports/people_shares.py): a hand-built world whose answer is worked out
below, next to the assertions. Counts only, no names."""

from __future__ import annotations

import datetime as dt

import pytest

from workshops.extensions import db
from workshops.reports.assembly import build_report
from workshops.reports.filters import resolve_filters

D = dt.date
AS_OF = D(2026, 3, 1)


@pytest.fixture
def people(make):
    net = make.network(acronym="GEN", slug="gen", name="Gender network")
    series = make.series(network=net, slug="gen-s", name="Gender series")

    def workshop(slug, start):
        return make.workshop(series=series, slug=slug, title=f"Workshop {slug}", timezone="UTC", start_date=start,
                             end_date=start, city=None, country=None, status="published")

    g0, g1, g2 = workshop("gen-0", D(2024, 5, 1)), workshop("gen-1", D(2025, 2, 1)), workshop("gen-2", D(2025, 9, 1))
    persons = {n: make.person(full_name=f"Person {n} Gendertest") for n in range(1, 10)}

    def took_part(w, n, gender, role="participant", status="attended"):
        make.participation(workshop=w, person=persons[n], gender=gender, role=role, status=status)

    took_part(g1, 1, "Woman")
    took_part(g2, 1, "Woman", role="speaker")
    took_part(g1, 2, "Man", role="chair")
    took_part(g1, 3, None, role="speaker")
    took_part(g2, 3, None)
    took_part(g1, 4, "woman", role="speaker")
    took_part(g2, 5, "Non-binary")
    took_part(g2, 6, "Man", status="invited")          # not attended: not counted
    took_part(g0, 7, "Man")                            # 2024: not in the year
    took_part(g1, 8, "Man")
    took_part(g2, 8, None)                             # the last attended participation says nothing
    took_part(g2, 9, "Woman")
    db.session.commit()
    return net


def _shares(group):
    return {e["gender"]: (e["count"], e["share"]) for e in group["by_gender"]}


def test_gender_among_attendees_and_among_speakers_and_chairs(people):
    """2025. Attendees: persons 1, 2, 3, 4, 5, 8, 9 = 7 (6 was only invited,
    7 attended in 2024). At each one's last attended participation of the
    year: 1 Woman, 2 Man, 3 —, 4 woman, 5 Non-binary, 8 — (its earlier “Man”
    is not its last), 9 Woman. Case-folded: Woman 3 (shown as “Woman”, two
    spellings of three), Man 1, Non-binary 1, not recorded 2.
    Speakers and chairs: 1 (speaker, Woman), 2 (chair, Man), 3 (speaker, —),
    4 (speaker, woman) = 4: Woman 2, Man 1, not recorded 1."""
    report = build_report(resolve_filters(2025, {"network": "GEN", "as_of": AS_OF.isoformat()}, AS_OF))
    attendees, on_stage = report.people["attendees"], report.people["speakers_chairs"]
    assert (attendees["total"], attendees["recorded"], attendees["not_recorded"]) == (7, 5, 2)
    assert _shares(attendees) == {"Woman": (3, 0.4286), "Man": (1, 0.1429), "Non-binary": (1, 0.1429)}
    assert [e["gender"] for e in attendees["by_gender"]] == ["Woman", "Man", "Non-binary"]
    assert attendees["not_recorded_share"] == 0.2857
    assert report.participation["attendees"] == attendees["total"]  # the same people as the headline figure
    assert (on_stage["total"], on_stage["not_recorded"]) == (4, 1)
    assert _shares(on_stage) == {"Woman": (2, 0.5), "Man": (1, 0.25)}


def test_a_period_and_the_json_and_page_name_nobody(client, auth, people):
    """2024-2025 adds person 7 (Man, 2024): 8 attendees, Man 2."""
    report = build_report(resolve_filters(2025, {"network": "GEN", "as_of": AS_OF.isoformat()}, AS_OF,
                                          first_year=2024))
    assert report.people["attendees"]["total"] == 8 and _shares(report.people["attendees"])["Man"][0] == 2
    auth.login(role="viewer")
    data = client.get(f"/reports/2025.json?network=GEN&as_of={AS_OF.isoformat()}").get_json()
    assert data["people"]["speakers_chairs"]["total"] == 4 and "gender" in data["definitions"]
    page = client.get(f"/reports/2025?network=GEN&as_of={AS_OF.isoformat()}").get_data(as_text=True)
    assert 'data-group="attendees"' in page and 'data-group="speakers_chairs"' in page
    assert "Gendertest" not in page and "Gendertest" not in str(data)
