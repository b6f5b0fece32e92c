"""Finding recommendations in the list, and reading one's road to today."""

from __future__ import annotations

import datetime as dt
import re

from .helpers import days_ago


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/recommendations/\d+">([^<]+)</a>', html)


def test_each_filter_narrows_the_list(client, auth, make, world):
    auth.login(role="viewer")
    older = make.workshop(series=world.workshop.series, title="NADI 2023",
                          start_date=dt.date(2023, 4, 1), end_date=dt.date(2023, 4, 2))
    make.recommendation(workshop=world.workshop, title="Stockpile", themes=[world.theme], targets=[world.admm],
                        priority="high", text="Pre-position relief stocks.")
    make.recommendation(workshop=older, title="Coast guard hotline", themes=[world.theme2], targets=[world.arf],
                        priority="low", text="A hotline for incidents at sea.")
    make.recommendation(workshop=world.other_workshop, title="Cyber norms", priority="medium",
                        text="Agree norms of state behaviour.")

    def listed(query: str) -> list[str]:
        response = client.get("/recommendations?" + query)
        assert response.status_code == 200, query
        return sorted(_titles(response.get_data(as_text=True)))

    assert listed("") == ["Coast guard hotline", "Cyber norms", "Stockpile"]
    assert listed(f"network={world.network.id}") == ["Coast guard hotline", "Stockpile"]
    assert listed(f"series={world.other_workshop.series_id}") == ["Cyber norms"]
    assert listed("year=2023") == ["Coast guard hotline"]
    assert listed(f"theme={world.theme.id}") == ["Stockpile"]
    assert listed(f"target={world.arf.id}") == ["Coast guard hotline"]
    assert listed("priority=high") == ["Stockpile"]
    assert listed("q=HOTLINE+sea") == ["Coast guard hotline"]
    assert listed("q=100%25") == []  # a percent sign is a character, not a wildcard
    assert listed("status=open") == ["Coast guard hotline", "Cyber norms", "Stockpile"]


def test_sorting_and_pages(app, client, auth, make, world):
    auth.login(role="viewer")
    app.config["PAGE_SIZE"] = 2
    for title in ("Bravo", "Alpha", "Charlie"):
        make.recommendation(workshop=world.workshop, title=title)
    first = client.get("/recommendations?sort=title").get_data(as_text=True)
    assert _titles(first) == ["Alpha", "Bravo"] and "page 1 of 2" in first
    assert 'href="/recommendations?sort=title&amp;page=2"' in first
    second = client.get("/recommendations?sort=title&page=2").get_data(as_text=True)
    assert _titles(second) == ["Charlie"]


def test_nonsense_in_the_filters_is_ignored_not_an_error(client, auth, make, world):
    auth.login(role="viewer")
    make.recommendation(workshop=world.workshop, title="Still listed")
    for query in ("network=abc", "year=99999999999999999999", "stage=%00", "sort=drop+table", "page=-3",
                  "theme=1e9", "status=%FF"):
        response = client.get("/recommendations?" + query)
        assert response.status_code == 200, query
        assert "Still listed" in response.get_data(as_text=True), query
    response = client.get("/recommendations?q=" + "\u202e<script>\x00" * 100)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "No recommendation matches these filters." in html
    assert "\u202e&lt;script&gt;" in html and "\u202e<script>" not in html  # echoed, escaped


def test_the_timeline_runs_from_the_workshop_through_each_event_to_today(client, auth, make, world):
    auth.login(role="viewer")
    rec = make.recommendation(workshop=world.workshop, title="Hotline")
    make.uptake_event(recommendation=rec, stage="acknowledged", occurred_on=dt.date(2024, 7, 26),
                      title="Chairman's statement", references=[{"label": "ARF/31/CS"}], excerpt="welcomed the hotline")
    make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=dt.date(2024, 4, 20),
                      title="Memorandum to senior officials")
    html = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    timeline = html[html.index('<ol class="timeline">'):html.index("</ol>")]
    order = [timeline.index(s) for s in ("Agreed at the workshop", "Memorandum to senior officials",
                                         "Chairman&#39;s statement", "Today,")]
    assert order == sorted(order)
    assert "45 days after the workshop" in timeline  # from its last day, 6 March, to 20 April (as the report)
    assert "<code>ARF/31/CS</code>" in timeline and "welcomed the hotline" in timeline
    since = (dt.date.today() - dt.date(2024, 7, 26)).days
    assert f"{since} days since the last uptake event" in timeline
    assert "Stale: it needs follow-up." in timeline  # acknowledged, and quiet for over a year
    assert 'class="stage stage-acknowledged">Acknowledged</span>' in html


def test_a_recent_recommendation_is_not_flagged_and_a_closed_one_shows_its_closure(client, auth, make, world):
    auth.login(role="viewer")
    recent_workshop = make.workshop(series=world.workshop.series, start_date=days_ago(11), end_date=days_ago(10))
    recent = make.recommendation(workshop=recent_workshop, title="Fresh")
    html = client.get(f"/recommendations/{recent.id}").get_data(as_text=True)
    assert "10 days since the workshop ended, with no uptake event recorded" in html
    assert "needs follow-up" not in html.lower()

    closed = make.recommendation(workshop=world.workshop, title="Dropped", closed_as="withdrawn",
                                 closed_on=dt.date(2024, 9, 1), closed_reason="No longer pursued.")
    html = client.get(f"/recommendations/{closed.id}").get_data(as_text=True)
    assert "Closed: Withdrawn" in html and "No longer pursued." in html
    assert "needs follow-up" not in html.lower()
