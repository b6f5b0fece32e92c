"""The second factor: TOTP codes from an authenticator app, ten single-use
recovery codes, asked after the password; admins can be made to use it."""

import re
import time

import pyotp
from sqlalchemy import func, select

from workshops.auth.models import LoginSession, RecoveryCode, User
from workshops.extensions import db

from ..conftest import PASSWORD, form_errors


def _turn_on(client, when: float | None = None) -> tuple[str, list[str]]:
    """Turns the second factor on with the code of `when` (now by default)."""
    page = client.get("/profile/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret" data-key="([A-Z2-7]{32})">', page).group(1)
    assert "otpauth://totp/" in page and f"secret={secret}" in page
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code, drawn on the server
    done = client.post("/profile/two-factor", data={"secret": secret, "code": pyotp.TOTP(secret).at(when or time.time())})
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def _next_code(secret: str) -> str:
    """The code of the coming 30 seconds: accepted (clocks drift), and not the
    one that turned the factor on, which is used up."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def _password_step(client, user, next_url=""):
    return client.post("/login", data={"email": user.email, "password": PASSWORD, "next": next_url})


def test_turning_it_on_needs_a_right_code_from_the_app(client, auth):
    user = auth.login(role="viewer")
    page = client.get("/profile/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret" data-key="([A-Z2-7]{32})">', page).group(1)
    wrong = client.post("/profile/two-factor", data={"secret": secret, "code": "000000"})
    assert any("not right" in e for e in form_errors(wrong.get_data(as_text=True)))
    assert secret in wrong.get_data(as_text=True)  # the same key, to try the next code
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    _turn_on(client)
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is not None
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and all(len(h) == 64 for h in stored)  # hashed, never in clear


def test_login_asks_for_the_code_after_the_password(app, client, auth):
    user = auth.login(role="viewer")
    secret, _ = _turn_on(client)
    assert client.get("/profile").status_code == 200  # the browser that turned it on stays in
    browser = app.test_client()
    step = _password_step(browser, user, next_url="/profile")
    assert step.headers["Location"] == "/login/second-factor"
    # Password alone is not a login: the session is not complete yet.
    assert browser.get("/profile").status_code == 302
    assert "/login" in browser.get("/profile").headers["Location"]
    wrong = browser.post("/login/second-factor", data={"code": "123456"})
    assert "This code is not right." in form_errors(wrong.get_data(as_text=True))
    assert browser.get("/profile").status_code == 302
    right = browser.post("/login/second-factor", data={"code": _next_code(secret)})
    assert right.headers["Location"] == "/profile"
    assert browser.get("/profile").status_code == 200
    assert db.session.scalar(select(func.count()).where(LoginSession.second_factor_done.is_(True))) == 2


def test_turning_it_on_logs_out_other_browsers(app, client, auth):
    user = auth.login(role="viewer")
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other.get("/profile").status_code == 200
    _turn_on(client)
    assert other.get("/profile").status_code == 302


def test_a_recovery_code_works_once(app, client, auth):
    user = auth.login(role="viewer")
    _, codes = _turn_on(client)
    first = app.test_client()
    _password_step(first, user)
    assert first.post("/login/second-factor", data={"code": codes[0].upper()}).status_code == 302
    assert first.get("/profile").status_code == 200
    second = app.test_client()
    _password_step(second, user)
    again = second.post("/login/second-factor", data={"code": codes[0]})
    assert again.status_code == 200 and second.get("/profile").status_code == 302
    assert db.session.scalar(select(func.count()).where(RecoveryCode.used_at.is_not(None))) == 1
    html = first.get("/profile").get_data(as_text=True)
    assert "9 unused recovery codes" in html


def test_second_factor_guesses_are_rate_limited_and_a_right_password_does_not_reset_them(app, client, auth):
    user = auth.login(role="viewer")
    secret, _ = _turn_on(client)
    attacker = app.test_client()
    for _ in range(5):
        _password_step(attacker, user)
        attacker.post("/login/second-factor", data={"code": "000000"})
    _password_step(attacker, user)
    locked = _password_step(attacker, user)
    assert locked.status_code == 429
    assert "Try again after" in " ".join(form_errors(locked.get_data(as_text=True)))


def test_the_code_step_expires(app, client, auth):
    import datetime as dt

    from sqlalchemy import update

    user = auth.login(role="viewer")
    secret, _ = _turn_on(client)
    browser = app.test_client()
    _password_step(browser, user)
    db.session.execute(update(LoginSession).where(LoginSession.second_factor_done.is_(False))
                       .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=11)))
    db.session.commit()
    late = browser.post("/login/second-factor", data={"code": pyotp.TOTP(secret).now()})
    assert late.headers["Location"] == "/login"
    assert browser.get("/profile").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, auth):
    auth.login(role="viewer")
    _, old_codes = _turn_on(client)
    page = client.post("/profile/two-factor/recovery-codes", data={"password": PASSWORD})
    new_codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 10


def test_turning_it_off_needs_the_password(client, auth):
    user = auth.login(role="viewer")
    _turn_on(client)
    client.post("/profile/two-factor/off", data={"password": "not-my-password-at-all"})
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is not None
    client.post("/profile/two-factor/off", data={"password": PASSWORD})
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0


def test_when_required_an_admin_must_set_it_up_before_anything_else(make_app, make):
    app = make_app(REQUIRE_ADMIN_2FA=True)
    admin = make.user(role="admin")
    browser = app.test_client()
    browser.post("/login", data={"email": admin.email, "password": PASSWORD})
    for path in ("/", "/profile", "/no-such-page"):
        response = browser.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/profile/two-factor", path
    assert browser.get("/profile/two-factor").status_code == 200
    _turn_on(browser)
    assert browser.get("/profile").status_code == 200
    # ... and may not turn it off again.
    html = browser.get("/profile").get_data(as_text=True)
    assert "Turn the second factor off" not in html
    browser.post("/profile/two-factor/off", data={"password": PASSWORD})
    db.session.expire_all()
    assert db.session.get(User, admin.id).totp_secret is not None


def test_the_requirement_leaves_other_roles_free(make_app, make):
    app = make_app(REQUIRE_ADMIN_2FA=True)
    viewer = make.user(role="viewer")
    browser = app.test_client()
    browser.post("/login", data={"email": viewer.email, "password": PASSWORD})
    assert browser.get("/profile").status_code == 200


def test_a_code_works_once_in_its_window(app, client, auth):
    user = auth.login(role="viewer")
    secret, _ = _turn_on(client)
    code = _next_code(secret)
    first = app.test_client()
    _password_step(first, user)
    assert first.post("/login/second-factor", data={"code": code}).status_code == 302
    assert first.get("/profile").status_code == 200
    # The same code again (seen over a shoulder, replayed): refused, though
    # still inside its 30 seconds.
    second = app.test_client()
    _password_step(second, user)
    again = second.post("/login/second-factor", data={"code": code})
    assert again.status_code == 200
    assert "This code is not right." in form_errors(again.get_data(as_text=True))
    assert second.get("/profile").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_last_step is not None  # the step used, kept per user


def test_the_code_that_turned_it_on_cannot_log_in(app, client, auth):
    user = auth.login(role="viewer")
    when = time.time()
    secret, _ = _turn_on(client, when)
    browser = app.test_client()
    _password_step(browser, user)
    used = browser.post("/login/second-factor", data={"code": pyotp.TOTP(secret).at(when)})
    assert "This code is not right." in form_errors(used.get_data(as_text=True))
    assert browser.get("/profile").status_code == 302


def test_the_secret_is_stored_encrypted_and_read_back(app, client, auth):
    from sqlalchemy import text

    user = auth.login(role="viewer")
    secret, _ = _turn_on(client)
    stored = db.session.execute(text('SELECT totp_secret_encrypted FROM "user" WHERE id = :id'),
                                {"id": user.id}).scalar_one()
    assert secret not in stored and stored.startswith("gAAAA")  # a Fernet token
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret
