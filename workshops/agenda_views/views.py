"""The participants' agenda: public, secret-link and personal-link views of a
workshop's agenda, in the viewer's time zone, as a page, a print/PDF agenda,
an iCalendar feed and frab schedules; and the organisers' share page.

    /agenda/                          public agendas
    /agenda/<slug>                    an agenda (public, or for logged-in users)
    /agenda/<slug>/s/<token>          the participants' secret link
    /agenda/<slug>/p/<token>          a participant's personal link
    …/agenda.ics  …/agenda.pdf  …/schedule.xml  …/schedule.json  …/items/<uid>.ics
    /agenda/<slug>/links              share page (organisers)

Every variant answers with an ETag computed by one small query before
anything is rendered; a matching If-None-Match gets 304, and rendered bodies
are kept in a small in-process cache under that same validator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from ..audit.operations import Invalid
from ..auth.access import require_edit
from ..core.pagination import paginate
from ..people.models import Participation
from ..programme.models import Workshop
from . import operations, queries
from .exporters import (
    AgendaSource,
    FrabJsonExporter,
    FrabXmlExporter,
    ICalendarExporter,
    PdfExporter,
    workshop_notes,
)

bp = Blueprint("agenda_views", __name__, url_prefix="/agenda")

ZONE_COOKIE = "agenda_tz"
ZONE_COOKIE_DAYS = 365
# Part of every validator: bump when a template or exporter changes what it
# emits for the same data, so no cache keeps the old rendering.
RENDER_REVISION = "agenda-2"
NOT_FOUND = (
    "There is no agenda at this address. If you were sent a link, check that it is complete; "
    "staff can log in to see every workshop."
)
CACHE_KEY = "agenda_views.render_cache"


class RenderCache:
    """A small thread-safe LRU of rendered bodies, keyed by their ETag (which
    changes whenever the data, the link or the viewer's zone does)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def init_app(app) -> None:
    app.extensions[CACHE_KEY] = RenderCache(int(app.config.get("AGENDA_CACHE_SIZE", 256)))


def _cache() -> RenderCache:
    return current_app.extensions[CACHE_KEY]


# --- Who sees what ----------------------------------------------------------------


class Access:
    """A visitor allowed to see an agenda, through which link. The workshop
    and the visitor's participation are loaded only when something is
    rendered: a repeat visit needs the header alone."""

    def __init__(self, header: queries.Header, slug: str, kind: str | None, token: str | None, editor: bool):
        self.header = header
        self.slug = slug
        self.kind = kind  # None, "s" (secret link) or "p" (personal link)
        self.token = token
        self.editor = editor

    @cached_property
    def workshop(self) -> Workshop:
        return queries.workshop_by_id(self.header.workshop_id)

    @cached_property
    def me(self) -> Participation | None:
        if self.header.me_id is None or self.kind != "p":
            return None
        return queries.participation_with_person(self.header.me_id)

    @property
    def shows_participants(self) -> bool:
        return self.kind is not None or self.editor

    @property
    def names_everyone(self) -> bool:
        """The participants' links name every chair and speaker, and so does
        the plain address for the workshop's organisers; anyone else reads
        it as the public does (queries.as_shown)."""
        return self.kind is not None or self.editor

    @property
    def is_public_copy(self) -> bool:
        """Shared caches may keep it: the same for everyone."""
        return self.kind is None and not current_user.is_authenticated

    def url(self, endpoint: str, external: bool = False, **values) -> str:
        return url_for(f"agenda_views.{endpoint}", slug=self.slug, kind=self.kind, token=self.token,
                       _external=external, **values)


def _not_found():
    abort(404, NOT_FOUND)


def open_agenda(slug: str, kind: str | None, token: str | None) -> Access:
    """404 (revealing nothing) unless this viewer may see this agenda.
    Public: anyone. Participants: a secret or personal link, or a login.
    Private: a login. Drafts: a login. A link must be right and not revoked,
    whatever the visibility. One statement decides."""
    if kind is not None and not queries.well_formed_token(token):
        _not_found()
    header = queries.agenda_header(slug, token if kind == "p" else None)
    if header is None:
        _not_found()
    logged_in = current_user.is_authenticated
    if kind == "s" and (header.secret_token is None or not hmac.compare_digest(header.secret_token, token)):
        _not_found()
    if kind == "p" and header.me_id is None:
        _not_found()
    if kind is not None and header.visibility == "private" and not logged_in:
        _not_found()
    if kind is None and header.visibility != "public" and not logged_in:
        _not_found()
    if header.status == "draft" and not logged_in:
        _not_found()
    editor = logged_in and current_user.can_edit_network(header.network_id)
    return Access(header, slug, kind, token, editor)


# --- The viewer's zone --------------------------------------------------------------


@dataclass
class ZoneChoice:
    zone: ZoneInfo
    name: str
    chosen: str  # what the chooser shows selected ("" = the workshop's zone)
    problem: str | None = None
    cookie: str | None = None  # set the cookie to this zone
    forget: bool = False  # delete the cookie


def viewer_zone(home_zone: str) -> ZoneChoice:
    """The zone asked for in ?tz= (then remembered in a cookie), else the
    remembered one, else the workshop's. An unknown name gets a message and
    the workshop's zone; nothing is remembered."""
    home = ZoneChoice(zone=ZoneInfo(home_zone), name=home_zone, chosen="")
    if "tz" in request.args:
        asked = request.args.get("tz", "").strip()
        if asked == "":
            home.forget = True
            return home
        zone = queries.zone_or_none(asked)
        if zone is None:
            home.problem = (
                f"“{asked[:64]}” is not a time zone we know. Times are shown in the workshop's own zone, "
                f"{home_zone}; choose a zone from the list."
            )
            return home
        return ZoneChoice(zone=zone, name=asked, chosen=asked, cookie=asked)
    remembered = request.cookies.get(ZONE_COOKIE, "")
    zone = queries.zone_or_none(remembered)
    if zone is None:
        home.forget = bool(remembered)
        return home
    return ZoneChoice(zone=zone, name=remembered, chosen=remembered)


@lru_cache(maxsize=128)
def zone_options(chosen: str) -> Markup:
    """The zone chooser's groups of options (some 430), made once per
    selected zone: building them in the template took longer than the
    rest of the agenda."""
    parts = []
    for area, names in queries.zone_choices():
        options = "".join(
            f"<option selected>{escape(n)}</option>" if n == chosen else f"<option>{escape(n)}</option>"
            for n in names
        )
        parts.append(f'<optgroup label="{escape(area)}">{options}</optgroup>')
    return Markup("".join(parts))  # noqa: S704  (every name above is escaped)


def _apply_zone_cookie(response: Response, choice: ZoneChoice) -> None:
    if choice.cookie:
        response.set_cookie(ZONE_COOKIE, choice.cookie, max_age=ZONE_COOKIE_DAYS * 86400, path="/agenda",
                            samesite="Lax", httponly=True, secure=current_app.config.get("HTTPS", False))
    elif choice.forget:
        response.delete_cookie(ZONE_COOKIE, path="/agenda")


# --- Validators, 304 and the render cache -------------------------------------------


def _validator(access: Access, *variant) -> str:
    user = ()
    if current_user.is_authenticated:
        key = hashlib.sha256(str(getattr(current_user, "login_key", "")).encode()).hexdigest()[:16]
        user = (current_user.id, current_user.role, key, access.editor)
    raw = repr((
        RENDER_REVISION, request.endpoint, request.host_url, request.path, access.header.workshop_id,
        access.kind, access.token, access.header.me_id, user, access.header.fingerprint, variant,
    ))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]


