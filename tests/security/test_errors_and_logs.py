"""Errors show the app's page with an id and no stack trace; the logs name
that id, and never a password, token or email address."""

import logging

from workshops.core.security import redact

from ..conftest import PASSWORD

SECRET_TOKEN = "Zq7RkP2vXw9LmN4tBc8HjD1f"
EMAIL = "ann.tan@rsis.example.sg"


def _boom():
    # As a database error would: its message lists the statement's parameters.
    raise RuntimeError(f"[parameters: ('{EMAIL}', '{SECRET_TOKEN}')]")


def _app_with_a_failing_route(make_app, **config):
    app = make_app(**config)
    app.add_url_rule("/boom", "boom", _boom)
    return app


def test_a_server_error_shows_the_apps_page_with_an_error_id_and_no_trace(make_app, caplog):
    client = _app_with_a_failing_route(make_app).test_client()
    with caplog.at_level(logging.INFO):
        response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html and "Track-2 Workshops" in html
    error_id = response.headers["X-Request-Id"]
    assert f"Error id: <code>{error_id}</code>" in html
    for leak in ("Traceback", "RuntimeError", EMAIL, SECRET_TOKEN, "_boom"):
        assert leak not in html
    assert any(error_id in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)


def test_an_oversized_body_gets_413_with_the_apps_page(make_app, caplog):
    client = make_app(MAX_CONTENT_LENGTH=10 * 1024).test_client()
    with caplog.at_level(logging.INFO):
        response = client.post("/login", data={"email": "a@example.org", "password": "x" * 20_000})
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"]
    assert any(response.headers["X-Request-Id"] in r.getMessage() for r in caplog.records)


def test_a_body_within_the_limit_is_accepted(make_app):
    client = make_app(MAX_CONTENT_LENGTH=10 * 1024).test_client()
    assert client.post("/login", data={"email": "a@example.org", "password": "x" * 100}).status_code == 200


def test_failed_logins_and_refused_pages_are_logged_with_the_request_id(client, auth, caplog):
    with caplog.at_level(logging.INFO):
        failed = client.post("/login", data={"email": EMAIL, "password": "Wrong-Password-123"})
        auth.login(role="viewer")
        refused = client.post("/admin/people/1/export")
    assert refused.status_code == 403
    messages = [r.getMessage() for r in caplog.records]
    assert any("login failed" in m and failed.headers["X-Request-Id"] in m for m in messages)
    assert any("access refused" in m and refused.headers["X-Request-Id"] in m for m in messages)


def test_no_password_token_or_email_reaches_a_log_line(make_app, make, caplog):
    app = _app_with_a_failing_route(make_app, LOGIN_MAX_ATTEMPTS=3)
    client = app.test_client()
    user = make.user(role="viewer", email=EMAIL)
    with caplog.at_level(logging.DEBUG):
        for _ in range(4):  # failures, then the lock
            client.post("/login", data={"email": EMAIL, "password": "Wrong-Password-123"})
        client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD})
        client.get(f"/login?next=/x&token={SECRET_TOKEN}&email={EMAIL}")
        client.get("/boom")
        logging.getLogger("workshops.test").warning("mail to %s with %s", EMAIL, SECRET_TOKEN)
        other = app.test_client()
        other.post("/login", data={"email": make.user(role="viewer").email, "password": PASSWORD})
        other.post(f"/admin/people/1/export?token={SECRET_TOKEN}")
    assert user.id
    assert caplog.records
    text = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    for secret in (EMAIL, "nobody@example.org", SECRET_TOKEN, PASSWORD, "Wrong-Password-123"):
        assert secret not in text, secret
    assert "[email]" in text and "[token]" in text


def test_redaction_keeps_log_lines_readable():
    assert redact("GET /agenda/nadi-annual-meeting-2025/ (request 3f9a0c1b2d4e)") == \
        "GET /agenda/nadi-annual-meeting-2025/ (request 3f9a0c1b2d4e)"
    assert redact("sent to Ann.Tan+t2@rsis.example.sg") == "sent to [email]"
    assert redact("/agenda/x/p/Zq7RkP2vXw9LmN4tBc8HjD1f?x=1") == "/agenda/x/p/[token]?x=1"
    assert redact("POST /login?password=hunter2&next=/") == "POST /login?password=[redacted]&next=/"
