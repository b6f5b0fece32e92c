"""Login and logout. The session cookie carries only the key of a
server-side LoginSession, so logging out really ends it."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..extensions import db, login_manager
from . import operations
from .forms import LoginForm
from .models import User

bp = Blueprint("auth", __name__)
log = logging.getLogger("workshops.auth")

login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see this page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(key: str) -> User | None:
    row = operations.load_login_session(key)
    if row is None:
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
    """Only a path on this site: never another host, scheme or '//'."""
    if not target:
        return url_for("core.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("core.home")
    return target


def client_address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        blocked_until = operations.login_blocked_until(email, client_address())
        if blocked_until is not None:
            log.warning("login refused: too many attempts (request %s)", g.request_id)
            form.email.errors.append(
                f"Too many failed attempts. Try again after {blocked_until:%H:%M} UTC."
            )
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None or not user.active or not operations.check_password(user, form.password.data):
            operations.record_failed_login(email, client_address())
            log.warning("login failed (request %s)", g.request_id)
            form.password.errors.append("The email or password is not right.")
            return render_template("auth/login.html", form=form), 200
        operations.clear_failed_logins(email)
        session.clear()  # a new session at login: nothing carried over
        user.login_key = operations.start_login_session(user)
        login_user(user)
        session["login_key"] = user.login_key
        flash(f"Welcome, {user.name}.", "success")
        return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    key = getattr(current_user, "login_key", None) if current_user.is_authenticated else None
    if key:
        operations.end_login_session(key)
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("core.home"))


def init_app(app) -> None:
    @app.context_processor
    def _demo_login():
        return {"demo_login": current_app.config.get("DEMO_LOGIN", False)}
