"""Every response carries the security headers; pages that may show
personal data are never cached."""

from workshops.core.security import CONTENT_SECURITY_POLICY


def test_every_page_sends_a_strict_content_security_policy(client):
    for path in ("/", "/login", "/no-such-page", "/healthz"):
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert policy == CONTENT_SECURITY_POLICY
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                          "img-src 'self' data:", "frame-ancestors 'none'", "form-action 'self'",
                          "base-uri 'none'", "object-src 'none'"):
            assert directive in policy, (path, directive)
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Request-Id"]


def test_hsts_only_when_served_over_https(make_app):
    plain = make_app().test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    secure = make_app(HTTPS=True).test_client().get("/login")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_is_httponly_and_lax_and_secure_over_https(make_app, make):
    user = make.user(role="viewer")
    for https in (False, True):
        client = make_app(HTTPS=https).test_client()
        response = client.post("/login", data={"email": user.email, "password": "correct-horse-battery-9"})
        assert response.status_code == 302
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is https


def test_pages_for_a_logged_in_user_are_not_stored_by_caches(client, auth):
    anonymous = client.get("/login")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    auth.login(role="viewer")
    for path in ("/", "/profile", "/no-such-page"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_static_files_stay_cacheable_for_logged_in_users(client, auth):
    auth.login(role="viewer")
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_personal_agenda_links_are_not_stored_by_caches_even_anonymously(client):
    response = client.get("/agenda/some-workshop/p/AbCdEf0123456789xyzXYZ")
    assert response.headers["Cache-Control"] == "no-store"


def test_answers_to_an_api_token_are_not_stored_by_caches(client):
    response = client.get("/api/no-such-endpoint", headers={"Authorization": "Bearer not-a-real-token"})
    assert response.headers["Cache-Control"] == "no-store"