def _pending_flashes() -> bool:
    return bool(session.get("_flashes"))


def _headers(response: Response, access: Access, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, no-cache" if access.is_public_copy else "private, no-cache"
    response.vary.add("Cookie")
    if access.kind is not None:
        # The token is in the address: keep it out of Referer headers and search engines.
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def _conditional(access: Access, etag: str, render, mimetype: str, *, cacheable: bool,
                 filename: str | None = None, attachment: bool = False) -> Response:
    """304 when the client has this version; else the body from the cache
    or freshly rendered."""
    if not _pending_flashes() and request.if_none_match.contains_weak(etag):
        return _headers(Response(status=304), access, etag)
    cache = _cache()
    body = cache.get(etag) if cacheable else None
    if body is None:
        body = render()
        if isinstance(body, str):
            body = body.encode("utf-8")
        if cacheable and not _pending_flashes():
            cache.put(etag, body)
    response = Response(body, mimetype=mimetype)
    if mimetype.startswith("text/"):
        response.charset = "utf-8"
    if filename:
        disposition = "attachment" if attachment else "inline"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return _headers(response, access, etag)


# --- Building what the templates and exporters read ---------------------------------


def _agenda(access: Access) -> queries.Agenda:
    return queries.agenda(access.header.workshop_id, names_everyone=access.names_everyone)


def _source(access: Access, agenda: queries.Agenda) -> AgendaSource:
    return AgendaSource(
        workshop=access.workshop, agenda=agenda, agenda_url=access.url("agenda", external=True),
        site_url=url_for("core.home", _external=True), last_updated=access.header.last_updated,
        me_id=access.header.me_id if access.kind == "p" else None,
    )


def _webcal(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1]


def _page_context(access: Access, choice: ZoneChoice) -> dict:
    workshop = access.workshop
    home = ZoneInfo(workshop.timezone)
    agenda = queries.agenda(workshop.id, names_everyone=access.names_everyone)
    days = queries.agenda_days(agenda, choice.zone, home, access.me.id if access.me else None)
    offsets = queries.zone_offsets(days, choice.zone, workshop.start_date)
    participants = queries.listed_participants(workshop.id) if access.shows_participants else None
    feed_url = access.url("agenda_ics", external=True)
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
        "last_updated": access.header.last_updated.astimezone(choice.zone),
        "last_updated_offset": queries.utc_offset(access.header.last_updated.astimezone(choice.zone)),
        "urls": {
            "agenda": access.url("agenda"),
            "ics": feed_url,
            "webcal": _webcal(feed_url),
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
    etag = _validator(access, choice.name, choice.problem)

    def render() -> str:
        return render_template("agenda_views/agenda.html", **_page_context(access, choice))

    # Logged-in pages carry the session's CSRF token: rendered afresh each time.
    response = _conditional(access, etag, render, "text/html", cacheable=not current_user.is_authenticated)
    _apply_zone_cookie(response, choice)
    return response


@_agenda_route("/agenda.pdf", "agenda_pdf")
def agenda_pdf(slug: str, kind: str | None = None, token: str | None = None):
    access = open_agenda(slug, kind, token)
    choice = viewer_zone(access.header.timezone)
    etag = _validator(access, choice.name, choice.problem)

    def render() -> bytes:
        html = render_template("agenda_views/agenda_pdf.html", **_page_context(access, choice))
        static = current_app.static_folder
        css = [open(f"{static}/{name}", encoding="utf-8").read() for name in ("print.css", "agenda.css")]
        return PdfExporter(html, css).render()

    response = _conditional(access, etag, render, "application/pdf", cacheable=True,
                            filename=f"{access.slug}-agenda.pdf")
    _apply_zone_cookie(response, choice)
    return response


@_agenda_route("/agenda.ics", "agenda_ics")
def agenda_ics(slug: str, kind: str | None = None, token: str | None = None):
    """The calendar feed: made on each request from the current agenda, so
    a subscription follows every change."""
    access = open_agenda(slug, kind, token)
    etag = _validator(access)

    def render() -> bytes:
        return ICalendarExporter(_source(access, _agenda(access))).render()

    return _conditional(access, etag, render, "text/calendar", cacheable=True,
                        filename=f"{access.slug}.ics")


@_agenda_route("/items/<uid>.ics", "item_ics")
def item_ics(slug: str, kind: str | None = None, token: str | None = None, uid: str = ""):
    access = open_agenda(slug, kind, token)
    if not queries.has_agenda_item(access.header.workshop_id, uid):
        abort(404, "This agenda has no such session; it may have been removed.")
    etag = _validator(access, uid)

    def render() -> bytes:
        agenda = queries.agenda_of_item(access.header.workshop_id, uid, names_everyone=access.names_everyone)
        return ICalendarExporter(_source(access, agenda)).render(only=agenda.items[0])

    return _conditional(access, etag, render, "text/calendar", cacheable=True,
                        filename=f"{access.slug}-{uid}.ics", attachment=True)


@_agenda_route("/schedule.xml", "schedule_xml")
def schedule_xml(slug: str, kind: str | None = None, token: str | None = None):
    access = open_agenda(slug, kind, token)
    etag = _validator(access)

    def render() -> bytes:
        return FrabXmlExporter(_source(access, _agenda(access))).render()

    return _conditional(access, etag, render, "application/xml", cacheable=True)


@_agenda_route("/schedule.json", "schedule_json")
def schedule_json(slug: str, kind: str | None = None, token: str | None = None):
    access = open_agenda(slug, kind, token)
    etag = _validator(access)

    def render() -> bytes:
        return FrabJsonExporter(_source(access, _agenda(access))).render()

    return _conditional(access, etag, render, "application/json", cacheable=True)


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
