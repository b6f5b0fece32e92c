"""With the database away, pages answer 503 with a clear page and /healthz
names the database; when it is back, the app recovers without a restart."""

import pytest

from .helpers import app_on, dispose, log_in


def _assert_away(client, reason: str) -> None:
    page = client.get("/")
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert "The database is unavailable" in html and "try again in a minute" in html
    assert "Traceback" not in html
    profile = client.get("/profile")  # a logged-in browser: loading the user needs the database too
    assert profile.status_code == 503
    health = client.get("/healthz")
    assert health.status_code == 503
    body = health.get_json()
    assert body["status"] == "error"
    assert body["database"].startswith("The database cannot be reached")
    assert reason in body["database"]


def _assert_back(client) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/profile").status_code == 200  # still logged in: the session survived
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_sqlite_file_unreadable_then_back(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    app = app_on(f"sqlite:///{folder / 'workshops.sqlite3'}", tmp_path / "instance")
    client = app.test_client()
    log_in(client)
    _assert_back(client)

    # Root ignores permission bits, so the file is made unreachable by moving
    # its folder away; connections already open keep their file handle, as a
    # worker that has just started would not have one.
    away = tmp_path / "data-away"
    folder.rename(away)
    dispose(app)
    _assert_away(client, "unable to open database file")

    away.rename(folder)
    _assert_back(client)
    dispose(app)


@pytest.mark.slow
def test_postgresql_stopped_then_back(throwaway_postgres, tmp_path):
    app = app_on(throwaway_postgres.create_database("away"), tmp_path / "instance")
    client = app.test_client()
    log_in(client)
    _assert_back(client)  # the pool now holds open connections

    throwaway_postgres.stop()
    try:
        _assert_away(client, "Connection refused")
    finally:
        throwaway_postgres.start()
    _assert_back(client)  # pool_pre_ping replaces the dead connections
    dispose(app)
