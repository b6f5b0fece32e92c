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
