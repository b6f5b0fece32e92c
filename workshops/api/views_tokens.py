"""Tokens: who a token acts for (/me), and the page where users create and
revoke their personal API tokens (a web page, with the session cookie and
CSRF protection, unlike the API itself)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..audit.operations import Invalid
from ..auth.models import ApiToken
from ..extensions import db
from . import exporters as ex
from . import operations, queries
from . import schemas as s
from .forms import CreateTokenForm, RevokeTokenForm
from .pipeline import bp, operation


@operation("GET", "/me", summary="Who the token acts for", tag="About", response=s.Me)
def me():
    """The token's user, role and networks: a quick check that a token works."""
    return s.Me(id=current_user.id, name=current_user.name, email=current_user.email, role=current_user.role,
                networks=[ex.network_ref(n) for n in sorted(current_user.networks, key=lambda n: n.acronym)])



# ------------------------------------------------------- the tokens page


@bp.route("/profile/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """Create and revoke personal API tokens. A new token is shown once, on
    the answer to the form (never kept in the session or a redirect)."""
    create_form = CreateTokenForm(prefix="create")
    revoke_form = RevokeTokenForm(prefix="revoke")
    new_secret = None
    status = 200
    if request.method == "POST":
        if "create-submit" in request.form:
            if create_form.validate_on_submit():
                try:
                    _, new_secret = operations.create_token(current_user, current_user, create_form.name.data)
                    create_form.name.data = ""
                except Invalid as exc:
                    create_form.name.errors = [*create_form.name.errors, *exc.errors.values()]
                    status = 422
            else:
                status = 422
        elif revoke_form.validate_on_submit():
            token = db.session.get(ApiToken, revoke_form.token_id.data)
            if token is None or token.user_id != current_user.id:
                flash("There is no such token of yours.", "error")
            else:
                try:
                    operations.revoke_token(current_user, token)
                    flash(f"The token “{token.name}” is revoked; it no longer works.", "success")
                except Invalid as exc:
                    flash(" ".join(exc.errors.values()), "error")
            return redirect(url_for("api.tokens"))
        else:
            flash("The request was not understood; please try again.", "error")
            return redirect(url_for("api.tokens"))
    response = current_app.make_response((render_template(
        "api/tokens.html", tokens=queries.tokens_of(current_user.id), create_form=create_form,
        revoke_form=revoke_form, new_secret=new_secret, max_tokens=operations.MAX_LIVE_TOKENS,
    ), status))
    response.headers["Cache-Control"] = "no-store"
    return response
