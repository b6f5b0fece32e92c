"""Login (with an optional second factor), logout, the profile page and
the admins' accounts pages (a person's personal data is with people:
people/views_privacy.py). The session cookie carries only the key of a
server-side LoginSession, so logging out really ends it."""

from __future__ import annotations

import base64
import datetime as dt
import logging
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..audit.operations import Invalid
from ..core.forms import show_errors
from ..core.pages import edit_round
from ..db import utcnow
from ..extensions import db, login_manager
from . import operations
from . import queries as user_queries
from .access import admin_required
from .forms import (
    ChangePasswordForm,
    LoginForm,
    PasswordConfirmForm,
    ReinviteForm,
    SecondFactorForm,
    TotpSetupForm,
    UserStatusForm,
)
from .models import User

bp = Blueprint("auth", __name__)
log = logging.getLogger("workshops.auth")

login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see this page."
login_manager.login_message_category = "info"

# How long the second-factor step may take after the password was right.
SECOND_FACTOR_MINUTES = 10
# Pages an admin without a second factor may still reach when it is required.
SETUP_ENDPOINTS = {"static", "auth.totp_setup", "auth.logout", "core.healthz"}


@login_manager.user_loader
def load_user(key: str) -> User | None:
    """The user of a login session. A view marked `token_only` (the API's
    operations) is who its bearer token says, never the session cookie, so
    that a cross-site form riding on the cookie can do nothing there."""
    if getattr(current_app.view_functions.get(request.endpoint or ""), "token_only", False):
        return None
    row = operations.load_login_session(key)
    if row is None or not operations.session_complete(row):
        return None
    user = row.user
    user.login_key = key
    return user


def _get_id(self) -> str:
    return getattr(self, "login_key", "")


