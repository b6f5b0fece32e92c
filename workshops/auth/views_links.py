"""Password links (routes of the auth blueprint): "Forgot your password?",
the page a reset or invitation link opens, and the admins' invitations.

The forgot-password form gives one answer whether the address has an
account or not, and is throttled by the login limiter (each request counts
as a failed attempt for that address and account: operations_sessions
login_blocked_until, the one home of the limits). Opening a link changes
nothing (mail scanners open links); only submitting a new password uses it."""

from __future__ import annotations

import logging

from flask import flash, g, redirect, render_template, session, url_for
from flask_login import current_user, logout_user

from ..core.forms import options
from ..core.pages import edit_round
from ..extensions import db
from . import operations
from .access import admin_required
from .forms import ForgotPasswordForm, InviteUserForm, ReinviteForm, SetPasswordForm
from .models import User
from .operations_links import (
    INVITATION_VALIDITY,
    LinkRefused,
    invite_user,
    network_model,
    open_link,
    reinvite_user,
    request_password_reset,
    set_password_by_link,
)
from .views import _too_many, bp, client_address

log = logging.getLogger("workshops.auth")
SAME_ANSWER = ("If an account exists for that address, we have sent a link to set a new password. "
               "It works once, for one hour. Check your spam folder if it does not arrive.")


def _link_for(token: str) -> str:
    return url_for("auth.set_password", link_token=token, _external=True)


@bp.route("/login/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        address = client_address()
        blocked_until = operations.login_blocked_until(email, address)
        if blocked_until is not None:
            return _too_many(form, form.email, blocked_until, "auth/forgot_password.html", sent=False)
        operations.record_failed_login(email, address)  # a request counts against the same limits
        queued = request_password_reset(email, _link_for)
        log.info("password reset asked (request %s)%s", g.get("request_id", ""), "" if queued else ": no such account")
        return render_template("auth/forgot_password.html", form=ForgotPasswordForm(formdata=None), sent=True)
    return render_template("auth/forgot_password.html", form=form, sent=False), 422 if form.errors else 200


def _refused(exc: LinkRefused):
    status = 404 if exc.reason == "unknown" else 410
    return render_template("auth/link_refused.html", message=str(exc), purpose=exc.purpose,
                           reason=exc.reason), status


@bp.route("/password/<link_token>", methods=["GET", "POST"])
def set_password(link_token: str):
    try:
        link = open_link(link_token)
    except LinkRefused as exc:
        return _refused(exc)
    user = link.user
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password_by_link(link_token, form.new_password.data)
        except LinkRefused as exc:
            return _refused(exc)
        except operations.Invalid as exc:
            form.new_password.errors.append(exc.errors.get("new_password", "Choose another password."))
        else:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash("Your password is set. Log in with it." if link.purpose == "reset"
                  else f"Welcome, {user.name}: your password is set. Log in with it.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, purpose=link.purpose, email=user.email,
                           expires_at=link.expires_at), 422 if form.errors else 200


@bp.route("/admin/users/invite", methods=["GET", "POST"])
@admin_required
def invite():
    form = InviteUserForm()
    network = network_model()
    form.networks.choices = options((n.id, f"{n.acronym} — {n.name}")
                                    for n in db.session.scalars(db.select(network).order_by(network.acronym)))
    return edit_round(
        form,
        lambda: invite_user(current_user, form.email.data, form.name.data, form.role.data,
                            form.networks.data or [], _link_for),
        render=lambda **context: render_template("auth/invite_user.html", form=form,
                                                 days=INVITATION_VALIDITY.days, **context),
        saved=lambda user: f"{user.email} is invited as {user.role}: the mail with their link is on its way "
                           f"(the link works for {INVITATION_VALIDITY.days} days).",
        then=url_for("auth.users"),
    )


@bp.route("/admin/users/<int:user_id>/invite-again", methods=["POST"])
@admin_required
def invite_again(user_id: int):
    user = db.get_or_404(User, user_id)
    if ReinviteForm().validate_on_submit():
        try:
            reinvite_user(current_user, user, _link_for)
        except operations.Invalid as exc:
            flash(next(iter(exc.errors.values())), "error")
        else:
            flash(f"{user.email} is invited again; the earlier link no longer works.", "success")
    else:
        flash("The form expired; try again.", "error")
    return redirect(url_for("auth.users"))
