"""A network's public outcomes page and its Atom feed, open to anyone, and
the organisers' button that shows a recommendation there.

    /outcomes/<network>                  the page (<network>: acronym in any case, or slug)
    /outcomes/<network>/feed.atom        new uptake events on its public recommendations
    /recommendations/<id>/public  POST   show it on the page, or take it off (organisers)

What appears is queries.shown_publicly's alone. The pages carry the app's
headers (core/security.py: CSP, no-store for a logged-in browser); for
everyone else they are "public, no-cache" with an ETag of the body, as the
public agendas are (agenda_views/caching.py), so a recommendation taken off
the page is gone at the next request, and a reader who has it gets a 304.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..audit.operations import Conflict, Invalid
from ..auth.access import can_edit
from ..core.pages import guarded
from ..extensions import db
from ..outcomes.models import Recommendation
from . import operations, queries
from .exporters import MIMETYPE, FeedSource, atom_feed
from .forms import PublicFlagForm

bp = Blueprint("public_outcomes", __name__)

NOT_FOUND = ("There is no network of that name. A network's public outcomes are at /outcomes/ "
             "followed by its acronym.")


def _network(network: str):
    found = queries.network_named(network)
    if found is None:
        abort(404, NOT_FOUND)
    return found


def _conditional(body: bytes | str, mimetype: str) -> Response:
    """The body with an ETag of itself; 304 when the reader has it."""
    response = Response(body, mimetype=mimetype)
    response.charset = "utf-8"
    response.add_etag()
    response.headers["Cache-Control"] = "private, no-cache" if current_user.is_authenticated \
        else "public, no-cache"
    response.vary.add("Cookie")
    return response.make_conditional(request)


def _page_url(network) -> str:
    return url_for(".page", network=network.acronym.lower(), _external=True)


@bp.route("/outcomes/<network>")
def page(network: str):
    net = _network(network)
    items = queries.outcomes(net)
    html = render_template(
        "public_outcomes/page.html", network=net, items=items, counts=queries.stage_counts(items),
        feed_url=url_for(".feed", network=net.acronym.lower()), limit=queries.PAGE_LIMIT)
    return _conditional(html, "text/html")


@bp.route("/outcomes/<network>/feed.atom")
def feed(network: str):
    net = _network(network)
    events = queries.feed_events(net)
    source = FeedSource(network=net, events=events, updated=queries.feed_updated(events),
                        page_url=_page_url(net), feed_url=url_for(".feed", network=net.acronym.lower(),
                                                                  _external=True),
                        site_url=url_for("home.home", _external=True))
    return _conditional(atom_feed(source), MIMETYPE)


def _load_recommendation(recommendation_id: int) -> Recommendation:
    return db.get_or_404(Recommendation, recommendation_id)


@bp.route("/recommendations/<int:recommendation_id>/public", methods=["POST"])
@guarded(_load_recommendation, may=can_edit)
def mark(rec: Recommendation):
    back = url_for("outcomes.recommendation", recommendation_id=rec.id) + "#public-outcome"
    form = PublicFlagForm()
    if not form.validate_on_submit():
        flash("The choice could not be read; nothing changed. Use the button on this page.", "error")
        return redirect(back)
    try:
        operations.set_public(current_user._get_current_object(), rec, form.wanted(), form.version.data)
    except Invalid as exc:
        flash(" ".join(exc.errors.values()), "error")
    except Conflict:
        flash("Someone else changed this recommendation meanwhile; nothing was changed. "
              "Check its history below and try again.", "error")
    else:
        if not rec.is_public:
            flash("Taken off the public outcomes page.", "success")
        elif queries.why_not_shown(rec):
            flash(f"Marked public, but it does not appear on the public page: {queries.why_not_shown(rec)}.",
                  "warning")
        else:
            flash("Shown on the public outcomes page.", "success")
    return redirect(back)


def init_app(app) -> None:
    # The recommendation page's panel (templates/public_outcomes/_mark.html) asks these.
    app.jinja_env.tests["shown_publicly"] = queries.is_shown_publicly
    app.jinja_env.globals["why_not_shown_publicly"] = queries.why_not_shown