User.get_id = _get_id
User.is_authenticated = property(lambda self: True)
User.is_anonymous = property(lambda self: False)
User.is_active = property(lambda self: self.active)


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host, scheme, '//' or '\\'.
    Browsers drop tabs and newlines inside URLs ('/\\t/evil.com' is
    '//evil.com' to them), so any control character or space is refused."""
    if not target:
        return url_for("home.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target):
        return url_for("home.home")
    return target


def client_address() -> str:
    return request.remote_addr or "unknown"


def _too_many_message(blocked_until: dt.datetime) -> str:
    wait = max(1, int((blocked_until - utcnow()).total_seconds() // 60) + 1)
    return (f"Too many failed attempts. Try again after {blocked_until:%H:%M} UTC (in about {wait} "
            f"minute{'s' if wait != 1 else ''}).")


def _too_many(form, field, blocked_until: dt.datetime, template: str, **context):
    log.warning("login refused: too many attempts (request %s)", g.get("request_id", ""))
    field.errors.append(_too_many_message(blocked_until))
    return render_template(template, form=form, **context), 429


class _TooMany(Exception):
    def __init__(self, blocked_until: dt.datetime):
        super().__init__(blocked_until)
        self.blocked_until = blocked_until


def _password_recheck(operation, *args, field: str = "password", **kwargs):
    """Run a profile action that asks for the user's password again, throttled
    by the same limiter as logins: refused with _TooMany while blocked, and a
    wrong password counts as a failed login."""
    address = client_address()
    blocked_until = operations.login_blocked_until(current_user.email, address)
    if blocked_until is not None:
        log.warning("password re-check refused: too many attempts (request %s)", g.get("request_id", ""))
        raise _TooMany(blocked_until)
    try:
        return operation(*args, **kwargs)
    except Invalid as exc:
        if exc.errors.get(field) == operations.WRONG_PASSWORD:
            operations.record_failed_login(current_user.email, address)
            log.warning("password re-check failed (request %s)", g.get("request_id", ""))
        raise


def _finish_login(user: User, key: str, next_url: str | None):
    session.clear()  # a new session at login: nothing carried over
    user.login_key = key
    login_user(user)
    session["login_key"] = key
    flash(f"Welcome, {user.name}.", "success")
    return redirect(safe_next(next_url))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        blocked_until = operations.login_blocked_until(email, client_address())
        if blocked_until is not None:
            return _too_many(form, form.email, blocked_until, "auth/login.html")
        user = db.session.scalar(select(User).where(User.email == email))
        if not operations.check_password(user, form.password.data) or not user.active:
            operations.record_failed_login(email, client_address())
            log.warning("login failed (request %s)", g.get("request_id", ""))
            form.password.errors.append("The email or password is not right.")
            return render_template("auth/login.html", form=form), 200
        key = operations.start_login_session(user)
        if user.has_second_factor:
            # Failures are cleared only once the second factor is right too,
            # so the password cannot be used to reset the code's rate limit.
            session.clear()
            session["pending_login_key"] = key
            session["pending_next"] = form.next.data or ""
            return redirect(url_for("auth.second_factor"))
        operations.clear_failed_logins(email, client_address())
        return _finish_login(user, key, form.next.data)
    return render_template("auth/login.html", form=form)


@bp.route("/login/second-factor", methods=["GET", "POST"])
def second_factor():
    if current_user.is_authenticated:  # done already: a stray visit must not end the session
        return redirect(url_for("home.home"))
    key = session.get("pending_login_key")
    row = operations.load_login_session(key) if key else None
    if row is None or row.second_factor_done or not row.user.has_second_factor \
            or utcnow() - row.created_at > dt.timedelta(minutes=SECOND_FACTOR_MINUTES):
        session.clear()
        flash("Please log in again.", "info")
        return redirect(url_for("auth.login"))
    user = row.user
    form = SecondFactorForm()
    if form.validate_on_submit():
        blocked_until = operations.login_blocked_until(user.email, client_address())
        if blocked_until is not None:
            return _too_many(form, form.code, blocked_until, "auth/second_factor.html")
        if not operations.check_second_factor(user, form.code.data):
            operations.record_failed_login(user.email, client_address())
            log.warning("second factor failed (request %s)", g.get("request_id", ""))
            form.code.errors.append("This code is not right.")
            return render_template("auth/second_factor.html", form=form), 200
        operations.clear_failed_logins(user.email, client_address())
        operations.mark_second_factor_done(row)
        left = operations.recovery_codes_left(user)
        next_url = session.get("pending_next")
        response = _finish_login(user, key, next_url)
        if left <= 3:
            flash(f"You have {left} recovery code{'s' if left != 1 else ''} left; make new ones on your "
                  "profile page.", "warning")
        return response
    return render_template("auth/second_factor.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    key = getattr(current_user, "login_key", None) if current_user.is_authenticated else None
    key = key or session.get("pending_login_key")
    if key:
        operations.end_login_session(key)
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("home.home"))


# --- the profile page --------------------------------------------------------

def _profile(password_form=None, status=200):
    user = current_user
    return render_template(
        "auth/profile.html",
        user=user,
        password_form=password_form or ChangePasswordForm(),
        confirm_form=PasswordConfirmForm(),
        recovery_left=operations.recovery_codes_left(user) if user.has_second_factor else 0,
        admin_2fa_required=current_app.config.get("REQUIRE_ADMIN_2FA", False),
    ), status


@bp.route("/profile")
@login_required
def profile():
    return _profile()


@bp.route("/profile/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            revoked = _password_recheck(operations.change_password, current_user, form.current_password.data,
                                        form.new_password.data, keep_key=current_user.login_key,
                                        field="current_password")
        except _TooMany as exc:
            form.current_password.errors.append(_too_many_message(exc.blocked_until))
            return _profile(form, 429)
        except Invalid as exc:
            show_errors(form, exc)
            return _profile(form, 200)
        tokens = f" Your {revoked} API token{'s are' if revoked != 1 else ' is'} revoked: make new ones." \
            if revoked else ""
        flash("Your password is changed. Every other browser where you were logged in is logged out."
              + tokens, "success")
        return redirect(url_for("auth.profile"))
    return _profile(form, 200)


def _qr_data_uri(text: str) -> str:
    """The otpauth URI as an SVG QR code, served as a data: image (the CSP
    allows data: images and no inline SVG styling is needed)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


@bp.route("/profile/two-factor", methods=["GET", "POST"])
@login_required
def totp_setup():
    if current_user.has_second_factor:
        flash("The second factor is already on.", "info")
        return redirect(url_for("auth.profile"))
    form = TotpSetupForm()
    if form.validate_on_submit():
        try:
            codes = operations.enable_totp(current_user, form.secret.data or "", form.code.data,
                                           keep_key=current_user.login_key)
        except Invalid as exc:
            show_errors(form, exc)
        else:
            log.info("second factor turned on (request %s)", g.get("request_id", ""))
            return render_template("auth/recovery_codes.html", codes=codes, first_time=True)
    secret = form.secret.data if operations.valid_totp_secret(form.secret.data or "") \
        else operations.new_totp_secret()
    form.secret.data = secret
    uri = operations.totp_uri(current_user, secret)
    return render_template("auth/totp_setup.html", form=form, secret=secret, uri=uri,
                           qr=_qr_data_uri(uri))


