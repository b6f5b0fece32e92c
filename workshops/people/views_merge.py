"""Merging two records of one person (routes of the people blueprint):
find the other record, then a side-by-side form choosing per field what to
keep (the rules: operations_merge.py). Only people editors, and only for
two people the user may read (people/access.py)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from ..auth.access import participants_seen_in
from ..core.pages import edit_round, guarded
from ..extensions import db
from . import operations_merge as merging
from . import queries
from .access import may_see_person
from .forms import FindPersonForm, MergeForm
from .models import Person
from .views import _arg_int, _get, _readable, bp, sees_contacts
from .views_participants import _find_people


def _may_merge(person: Person) -> bool:
    """People editors (admins, organisers) who may read this person."""
    return sees_contacts() and may_see_person(person)


def _other(person: Person, form: MergeForm) -> Person | None:
    """The other record: from the form on a POST, from ?other= on a GET;
    None when missing or not one the user may read."""
    other_id = form.other_id.data if request.method == "POST" else _arg_int("other")
    if not other_id or not 0 < other_id <= queries.MAX_ID:
        return None
    other = db.session.get(Person, other_id)
    return other if other is not None and may_see_person(other) else None


@bp.route("/people/<int:person_id>/merge", methods=["GET", "POST"])
@guarded(lambda person_id: _get(Person, person_id), may=_may_merge)
def person_merge(person: Person):
    form = MergeForm(data={"version": person.version})
    other = _other(person, form)
    if request.method == "GET" and other is not None:
        form.other_id.data, form.other_version.data = other.id, other.version
    find = FindPersonForm(request.args, meta={"csrf": False})
    find.validate()
    query = find.q.data or ""
    results = []
    if other is None and query and not find.errors:
        results = [p for p in _find_people(query) if p.id != person.id]
        readable = _readable(results)
        results = [p for p in results if p.id in readable]
    missing = request.method == "GET" and _arg_int("other") is not None and other is None

    def page(**context):
        if context.get("conflict") is not None and other is not None:
            db.session.refresh(other)
            form.other_version.data = other.version  # saving again after reading what changed goes through
        problems = merging.merge_problems(person, other) if other is not None else {}
        return render_template(
            "people/person_merge.html", person=person, other=other, form=form, find=find, query=query,
            results=results, fields=merging.MERGE_FIELDS, labels=merging.MERGE_FIELD_LABELS,
            problems=problems, missing=missing,
            participations={p.id: queries.participations_of(p, seen_in=participants_seen_in)
                            for p in (person, other) if p is not None},
            **{"conflict": None, **context})

    return edit_round(
        form,
        lambda: merging.merge_people(current_user, person, other, form.keep(merging.MERGE_FIELDS),
                                     (form.version.data, form.other_version.data)),
        record=person, render=page,
        saved=lambda survivor: f"The two records were merged into {survivor.full_name}.",
        then=lambda survivor: url_for("people.person", person_id=survivor.id))
