"""Login limits that stop guessing without locking people out: the strict
limit counts one account from one address, one address gets a much larger
allowance across accounts, the owner gets in from an address that has not
failed, the client's address comes from a trusted proxy only when one is
configured, and every password re-check on the profile page is throttled by
the same limiter."""

import re

import pyotp
from sqlalchemy import func, select

from workshops.auth.models import LoginAttempt, RecoveryCode, User
from workshops.extensions import db

from ..conftest import PASSWORD, form_errors

PROXY = "10.0.0.2"  # the nginx in front of the app, as the app sees it


def _post_login(client, email, password, address, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def _fail(client, email, address="192.0.2.10", forwarded_for=None):
    return _post_login(client, email, "not-the-password-at-all", address, forwarded_for)


def _login(client, email, address="192.0.2.10", forwarded_for=None):
    return _post_login(client, email, PASSWORD, address, forwarded_for)


def test_five_random_emails_from_one_address_do_not_lock_out_the_others_there(client, make):
    user = make.user(role="viewer")
    for n in range(5):
        _fail(client, f"nobody{n}@example.org", address=PROXY)
    assert _login(client, user.email, address=PROXY).status_code == 302


def test_the_per_address_limit_is_well_above_the_per_account_one(app):
    assert app.config["LOGIN_MAX_ATTEMPTS"] == 5
    assert app.config["LOGIN_MAX_ATTEMPTS_PER_ADDRESS"] == 50
    assert app.config["LOGIN_MAX_ATTEMPTS_PER_ADDRESS"] >= 10 * app.config["LOGIN_MAX_ATTEMPTS"]


def test_the_limits_are_read_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("LOGIN_MAX_ATTEMPTS_PER_ADDRESS", "80")
    monkeypatch.setenv("LOGIN_MAX_ATTEMPTS_PER_ACCOUNT", "30")
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    app = make_app()
    assert app.config["LOGIN_MAX_ATTEMPTS_PER_ADDRESS"] == 80
    assert app.config["LOGIN_MAX_ATTEMPTS_PER_ACCOUNT"] == 30
    assert app.config["TRUSTED_PROXIES"] == 2


def test_one_address_is_stopped_after_the_per_address_limit(make_app, make):
    client = make_app(LOGIN_MAX_ATTEMPTS_PER_ADDRESS=12).test_client()
    user = make.user(role="viewer")
    for n in range(11):
        _fail(client, f"nobody{n}@example.org", address="192.0.2.99")
    assert _login(client, user.email, address="192.0.2.99").status_code == 302
    client.post("/logout")
    _fail(client, "nobody-else@example.org", address="192.0.2.99")
    assert _login(client, user.email, address="192.0.2.99").status_code == 429
    assert _login(client, user.email, address="192.0.2.100").status_code == 302


def test_wrong_passwords_lock_the_account_at_that_address_only(client, make):
    user = make.user(role="viewer")
    for _ in range(5):
        _fail(client, user.email, address="198.51.100.7")
    assert _login(client, user.email, address="198.51.100.7").status_code == 429
    assert _login(client, user.email, address="203.0.113.20").status_code == 302  # the owner, elsewhere


def test_guessing_one_account_from_many_addresses_stops_at_the_account_limit_but_not_for_its_owner(make_app, make):
    client = make_app(LOGIN_MAX_ATTEMPTS_PER_ACCOUNT=6).test_client()
    user = make.user(role="viewer")
    for n in range(6):  # six addresses, one guess each: no single address reaches five
        _fail(client, user.email, address=f"198.51.100.{n}")
    # Each address that has failed is now refused for this account…
    assert _login(client, user.email, address="198.51.100.3").status_code == 429
    # …also one that failed only on another account in the window…
    _fail(client, "someone-else@example.org", address="198.51.100.50")
    assert _login(client, user.email, address="198.51.100.50").status_code == 429
    # …while the owner, at an address with no failure, logs in.
    assert _login(client, user.email, address="203.0.113.5").status_code == 302


def test_a_right_login_clears_only_that_addresses_failures_of_the_account(client, make):
    user = make.user(role="viewer")
    for _ in range(3):
        _fail(client, user.email, address="192.0.2.10")
    _fail(client, user.email, address="192.0.2.11")
    assert _login(client, user.email, address="192.0.2.10").status_code == 302
    left = db.session.scalars(select(LoginAttempt.address)).all()
    assert left == ["192.0.2.11"]


def test_without_a_trusted_proxy_forwarded_for_is_ignored(client, make):
    """A client cannot pick the address its failures are counted under."""
    user = make.user(role="viewer")
    for n in range(5):
        _fail(client, user.email, address="198.51.100.9", forwarded_for=f"203.0.113.{n}")
    assert _login(client, user.email, address="198.51.100.9", forwarded_for="203.0.113.99").status_code == 429
    assert set(db.session.scalars(select(LoginAttempt.address))) == {"198.51.100.9"}


def test_behind_a_trusted_proxy_each_client_is_counted_under_its_own_address(make_app, make):
    client = make_app(TRUSTED_PROXIES=1).test_client()
    user, other = make.user(role="viewer"), make.user(role="viewer")
    for _ in range(5):  # a spoofed entry in front of the proxy's own is ignored
        _fail(client, user.email, address=PROXY, forwarded_for="192.0.2.1, 198.51.100.66")
    assert set(db.session.scalars(select(LoginAttempt.address))) == {"198.51.100.66"}
    assert _login(client, user.email, address=PROXY, forwarded_for="198.51.100.66").status_code == 429
    # Everyone else behind the same proxy, the account's owner included, gets in.
    assert _login(client, other.email, address=PROXY, forwarded_for="203.0.113.8").status_code == 302
    client.post("/logout")
    assert _login(client, user.email, address=PROXY, forwarded_for="203.0.113.9").status_code == 302


def test_a_trusted_proxy_also_tells_the_scheme(make_app):
    """Behind TLS at nginx, the links the app writes say https."""
    forwarded = {"X-Forwarded-For": "203.0.113.8", "X-Forwarded-Proto": "https"}
    proxied = make_app(TRUSTED_PROXIES=1).test_client().get("/api/v1/docs", headers=forwarded)
    assert "https://localhost" in proxied.get_data(as_text=True)
    direct = make_app().test_client().get("/api/v1/docs", headers=forwarded)
    assert "https://localhost" not in direct.get_data(as_text=True)
    assert "http://localhost" in direct.get_data(as_text=True)


# --- password re-checks on the profile page ------------------------------------------

def _turn_on_second_factor(client) -> str:
    page = client.get("/profile/two-factor").get_data(as_text=True)
    secret = re.search(r'data-key="([A-Z2-7]{32})"', page).group(1)
    done = client.post("/profile/two-factor", data={"secret": secret, "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    return secret


def _flashes(html: str) -> str:
    return " ".join(re.findall(r"Too many failed attempts[^<]*", html))


def test_turning_the_second_factor_off_is_throttled_like_a_login(client, auth):
    user = auth.login(role="viewer")
    _turn_on_second_factor(client)
    for _ in range(5):
        client.post("/profile/two-factor/off", data={"password": "not-my-password-at-all"})
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 5
    refused = client.post("/profile/two-factor/off", data={"password": PASSWORD})  # even the right one
    assert refused.status_code == 429
    assert "Try again after" in _flashes(refused.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is not None


def test_new_recovery_codes_are_throttled_like_a_login(client, auth):
    auth.login(role="viewer")
    _turn_on_second_factor(client)
    before = set(db.session.scalars(select(RecoveryCode.code_hash)))
    for _ in range(5):
        wrong = client.post("/profile/two-factor/recovery-codes", data={"password": "not-my-password-at-all"})
        assert wrong.status_code == 302
    refused = client.post("/profile/two-factor/recovery-codes", data={"password": PASSWORD})
    assert refused.status_code == 429
    assert "Try again after" in _flashes(refused.get_data(as_text=True))
    assert not re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", refused.get_data(as_text=True))
    assert set(db.session.scalars(select(RecoveryCode.code_hash))) == before


def test_re_check_failures_count_with_login_failures(client, auth):
    """One limiter: wrong passwords on the profile page and at the login add up."""
    user = auth.login(role="viewer")
    for _ in range(3):
        client.post("/profile/password", data={
            "current_password": "not-my-password-at-all", "new_password": "Lantern-Orchard-Basalt-71",
            "confirm": "Lantern-Orchard-Basalt-71"})
    client.post("/logout")
    for _ in range(2):
        _fail(client, user.email, address="127.0.0.1")
    locked = _login(client, user.email, address="127.0.0.1")
    assert locked.status_code == 429
    assert "Too many failed attempts" in " ".join(form_errors(locked.get_data(as_text=True)))
