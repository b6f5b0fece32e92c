"""Routes of the audit capability: the admins' one filterable log of every
create, update and delete (each object's own page shows its history)."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from sqlalchemy import select
from wtforms import Form
from wtforms.validators import Optional

from ..auth.access import admin_required
from ..auth.queries import users_in_log
from ..core.forms import FilterSelect, FriendlyDateField, SearchText, options
from ..core.pagination import paginate
from ..extensions import db
from ..vocab import AUDIT_ACTIONS
from .labels import describe, record_name
from .queries import LogFilters, log_query, object_types

bp = Blueprint("audit", __name__)

# Where an object of each type is shown: (endpoint, name of the id argument).
OBJECT_PAGES = {
    "Recommendation": ("outcomes.recommendation", "recommendation_id"),
    "Track1Body": ("outcomes.track1_body", "body_id"),
    "Workshop": ("programme.workshop", "workshop_id"),
    "Series": ("programme.series", "series_id"),
    "Network": ("programme.network", "network_id"),
    "Person": ("people.person", "person_id"),
}
ACTION_LABELS = {"create": "Created", "update": "Changed", "delete": "Deleted", "export": "Exported"}


@bp.app_template_global("audit_changes")
def audit_changes(entries) -> dict:
    """For the change histories on each object's page (audit/_history.html):
    the entries' changes in the log's words, one query for all of them."""
    return describe(entries)


@bp.app_template_global("audit_action")
def audit_action(action: str) -> str:
    return ACTION_LABELS.get(action, action)


class LogFilterForm(Form):
    object_type = FilterSelect("Kind of record")
    user = FilterSelect("Who")
    action = FilterSelect("What", choices=options({"": "Any change", **ACTION_LABELS}))
    date_from = FriendlyDateField("From (UTC date)", validators=[Optional()])
    date_to = FriendlyDateField("To (UTC date)", validators=[Optional()])
    q = SearchText("Words in the record's name")


def _links(entries) -> dict[int, str]:
    """A link to each entry's object while it still exists (no query per row)."""
    from ..outcomes.models import UptakeEvent

    event_ids = {e.object_id for e in entries if e.object_type == "UptakeEvent" and e.object_id}
    event_recs = dict(db.session.execute(
        select(UptakeEvent.id, UptakeEvent.recommendation_id).where(UptakeEvent.id.in_(event_ids))
    ).all()) if event_ids else {}
    links = {}
    for e in entries:
        if e.action == "delete" or e.object_id is None:
            continue
        href = None
        if e.object_type == "UptakeEvent" and e.object_id in event_recs:
            href = url_for("outcomes.recommendation", recommendation_id=event_recs[e.object_id]) + "#timeline"
        elif e.object_type in OBJECT_PAGES:
            endpoint, arg = OBJECT_PAGES[e.object_type]
            href = url_for(endpoint, **{arg: e.object_id})
        if href:
            links[e.id] = href
    return links


@bp.route("/audit")
@admin_required
def log():
    form = LogFilterForm(request.args)
    kinds = sorted(((t, record_name(t)) for t in object_types()), key=lambda kind: kind[1])
    form.object_type.choices = options([("", "Any kind"), *kinds])
    form.user.choices = options([("", "Anyone"), ("system", "The system (demo data, imports)"),
                                 *[(str(i), name) for i, name in users_in_log()]])
    form.validate()
    user = form.user.data or ""
    date_from = form.date_from.data if not form.date_from.errors else None
    date_to = form.date_to.data if not form.date_to.errors else None
    if date_from and date_to and date_to < date_from:
        form.date_to.errors = [*form.date_to.errors, "This is before the “From” date; it was ignored."]
        date_to = None
    filters = LogFilters(
        object_type=form.object_type.data or None,
        user_id=int(user) if user.isdecimal() and len(user) < 10 else None,
        system_only=user == "system",
        action=form.action.data if form.action.data in AUDIT_ACTIONS else None,
        date_from=date_from,
        date_to=date_to,
        words=(form.q.data or "").split()[:12],
    )
    page = paginate(log_query(filters))
    filtered = any(request.args.get(k) for k in ("object_type", "user", "action", "date_from", "date_to", "q"))
    return render_template("audit/log.html", form=form, page=page, links=_links(page.items),
                           changes=describe(page.items), record_name=record_name, action_labels=ACTION_LABELS,
                           filtered=filtered)
