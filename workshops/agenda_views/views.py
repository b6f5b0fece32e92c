"""The participants' agenda: public, secret-link and personal-link views of a
workshop's agenda, in the viewer's time zone, as a page, a print/PDF agenda,
an iCalendar feed and frab schedules; and the organisers' share page.

    /agenda/                          public agendas
    /agenda/<slug>                    an agenda (public, or for logged-in users)
    /agenda/<slug>/s/<token>          the participants' secret link
    /agenda/<slug>/p/<token>          a participant's personal link
    …/agenda.ics  …/agenda.pdf  …/schedule.xml  …/schedule.json  …/items/<uid>.ics
    /agenda/<slug>/p/<token>/my-sessions.ics   a participant's own sessions (queries.my_sessions)
    /agenda/<slug>/links              share page (organisers)

Who may see which agenda is access.py's, the ETag/304 and the render cache
caching.py's, the viewer's zone (?tz= and its cookie) viewer_zone.py's; this
module holds the routes and what their templates and exporters read.
"""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user, login_required

from ..audit.operations import Invalid
from ..auth.access import require_edit
from ..core import zones
from ..core.pagination import paginate
from ..people.models import Participation
from ..programme.models import Workshop
from . import operations, queries
from .access import Access, open_agenda
from .caching import CACHE_KEY as CACHE_KEY  # the app's render cache (tests read it here)
from .caching import conditional, validator
from .caching import init_app as init_app  # workshops/__init__.py calls each blueprint module's init_app
from .exporters import (
    AgendaSource,
    FrabJsonExporter,
    FrabXmlExporter,
    ICalendarExporter,
    PdfExporter,
    workshop_notes,
)
from .viewer_zone import ZoneChoice, apply_zone_cookie, viewer_zone, zone_options

bp = Blueprint("agenda_views", __name__, url_prefix="/agenda")


# --- Building what the templates and exporters read ---------------------------------


def _agenda(access: Access) -> queries.Agenda:
    return queries.agenda(access.header.workshop_id, names_everyone=access.names_everyone)


def _source(access: Access, agenda: queries.Agenda, mine: bool = False) -> AgendaSource:
    return AgendaSource(
        workshop=access.workshop, agenda=agenda, agenda_url=access.url("agenda", external=True),
        site_url=url_for("home.home", _external=True), last_updated=access.header.last_updated,
        me_id=access.header.me_id if access.kind == "p" else None, mine=mine,
    )


def _my_sessions_url(access: Access) -> str:
    return url_for("agenda_views.my_sessions_ics", slug=access.slug, token=access.token, _external=True)


def _webcal(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1]


def _page_context(access: Access, choice: ZoneChoice) -> dict:
    workshop = access.workshop
    home = workshop.zone
    agenda = queries.agenda(workshop.id, names_everyone=access.names_everyone)
    days = queries.agenda_days(agenda, choice.zone, home, access.me.id if access.me else None)
    offsets = queries.zone_offsets(days, choice.zone, workshop.start_date)
    participants = queries.listed_participants(workshop.id) if access.shows_participants else None
    feed_url = access.url("agenda_ics", external=True)
    mine_url = _my_sessions_url(access) if access.kind == "p" else ""
    return {
        "workshop": workshop,
        "notes": workshop_notes(workshop),
        "access": access,
        "me": access.me,
        "days": days,
        "item_count": len(agenda.items),
        "zone": choice,
        "offsets": offsets,
        "per_day_offsets": len(offsets) > 1,
        "home_differs": choice.name != workshop.timezone,
        "zone_options": zone_options(choice.chosen),
        "participants": participants,
        "last_updated": zones.to_local(access.header.last_updated, choice.zone),
        "last_updated_offset": zones.offset_label(zones.to_local(access.header.last_updated, choice.zone)),
        "urls": {
            "agenda": access.url("agenda"),
            "ics": feed_url,
            "webcal": _webcal(feed_url),
            "mine_ics": mine_url,
            "mine_webcal": _webcal(mine_url) if mine_url else "",
            "pdf": access.url("agenda_pdf"),
            "xml": access.url("schedule_xml"),
            "json": access.url("schedule_json"),
        },
        "item_ics": lambda uid: access.url("item_ics", uid=uid),
    }


# --- Routes ---------------------------------------------------------------------------


