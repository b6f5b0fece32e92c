"""A person's personal data (admins): export all of it as JSON, or erase
it (routes of the people blueprint; the rules are people/privacy.py)."""

from __future__ import annotations

import json

from flask import Response, render_template, url_for
from flask_login import current_user

from ..auth.access import admin_required
from ..core.pages import edit_round
from ..extensions import db
from . import privacy
from .forms import EraseConfirmForm
from .models import Person
from .views import bp


@bp.route("/admin/people/<int:person_id>/export", methods=["POST"])
@admin_required
def export_person(person_id: int):
    person = db.get_or_404(Person, person_id)
    data = privacy.export_person(current_user, person)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="person-{person.id}.json"',
    })


@bp.route("/admin/people/<int:person_id>/erase", methods=["GET", "POST"])
@admin_required
def erase_person(person_id: int):
    person = db.get_or_404(Person, person_id)
    form = EraseConfirmForm(version=person.version)
    back = url_for("people.person", person_id=person.id)
    return edit_round(
        form, lambda: privacy.erase_person(current_user, person, form.version.data), record=person,
        conflict_note=("confirm", "Someone changed this person meanwhile; check and confirm again."),
        invalid_status=200,  # the box left unticked is answered as the page itself, not as an error
        render=lambda **c: render_template("people/erase_person.html", form=form, person=person,
                                           participations=len(person.participations), back=back, **c),
        saved=f"The personal data of person #{person.id} is erased.", then=back)
