"""A workshop's participants: the list, adding someone (found or new),
editing and removing a participation (routes of the people blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..auth.access import can_edit, may_see_participants, require_edit
from ..core.pages import edit_round, guarded
from ..core.text import number, plural
from ..extensions import db
from ..programme.models import Workshop
from ..vocab import PARTICIPATION_STATUSES, ROLES
from . import operations, queries
from .forms import AddParticipantForm, FindPersonForm, ParticipationForm, RemoveParticipationForm
from .models import Participation, Person
from .views import (
    PERSON_REFUSALS,
    _arg_choice,
    _arg_int,
    _load_participation,
    _load_workshop,
    _readable,
    bp,
    sees_contacts,
)


@bp.route("/workshops/<int:workshop_id>/participants")
@login_required
def participants(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    if not may_see_participants(workshop):
        counts = queries.status_counts(workshop)
        return render_template("people/participants.html", workshop=workshop, sees_names=False,
                               counts=counts, total=sum(counts.values()),
                               composition=queries.composition(workshop))
    filters = {
        "role": _arg_choice("role", ROLES),
        "status": _arg_choice("status", PARTICIPATION_STATUSES),
        "sort": _arg_choice("sort", ("name", "role", "status", "country", "-added")) or "name",
    }
    listed = queries.participants_of(workshop, role=filters["role"], status=filters["status"],
                                     sort=filters["sort"])
    counts = queries.status_counts(workshop)
    replies, ended = queries.reply_counts(workshop), queries.has_ended(workshop)
    return render_template(
        "people/participants.html", workshop=workshop, participations=listed, filters=filters,
        counts=counts, total=sum(counts.values()), sees_names=True, replies=replies,
        reply_summary=reply_summary(replies, sum(counts.values()), ended=ended),
        invite_refusal=queries.invitation_problem(workshop),
        export_args={k: v for k, v in filters.items() if v and k != "sort"},
    )


def reply_summary(replies: dict[str, int], total: int, *, ended: bool) -> list[str]:
    """The answers from the personal pages as sentences a person would
    write: parts that count nobody are left out ("No one has been sent
    their link by mail yet." rather than "0 participants were…")."""
    if not total:
        return ["No participants yet, so no answers."]
    confirmed, declined, waiting = replies["confirmed"], replies["declined"], replies["no_answer"]
    mailed, dietary, access = replies["invited_by_mail"], replies["dietary"], replies["access"]
    if confirmed and declined:
        sentences = [f"{plural(confirmed, 'participant')} confirmed and {number(declined)} declined "
                     "on their personal page."]
    elif confirmed or declined:
        sentences = [f"{plural(confirmed or declined, 'participant')} {'confirmed' if confirmed else 'declined'} "
                     "on their personal page."]
    else:
        sentences = ["No one answered on their personal page." if ended
                     else "No one has answered on their personal page yet."]
    if waiting:
        sentences.append(f"{plural(waiting, 'invited participant')} "
                         + ("did not answer." if ended else f"{'has' if waiting == 1 else 'have'} not answered yet."))
    if mailed:
        sentences.append(f"{plural(mailed, 'participant')} {'was' if mailed == 1 else 'were'} sent their link by mail.")
    else:
        sentences.append("No one was sent their link by mail." if ended
                         else "No one has been sent their link by mail yet.")
    if dietary and access:
        sentences.append(f"{plural(dietary, 'participant')} gave dietary needs and {number(access)} "
                         "gave access needs.")
    elif dietary or access:
        sentences.append(f"{plural(dietary or access, 'participant')} gave "
                         f"{'dietary' if dietary else 'access'} needs.")
    return sentences


def _add_page(workshop: Workshop, form: AddParticipantForm, *, status: int = 200, chosen=None,
              similar=(), taken=None):
    find = FindPersonForm(request.args, meta={"csrf": False})
    find.validate()
    query = find.q.data or ""
    results = []
    if query and not find.errors:
        results = _find_people(query)
    return render_template(
        "people/participant_add.html", workshop=workshop, form=form, find=find, query=query,
        results=results, chosen=chosen, similar=similar, taken=taken,
        already=queries.participant_person_ids(workshop), readable=_readable(results, list(similar), taken, chosen),
    ), status


def _find_people(query: str) -> list[Person]:
    """The find box: the person with this email (any case), then similar
    names and names containing the words, at most 12."""
    found: list[Person] = []
    if "@" in query:
        match = queries.person_by_email(query)
        if match is not None:
            found.append(match)
        return found
    for p in queries.similar_people(query, limit=8):
        if p not in found:
            found.append(p)
    words = queries.words_of(query)
    if words:
        contains = db.session.scalars(
            queries.people_query(words=words, search_email=sees_contacts()).limit(12)
        ).all()
        found.extend(p for p in contains if p not in found)
    return [p for p in found if p.erased_at is None][:12]


@bp.route("/workshops/<int:workshop_id>/participants/add", methods=["GET", "POST"])
@login_required
def participant_add(workshop_id: int):
    workshop = _load_workshop(workshop_id)
    require_edit(workshop)
    form = AddParticipantForm()
    chosen = None
    chosen_id = form.person_id.data if request.method == "POST" else _arg_int("person_id")
    use_id = request.form.get("use_person", "") if request.method == "POST" else ""
    if use_id.isdecimal() and 0 < int(use_id) <= queries.MAX_ID:
        chosen_id = int(use_id)  # "use this person" from the suggestions: one click
    if chosen_id:
        chosen = db.session.get(Person, chosen_id) if 0 < chosen_id <= queries.MAX_ID else None
        if chosen is None:
            flash("That person no longer exists; find them again or add a new person.", "error")
            return redirect(url_for("people.participant_add", workshop_id=workshop.id))
        if request.method == "GET":
            form.person_id.data = chosen.id
            for key, value in operations.person_defaults(chosen).items():
                getattr(form, key).data = value or ""

    def save() -> Participation:
        data = form.participation_data()
        if use_id:
            # The suggestion's own sector, country and affiliation, not the ones typed for a new person.
            for key in ("sector", "country", "affiliation"):
                data.pop(key)
        if chosen is not None:
            return operations.add_participant(current_user, workshop, data, person=chosen)
        return operations.add_participant(current_user, workshop, data, new_person=form.new_person_data(),
                                          different_person=form.different_person.data)

    # A taken email or similar names: the page offers those people instead of the one chosen.
    refusals = {kind: (lambda exc, hook=hook: {**hook(exc), "chosen": None})
                for kind, hook in PERSON_REFUSALS.items()}
    def problems() -> dict[str, str]:
        if use_id:
            return {}
        if chosen is not None:
            return operations.participant_problems(form.participation_data(), person=chosen)
        return operations.participant_problems(form.participation_data(), new_person=form.new_person_data())

    return edit_round(
        form, save, refusals=refusals, problems=problems,
        submitted=lambda: request.method == "POST" and bool(use_id or form.validate_on_submit()),
        render=lambda conflict=None, **c: _add_page(workshop, form, **{"chosen": chosen, **c})[0],
        saved=lambda p: f"{p.person.full_name} was added as {p.role} ({p.status.replace('_', '-')}).",
        then=url_for("people.participants", workshop_id=workshop.id))


def _workshop_and_participation(workshop_id: int, participation_id: int) -> tuple[Workshop, Participation]:
    workshop = _load_workshop(workshop_id)
    return workshop, _load_participation(workshop, participation_id)


def _may_edit_participants(workshop: Workshop, *_) -> bool:
    return can_edit(workshop)


@bp.route("/workshops/<int:workshop_id>/participants/<int:participation_id>/edit", methods=["GET", "POST"])
@guarded(_workshop_and_participation, may=_may_edit_participants)
def participant_edit(workshop: Workshop, participation: Participation):
    form = ParticipationForm(obj=participation)
    name = participation.person.full_name

    def notes(_) -> list[tuple[str, str]]:
        roles = queries.agenda_roles_of_participation(participation)
        if participation.status in ("declined", "no_show") and roles:
            return [(f"Note: {name} is still on the agenda as {operations.describe_agenda_roles(roles)}.",
                     "warning")]
        return []

    return edit_round(
        form, lambda: operations.update_participation(current_user, participation, form.participation_data(),
                                                      form.version.data),
        record=participation,
        problems=lambda: operations.participant_problems(form.participation_data()),
        render=lambda **c: render_template("people/participant_form.html", workshop=workshop,
                                           participation=participation, form=form, **c),
        saved=f"{name}'s participation was saved.", notes=notes,
        then=url_for("people.participants", workshop_id=workshop.id))


@bp.route("/workshops/<int:workshop_id>/participants/<int:participation_id>/remove", methods=["GET", "POST"])
@guarded(_workshop_and_participation, may=_may_edit_participants)
def participant_remove(workshop: Workshop, participation: Participation):
    form = RemoveParticipationForm(data={"version": participation.version})
    name = participation.person.full_name
    roles = queries.agenda_roles_of_participation(participation)
    return edit_round(
        form, lambda: operations.remove_participation(current_user, participation, version=form.version.data,
                                                      drop_agenda_roles=form.drop_agenda_roles.data == "yes"),
        record=participation,
        render=lambda **c: render_template(
            "people/participant_remove.html", workshop=workshop, participation=participation, form=form,
            roles=queries.agenda_roles_of_participation(participation), **c),
        saved=f"{name} was removed from the participants"
              + (f" and from {len(roles)} agenda {'item' if len(roles) == 1 else 'items'}." if roles else "."),
        then=url_for("people.participants", workshop_id=workshop.id))