def _agenda_route(suffix: str, endpoint: str):
    """The same view under the plain, secret-link and personal-link addresses."""

    def register(view):
        # The link rule first: url_for picks it when a token is given. The
        # plain rule has no token argument at all, so a public agenda is not
        # taken for a page reached through a secret link (core.security).
        bp.add_url_rule(f"/<slug>/<any(s, p):kind>/<token>{suffix}", endpoint, view)
        bp.add_url_rule(f"/<slug>{suffix}", endpoint, view)
        return view

    return register


@bp.route("/")
def index():
    upcoming, past_query = queries.public_workshops(dt.date.today())
    past = paginate(past_query)
    return render_template("agenda_views/index.html", upcoming=upcoming, past=past)


@_agenda_route("", "agenda")
def agenda(slug: str, kind: str | None = None, token: str | None = None):
    access = open_agenda(slug, kind, token)
    choice = viewer_zone(access.header.timezone)
    etag = validator(access, choice.name, choice.problem)

    def render() -> str:
        return render_template("agenda_views/agenda.html", **_page_context(access, choice))

    # Logged-in pages carry the session's CSRF token: rendered afresh each time.
    response = conditional(access, etag, render, "text/html", cacheable=not current_user.is_authenticated)
    apply_zone_cookie(response, choice)
    return response


@_agenda_route("/agenda.pdf", "agenda_pdf")
def agenda_pdf(slug: str, kind: str | None = None, token: str | None = None):
    access = open_agenda(slug, kind, token)
    choice = viewer_zone(access.header.timezone)
    etag = validator(access, choice.name, choice.problem)

    def render() -> bytes:
        html = render_template("agenda_views/agenda_pdf.html", **_page_context(access, choice))
        static = current_app.static_folder
        css = [open(f"{static}/{name}", encoding="utf-8").read() for name in ("print.css", "agenda.css")]
        return PdfExporter(html, css).render()

    response = conditional(access, etag, render, "application/pdf", cacheable=True,
                            filename=f"{access.slug}-agenda.pdf")
    apply_zone_cookie(response, choice)
    return response


@_agenda_route("/agenda.ics", "agenda_ics")
def agenda_ics(slug: str, kind: str | None = None, token: str | None = None):
    """The calendar feed: made on each request from the current agenda, so
    a subscription follows every change."""
    access = open_agenda(slug, kind, token)
    etag = validator(access)

    def render() -> bytes:
        return ICalendarExporter(_source(access, _agenda(access))).render()

    return conditional(access, etag, render, "text/calendar", cacheable=True,
                        filename=f"{access.slug}.ics")


@bp.route("/<slug>/p/<token>/my-sessions.ics")
def my_sessions_ics(slug: str, token: str):
    """The personal link's second feed: only the participant's own sessions,
    "You speak" or "You chair" in their titles; the full feed stays."""
    access = open_agenda(slug, "p", token)
    etag = validator(access)

    def render() -> bytes:
        agenda = queries.my_sessions(_agenda(access), access.header.me_id)
        return ICalendarExporter(_source(access, agenda, mine=True)).render()

    return conditional(access, etag, render, "text/calendar", cacheable=True,
                        filename=f"{access.slug}-my-sessions.ics")


@_agenda_route("/items/<uid>.ics", "item_ics")
def item_ics(slug: str, kind: str | None = None, token: str | None = None, uid: str = ""):
    access = open_agenda(slug, kind, token)
    if not queries.has_agenda_item(access.header.workshop_id, uid):
        abort(404, "This agenda has no such session; it may have been removed.")
    etag = validator(access, uid)

    def render() -> bytes:
        agenda = queries.agenda_of_item(access.header.workshop_id, uid, names_everyone=access.names_everyone)
        return ICalendarExporter(_source(access, agenda)).render(only=agenda.items[0])

    return conditional(access, etag, render, "text/calendar", cacheable=True,
                        filename=f"{access.slug}-{uid}.ics", attachment=True)


@_agenda_route("/schedule.xml", "schedule_xml")
def schedule_xml(slug: str, kind: str | None = None, token: str | None = None):
    access = open_agenda(slug, kind, token)
    etag = validator(access)

    def render() -> bytes:
        return FrabXmlExporter(_source(access, _agenda(access))).render()

    return conditional(access, etag, render, "application/xml", cacheable=True)


