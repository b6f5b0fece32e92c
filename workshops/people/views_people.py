"""The people directory, a person's page, and the person form (routes of
the people blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..audit.queries import history_of
from ..auth.access import participants_seen_in, sees_people
from ..core.countries import all_countries
from ..core.pages import edit_round
from ..core.pagination import paginate
from ..extensions import db
from ..programme.models import Network
from ..vocab import SECTORS
from . import operations, queries
from .access import people_seen, require_person
from .forms import PersonForm
from .models import Person
from .views import (
    PERSON_REFUSALS,
    _arg_choice,
    _arg_int,
    _get,
    _readable,
    _require_people_editor,
    bp,
    sees_contacts,
)

PEOPLE_SORT_LABELS = {"name": "Name (A–Z)", "-name": "Name (Z–A)", "country": "Country",
                      "-created": "Newest first"}


@bp.route("/people")
@login_required
def people():
    """The people directory. Admins and organisers read the people they may
    (people/access.py people_seen); viewers, who read no one's name, read the
    people the filters find as counts by sector and country, the way they
    read a workshop's participants: what a programme head asks of it is who
    takes part, not how to reach them (no search by name, which would tell
    whether someone is recorded)."""
    networks = db.session.scalars(select(Network).order_by(Network.acronym)).all()
    countries = dict(all_countries())
    names = sees_people()
    filters = {
        "q": operations.clean_line(request.args.get("q", ""))[:200] if names else "",
        "country": _arg_choice("country", countries),
        "sector": _arg_choice("sector", SECTORS),
        "network": _arg_int("network"),
        "sort": _arg_choice("sort", queries.PEOPLE_SORTS) or "name",
    }
    query = queries.people_query(
        words=queries.words_of(filters["q"]), country=filters["country"], sector=filters["sector"],
        network_id=filters["network"], sort=filters["sort"], search_email=sees_contacts(),
        seen=people_seen() if names else None,
    )
    common = {"filters": filters, "networks": networks, "countries": all_countries(), "sorts": PEOPLE_SORT_LABELS}
    if not names:
        return render_template("people/people.html", sees_names=False,
                               composition=queries.people_composition(query), **common)
    page = paginate(query)
    counts = queries.workshop_counts((p.id for p in page.items), seen_in=participants_seen_in)
    return render_template("people/people.html", sees_names=True, page=page, counts=counts, **common)


@bp.route("/people/<int:person_id>")
@login_required
def person(person_id: int):
    """A person, for those who may read them (403 otherwise), with the
    workshops and agenda roles whose participants the reader may see."""
    person = _get(Person, person_id)
    require_person(person)
    history = history_of(person)
    return render_template(
        "people/person.html", person=person,
        participations=queries.participations_of(person, seen_in=participants_seen_in),
        agenda_roles=queries.agenda_roles_of(person, seen_in=participants_seen_in),
        history=history if sees_contacts() else queries.redacted(history),
    )


def _person_page(form: PersonForm, person: Person | None, *, status: int = 200, similar=(), taken=None,
                 conflict=None):
    return render_template("people/person_form.html", form=form, person=person, similar=similar,
                           taken=taken, conflict=conflict, readable=_readable(list(similar), taken)), status


def _save_person(form: PersonForm, person: Person | None):
    def save() -> Person:
        if person is None:
            return operations.create_person(current_user, form.person_data(),
                                            different_person=form.different_person.data)
        return operations.update_person(current_user, person, form.person_data(), form.version.data)

    return edit_round(
        form, save, record=person, refusals=PERSON_REFUSALS,
        render=lambda **c: _person_page(form, person, **c)[0],
        saved=lambda saved: f"{saved.full_name} was {'added' if person is None else 'saved'}.",
        then=lambda saved: url_for("people.person", person_id=saved.id))


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def person_new():
    _require_people_editor()
    form = PersonForm()
    if request.method == "GET":
        form.sector.data = form.sector.data or "academia"
    return _save_person(form, None)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def person_edit(person_id: int):
    person = _get(Person, person_id)
    _require_people_editor()
    require_person(person)
    if person.erased_at is not None:
        flash(operations.ERASED_MESSAGE, "error")
        return redirect(url_for("people.person", person_id=person.id))
    form = PersonForm(obj=person)
    return _save_person(form, person)