@bp.route("/profile/two-factor/recovery-codes", methods=["POST"])
@login_required
def regenerate_recovery_codes():
    form = PasswordConfirmForm()
    if form.validate_on_submit():
        try:
            codes = _password_recheck(operations.regenerate_recovery_codes, current_user, form.password.data)
        except _TooMany as exc:
            flash(_too_many_message(exc.blocked_until), "error")
            return _profile(status=429)
        except Invalid as exc:
            flash(next(iter(exc.errors.values())), "error")
            return redirect(url_for("auth.profile"))
        return render_template("auth/recovery_codes.html", codes=codes, first_time=False)
    flash("Enter your password to make new recovery codes.", "error")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/two-factor/off", methods=["POST"])
@login_required
def totp_disable():
    form = PasswordConfirmForm()
    if form.validate_on_submit():
        try:
            _password_recheck(operations.disable_totp, current_user, form.password.data)
        except _TooMany as exc:
            flash(_too_many_message(exc.blocked_until), "error")
            return _profile(status=429)
        except Invalid as exc:
            flash(next(iter(exc.errors.values())), "error")
        else:
            flash("The second factor is off.", "info")
        return redirect(url_for("auth.profile"))
    flash("Enter your password to turn the second factor off.", "error")
    return redirect(url_for("auth.profile"))


# --- accounts (admins) ------------------------------------------------------------

USER_ACTIONS = {
    "deactivate": ("Deactivate", operations.deactivate_user),
    "reactivate": ("Reactivate", operations.reactivate_user),
}


@bp.route("/admin/users")
@admin_required
def users():
    return render_template("auth/users.html", rows=user_queries.users_for_admins(),
                           pending=operations.pending_invitations(), reinvite_form=ReinviteForm())


@bp.route("/admin/users/<int:user_id>/<any(deactivate, reactivate):action>", methods=["GET", "POST"])
@admin_required
def user_status(user_id: int, action: str):
    """Asks first (what deactivating ends), then does it."""
    user = db.get_or_404(User, user_id)
    verb, operation = USER_ACTIONS[action]
    form = UserStatusForm(version=user.version)

    def saved(revoked) -> str:
        if action == "deactivate":
            return (f"{user.name} is deactivated: logged out everywhere"
                    + (f", {revoked} API token{'s' if revoked != 1 else ''} revoked" if revoked else "")
                    + ", and can no longer log in.")
        return f"{user.name} can log in again."

    def page(**context) -> str:
        row = next((r for r in user_queries.users_for_admins() if r.user.id == user.id), None)
        return render_template("auth/user_status.html", form=form, user=user, action=action, verb=verb,
                               row=row, **context)

    return edit_round(
        form, lambda: operation(current_user, user, form.version.data), record=user,
        conflict_note=(None, "Someone changed this account meanwhile; check and confirm again."),
        render=page, saved=saved, then=url_for("auth.users"))


def init_app(app) -> None:
    @app.before_request
    def _who_is_logged_in_is_asked_afresh() -> None:
        # Flask-Login caches the user in `g`; a request that reuses an app
        # context (tests push one around many requests) must not inherit it.
        g.pop("_login_user", None)

    @app.context_processor
    def _demo_login():
        return {"demo_login": current_app.config.get("DEMO_LOGIN", False)}

    @app.before_request
    def _admins_need_a_second_factor():
        """With REQUIRE_ADMIN_2FA, an admin sets up the second factor before
        anything else."""
        if not current_app.config.get("REQUIRE_ADMIN_2FA") or request.endpoint in SETUP_ENDPOINTS \
                or "_user_id" not in session:
            return None
        if current_user.is_authenticated and current_user.is_admin and not current_user.has_second_factor:
            flash("Admins must turn on the second factor before going on.", "warning")
            return redirect(url_for("auth.totp_setup"))
        return None


# Password links and invitations: routes on this blueprint (endpoints "auth.<function>").
from . import views_links  # noqa: E402,F401
