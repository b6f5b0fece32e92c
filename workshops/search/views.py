"""Routes of the search capability: one box for workshops, people,
recommendations and their uptake events."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from ..auth.access import sees_people
from ..outcomes.operations import clean_text, today
from ..outcomes.queries import is_stale
from ..people.access import people_seen
from . import queries

bp = Blueprint("search", __name__)

KIND_TITLES = {"workshops": "Workshops", "people": "People", "recommendations": "Recommendations",
               "events": "Uptake events"}


@bp.route("/search")
@login_required
def search():
    raw = request.args.get("q", "")
    shown = clean_text(raw)[: queries.MAX_QUERY]
    names = sees_people()
    words, groups = queries.search(raw, people=people_seen() if names else None)
    return render_template(
        "search/search.html", q=shown, words=words, groups=groups, kind_titles=KIND_TITLES,
        total=sum(g.total for g in groups), searched=bool(raw.strip()), as_of=today(), is_stale=is_stale,
        per_kind=queries.PER_KIND, sees_people=names,
    )