@_agenda_route("/schedule.json", "schedule_json")
def schedule_json(slug: str, kind: str | None = None, token: str | None = None):
    access = open_agenda(slug, kind, token)
    etag = validator(access)

    def render() -> bytes:
        return FrabJsonExporter(_source(access, _agenda(access))).render()

    return conditional(access, etag, render, "application/json", cacheable=True)


# --- The share page: organisers manage the links ---------------------------------------


def _editable_workshop(slug: str) -> Workshop:
    workshop = queries.find_workshop(slug)
    if workshop is None:
        abort(404)
    require_edit(workshop)
    return workshop


@bp.route("/<slug>/links")
@login_required
def links(slug: str):
    workshop = _editable_workshop(slug)
    people = queries.participations_for_links(workshop.id)
    secret_url = (url_for("agenda_views.agenda", slug=workshop.slug, kind="s", token=workshop.secret_token,
                          _external=True) if workshop.secret_token else None)
    tokens = {p.id: p.personal_token for p in people}  # decrypted once each (people/models.py)
    personal = {
        pid: url_for("agenda_views.agenda", slug=workshop.slug, kind="p", token=token, _external=True)
        for pid, token in tokens.items() if token
    }
    response = Response(render_template(
        "agenda_views/links.html", workshop=workshop, people=people, secret_url=secret_url, personal=personal,
        public_url=url_for("agenda_views.agenda", slug=workshop.slug, _external=True),
        missing=sum(1 for token in tokens.values() if not token),
    ))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _back(workshop: Workshop, anchor: str = ""):
    return redirect(url_for("agenda_views.links", slug=workshop.slug) + anchor, code=303)


def _refused(exc: Invalid) -> None:
    for message in exc.errors.values():
        flash(message, "error")


@bp.route("/<slug>/links/secret/revoke", methods=["POST"])
@login_required
def revoke_secret(slug: str):
    workshop = _editable_workshop(slug)
    try:
        operations.revoke_secret_link(current_user, workshop)
        flash("The participants' link is revoked: it no longer opens the agenda.", "success")
    except Invalid as exc:
        _refused(exc)
    return _back(workshop, "#secret-link")


@bp.route("/<slug>/links/secret/regenerate", methods=["POST"])
@login_required
def regenerate_secret(slug: str):
    workshop = _editable_workshop(slug)
    operations.regenerate_secret_link(current_user, workshop)
    flash("A new participants' link is ready; the old one no longer works.", "success")
    return _back(workshop, "#secret-link")


def _participation(workshop: Workshop, participation_id: int) -> Participation:
    participation = queries.participation_of_workshop(workshop.id, participation_id)
    if participation is None:
        abort(404)
    return participation


@bp.route("/<slug>/links/people/<int:participation_id>/revoke", methods=["POST"])
@login_required
def revoke_personal(slug: str, participation_id: int):
    workshop = _editable_workshop(slug)
    participation = _participation(workshop, participation_id)
    try:
        operations.revoke_personal_link(current_user, workshop, participation)
        flash(f"The personal link of {participation.person.full_name} is revoked.", "success")
    except Invalid as exc:
        _refused(exc)
    return _back(workshop, f"#person-{participation.id}")


@bp.route("/<slug>/links/people/<int:participation_id>/regenerate", methods=["POST"])
@login_required
def regenerate_personal(slug: str, participation_id: int):
    workshop = _editable_workshop(slug)
    participation = _participation(workshop, participation_id)
    operations.regenerate_personal_link(current_user, workshop, participation)
    flash(f"A new personal link for {participation.person.full_name} is ready.", "success")
    return _back(workshop, f"#person-{participation.id}")


@bp.route("/<slug>/links/people/create-missing", methods=["POST"])
@login_required
def create_missing_personal(slug: str):
    workshop = _editable_workshop(slug)
    people = queries.participations_for_links(workshop.id)
    created = operations.create_missing_personal_links(current_user, workshop, people)
    flash(f"{created} personal link{'s' if created != 1 else ''} created.", "success")
    return _back(workshop)


# On this blueprint: inviting participants by mail and the personal links CSV; the
# participant's reply and unsubscribe pages behind the personal link.
from . import views_invitations, views_reply  # noqa: E402,F401
