"""Days between a workshop and what followed it: one rule (from the
workshop's last day, docs/domain.md "Days and dates") on the timeline, in
the report's CSV and median, and in the API; never a negative duration."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from workshops.api.operations import create_token
from workshops.outcomes.days import SinceWorkshop, days_after_workshop, since_workshop

D = dt.date


def timeline_gaps(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", gap).strip() for gap in re.findall(r'<small class="tl-gap">(.*?)</small>', page, re.S)]


def today_step(page: str) -> str:
    step = re.search(r'<li class="tl-today[^"]*">(.*?)</li>', page, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", step)).strip()


def test_the_rule_counts_from_the_last_day_and_never_below_zero():
    assert days_after_workshop(D(2025, 3, 5), D(2025, 3, 6)) == 1
    assert days_after_workshop(D(2025, 3, 5), D(2025, 3, 4)) == 0  # during a multi-day workshop
    assert days_after_workshop(D(2025, 3, 5), None) is None
    assert since_workshop(D(2027, 3, 1), D(2027, 3, 3), D(2026, 12, 1)) == SinceWorkshop("planned", 90)
    assert since_workshop(D(2026, 11, 30), D(2026, 12, 3), D(2026, 12, 1)) == SinceWorkshop("under_way", 2)
    assert since_workshop(D(2026, 11, 1), D(2026, 11, 3), D(2026, 12, 1)) == SinceWorkshop("ended", 28)


def test_timeline_csv_median_and_api_count_the_same_days(client, auth, make, world):
    """A three-day workshop (4–6 March 2024) acknowledged on 16 November 2024:
    257 days after its first day, 255 after its last — 255 everywhere."""
    rec = make.recommendation(workshop=world.workshop, reference="NADI-2024-01")
    make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=D(2024, 3, 5))
    make.uptake_event(recommendation=rec, stage="acknowledged", occurred_on=D(2024, 11, 16))
    user = auth.login(role="admin")

    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert timeline_gaps(page) == ["during the workshop", "255 days after the workshop"]

    rows = list(csv.DictReader(io.StringIO(
        client.get("/reports/2024.csv?as_of=2024-12-31").get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["Days to acknowledgement"] for r in rows if r["Reference"] == "NADI-2024-01"] == ["255"]

    report = client.get("/reports/2024.json?network=NADI&as_of=2024-12-31").get_json()
    assert report["funnel"]["median_days_to_acknowledgement"] == 255.0

    _, token = create_token(user, user, "days test")
    answer = client.get(f"/api/v1/recommendations/{rec.id}", headers={"Authorization": f"Bearer {token}"})
    assert [e["days_after_workshop"] for e in answer.get_json()["events"]] == [0, 255]


def test_a_recommendation_of_a_workshop_not_yet_held_shows_no_negative_duration(client, auth, make, world):
    today = dt.date.today()
    start = today + dt.timedelta(days=92)
    planned = make.workshop(series=world.workshop.series, title="NADI annual meeting, next year",
                            start_date=start, end_date=start + dt.timedelta(days=2))
    rec = make.recommendation(workshop=planned, title="Drafted before the meeting")
    auth.login(role="viewer")
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert today_step(page).endswith("The workshop has not been held yet: it begins in 92 days.")
    assert not re.search(r"[-−]\d+ days?", page)


def test_a_workshop_under_way_says_when_it_ends(client, auth, make, world):
    today = dt.date.today()
    running = make.workshop(series=world.workshop.series, title="NADI workshop this week",
                            start_date=today - dt.timedelta(days=1), end_date=today + dt.timedelta(days=1))
    rec = make.recommendation(workshop=running)
    auth.login(role="viewer")
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert today_step(page).endswith("The workshop is under way: it ends in 1 day.")


def test_a_quiet_recommendation_counts_days_since_the_workshop_ended(client, auth, make, world):
    ended = dt.date.today() - dt.timedelta(days=1)
    workshop = make.workshop(series=world.workshop.series, start_date=ended - dt.timedelta(days=2), end_date=ended)
    rec = make.recommendation(workshop=workshop)
    auth.login(role="viewer")
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert today_step(page).endswith("1 day since the workshop ended, with no uptake event recorded.")
