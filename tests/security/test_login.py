"""Logging in: rate limits shared by every worker (they live in the
database), password rules, and a `next` that never leaves the site."""

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from workshops.auth.models import LoginAttempt, User
from workshops.auth.operations import common_passwords, password_problem
from workshops.extensions import db

from ..conftest import PASSWORD, form_errors


def _fail(client, email, address="192.0.2.10"):
    return client.post("/login", data={"email": email, "password": "not-the-password-at-all"},
                       environ_base={"REMOTE_ADDR": address})


def _login(client, email, address="192.0.2.10", password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_an_account_is_locked_at_an_address_after_five_failures_there_with_a_time_to_come_back(client, make):
    user = make.user(role="viewer")
    for _ in range(5):
        response = _fail(client, user.email, address="198.51.100.1")
        assert response.status_code == 200
        assert "The email or password is not right." in form_errors(response.get_data(as_text=True))
    refused = _login(client, user.email, address="198.51.100.1")  # even the right password
    assert refused.status_code == 429
    message = " ".join(form_errors(refused.get_data(as_text=True)))
    assert "Too many failed attempts. Try again after" in message and "UTC" in message
    assert "minute" in message
    assert client.get("/profile").status_code == 302  # not logged in
    # The owner, at an address that has not failed, still gets in.
    assert _login(client, user.email, address="203.0.113.77").status_code == 302


def test_one_address_trying_many_accounts_is_stopped(make_app, make):
    client = make_app(LOGIN_MAX_ATTEMPTS_PER_ADDRESS=8).test_client()
    victims = [make.user(role="viewer") for _ in range(8)]
    for victim in victims:
        _fail(client, victim.email, address="192.0.2.99")
    fresh = make.user(role="viewer")
    assert _login(client, fresh.email, address="192.0.2.99").status_code == 429
    # Another address is not blocked for that account.
    assert _login(client, fresh.email, address="192.0.2.100").status_code == 302


def test_the_lock_lifts_when_the_failures_leave_the_window(client, make):
    user = make.user(role="viewer")
    for _ in range(5):
        _fail(client, user.email)
    assert _login(client, user.email).status_code == 429
    db.session.execute(update(LoginAttempt).values(at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)))
    db.session.commit()
    assert _login(client, user.email).status_code == 302


def test_a_successful_login_clears_the_accounts_failures(client, make):
    user = make.user(role="viewer")
    for _ in range(3):
        _fail(client, user.email)
    assert _login(client, user.email).status_code == 302
    assert db.session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.address == "192.0.2.10", LoginAttempt.account_key != "")) == 0


def test_the_limit_is_shared_between_workers(make_app, make):
    """Two app instances (two gunicorn workers) count the same failures."""
    user = make.user(role="viewer")
    worker_a, worker_b = make_app().test_client(), make_app().test_client()
    for n in range(5):
        _fail(worker_a if n % 2 else worker_b, user.email)
    assert _login(worker_a, user.email).status_code == 429
    assert _login(worker_b, user.email).status_code == 429


@pytest.mark.parametrize("password, accepted", [
    ("short-pass", False),
    ("password1234", False),
    ("qwertyuiop123", False),
    ("1q2w3e4r5t6y", False),
    ("sunshine2026!!", False),         # a common word dressed up
    ("abcabcabcabc", False),
    ("aaaaaaaaaaaaaaaa", False),
    ("Lantern-Orchard-Basalt-71", True),
    ("correct-horse-battery-9", True),
])
def test_password_rules(password, accepted):
    assert (password_problem(password) is None) is accepted


def test_the_common_password_list_is_a_real_top_list():
    listed = common_passwords()
    assert len(listed) > 10_000
    assert len([p for p in listed if len(p) >= 12]) >= 200
    assert {"123456", "password", "qwerty123456", "1qaz2wsx3edc"} <= listed


def test_a_password_may_not_be_the_users_own_email_or_name():
    assert password_problem("ann.tan@example.org", email="ann.tan@example.org") is not None
    assert password_problem("AnnabelTanWeiLing", name="Annabel Tan Wei Ling") is not None


HOSTILE_NEXT = [
    "//evil.com", "https://evil.com", "http://evil.com/path", "/\\evil.com", "\\\\evil.com",
    "javascript:alert(1)", "JavaScript:alert(1)", "/\t/evil.com", "/\n/evil.com", "evil.com",
    "data:text/html,hi", "///evil.com", " //evil.com", "/\x0b/evil.com",
]


def test_next_never_leads_off_the_site(client, make):
    user = make.user(role="viewer")
    for hostile in HOSTILE_NEXT:
        response = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": hostile})
        assert response.status_code == 302, hostile
        assert response.headers["Location"] == "/", hostile
        client.post("/logout")


def test_next_leads_back_to_the_page_asked_for(client, make):
    user = make.user(role="viewer")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "next": "/profile?tab=2"})
    assert response.headers["Location"] == "/profile?tab=2"


def test_the_profile_page_shows_the_account(client, auth, make):
    network = make.network(acronym="NADI")
    user = auth.login(role="organiser", networks=[network])
    html = client.get("/profile").get_data(as_text=True)
    assert user.name in html and user.email in html
    assert "Organiser" in html and "NADI" in html
    assert "Change your password" in html and "Second factor" in html


def test_changing_the_password_needs_the_current_one_and_a_good_new_one(client, auth):
    user = auth.login(role="viewer")
    wrong = client.post("/profile/password", data={
        "current_password": "not-my-password-at-all", "new_password": "Lantern-Orchard-Basalt-71",
        "confirm": "Lantern-Orchard-Basalt-71"})
    assert "This is not your current password." in form_errors(wrong.get_data(as_text=True))
    weak = client.post("/profile/password", data={
        "current_password": PASSWORD, "new_password": "password1234", "confirm": "password1234"})
    assert "This password is among the most common ones; choose another." in \
        form_errors(weak.get_data(as_text=True))
    differ = client.post("/profile/password", data={
        "current_password": PASSWORD, "new_password": "Lantern-Orchard-Basalt-71",
        "confirm": "Lantern-Orchard-Basalt-72"})
    assert "The two new passwords differ." in form_errors(differ.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(User, user.id).version == user.version  # nothing saved

    client.post("/profile/password", data={
        "current_password": PASSWORD, "new_password": "Lantern-Orchard-Basalt-71",
        "confirm": "Lantern-Orchard-Basalt-71"})
    client.post("/logout")
    assert _login(client, user.email).status_code == 200  # the old password no longer works
    assert _login(client, user.email, password="Lantern-Orchard-Basalt-71").status_code == 302


def test_a_password_change_is_in_the_audit_trail_without_the_hash(client, auth):
    from workshops.audit.models import AuditEntry

    user = auth.login(role="viewer")
    client.post("/profile/password", data={
        "current_password": PASSWORD, "new_password": "Lantern-Orchard-Basalt-71",
        "confirm": "Lantern-Orchard-Basalt-71"})
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "User",
                                                        AuditEntry.action == "update")).one()
    assert entry.user_id == user.id
    assert entry.changes == {"password_hash": ["(hidden)", "(changed)"]}
