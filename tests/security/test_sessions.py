"""Login sessions live on the server: a copy of the cookie dies at logout,
at a password change, after idling too long and after the absolute
lifetime; every login starts a new session."""

import datetime as dt

from sqlalchemy import select, update

from workshops.auth.models import LoginSession
from workshops.extensions import db

from ..conftest import PASSWORD


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(client, cookie: str):
    client.set_cookie("session", cookie)
    return client.get("/profile")


def _only_session():
    return db.session.scalars(select(LoginSession)).one()


def test_a_cookie_copied_before_logout_is_refused_afterwards(client, auth):
    auth.login(role="viewer")
    assert client.get("/profile").status_code == 200
    stolen = _cookie(client)
    auth.logout()
    response = _replay(client, stolen)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert _only_session().ended_at is not None


def test_a_cookie_copied_before_a_password_change_is_refused_afterwards(app, make, auth):
    user = make.user(role="viewer")
    other_browser = app.test_client()
    other_browser.post("/login", data={"email": user.email, "password": PASSWORD})
    stolen = _cookie(other_browser)
    assert other_browser.get("/profile").status_code == 200

    auth.login(user)
    response = auth.client.post("/profile/password", data={
        "current_password": PASSWORD, "new_password": "Lantern-Orchard-Basalt-71",
        "confirm": "Lantern-Orchard-Basalt-71"})
    assert response.status_code == 302
    assert auth.client.get("/profile").status_code == 200  # this browser stays logged in

    thief = app.test_client()
    assert _replay(thief, stolen).status_code == 302
    assert other_browser.get("/profile").status_code == 302


def test_a_session_idle_longer_than_the_limit_ends(make_app, make):
    app = make_app(SESSION_IDLE_MINUTES=30)
    client = app.test_client()
    user = make.user(role="viewer")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.get("/profile").status_code == 200
    # 29 minutes idle: still in; the visit counts as activity.
    db.session.execute(update(LoginSession).values(last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=29)))
    db.session.commit()
    assert client.get("/profile").status_code == 200
    db.session.execute(update(LoginSession).values(last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)))
    db.session.commit()
    assert client.get("/profile").status_code == 302
    db.session.expire_all()
    assert _only_session().ended_at is not None


def test_a_session_older_than_the_absolute_lifetime_ends_even_when_active(make_app, make):
    app = make_app(SESSION_ABSOLUTE_HOURS=8)
    client = app.test_client()
    user = make.user(role="viewer")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    now = dt.datetime.now(dt.UTC)
    db.session.execute(update(LoginSession).values(created_at=now - dt.timedelta(hours=7, minutes=59),
                                                   last_seen_at=now))
    db.session.commit()
    assert client.get("/profile").status_code == 200
    db.session.execute(update(LoginSession).values(created_at=now - dt.timedelta(hours=8, minutes=1),
                                                   last_seen_at=now))
    db.session.commit()
    assert client.get("/profile").status_code == 302


def test_login_starts_a_new_session_so_a_planted_cookie_gains_nothing(app, client, make):
    user = make.user(role="viewer")
    client.get("/login")  # an anonymous session, as an attacker could plant it
    client.set_cookie("session", "planted")
    planted_before = _cookie(client)
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    after = _cookie(client)
    assert after != planted_before
    # The attacker's copy of the pre-login cookie is still anonymous.
    attacker = app.test_client()
    attacker.set_cookie("session", planted_before)
    assert attacker.get("/profile").status_code == 302
    # Two logins never share a server-side session.
    client.post("/logout")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    keys = db.session.scalars(select(LoginSession.key_hash)).all()
    assert len(keys) == len(set(keys)) == 2


def test_session_data_from_before_login_is_dropped(app, client, make):
    user = make.user(role="viewer")
    with client.session_transaction() as sess:
        sess["leftover"] = "from an anonymous visit"
        sess["_user_id"] = "guessed-key"
    assert client.get("/profile").status_code == 302  # a guessed key is no login
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as sess:
        assert "leftover" not in sess
        assert sess["_user_id"] != "guessed-key"
