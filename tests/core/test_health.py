def test_healthz_says_ok_when_the_database_is_at_head(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_home_page_renders_for_anonymous_visitors(client, make):
    make.workshop(title="Maritime Confidence Building", visibility="public", status="published",
                  start_date=__import__("datetime").date.today())
    response = client.get("/")
    assert response.status_code == 200
    assert "Maritime Confidence Building" in response.get_data(as_text=True)


def test_home_page_counts_the_uptake_events_that_count_and_says_how_many_await_confirmation(client, make, auth):
    """The home page's figure is the reports' (confirmed events count: outcomes/progress.py);
    an unconfirmed one is named apart, never added to it."""
    import re

    recommendation = make.recommendation()
    make.uptake_event(recommendation, stage="transmitted")
    make.uptake_event(recommendation, stage="acknowledged")
    make.uptake_event(recommendation, stage="adopted", confirmed=False)
    auth.login()
    page = client.get("/").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "2 uptake events and 1 not yet confirmed" in text
