"""A participation's self-described gender (people/gender.py): the one rule
for the text as stored and as counted, set by an organiser on the
participant form and through the API, refused at the field when too long,
erased with the person."""

from __future__ import annotations

import pytest

from workshops.audit.operations import Invalid
from workshops.extensions import db
from workshops.people.gender import GENDER_MAX, clean_gender, gender_error, gender_key, gender_label
from workshops.people.operations import participation_values
from workshops.people.privacy import erase_person, person_data

from .test_participants import edit_url, participation_form


@pytest.mark.parametrize("typed, stored", [
    ("  Woman ", "Woman"), ("Non \t  binary", "Non binary"), ("", None), ("   ", None), (None, None),
    ("wo\u200bman", "woman"),  # an invisible character goes (core/cleaning.py's name rule)
])
def test_the_text_as_stored(typed, stored):
    assert clean_gender(typed) == stored


def test_the_text_as_counted_is_case_folded_and_shown_in_its_most_frequent_spelling():
    assert gender_key("WOMAN") == gender_key("woman") == gender_key("Woman") == "woman"
    assert gender_key(None) is None
    assert gender_label([("woman", 1), ("Woman", 3)]) == "Woman"
    assert gender_label([("woman", 2), ("Woman", 2)]) == "Woman"  # a tie: the first in order


def test_too_long_is_refused_naming_the_field():
    assert GENDER_MAX == 60
    assert gender_error("x" * 60) is None
    assert "at most 60 characters" in gender_error("x" * 61)
    with pytest.raises(Invalid) as caught:
        participation_values({"gender": "x" * 61})
    assert list(caught.value.errors) == ["gender"]
    assert participation_values({"gender": "  Woman "})["gender"] == "Woman"
    assert "gender" not in participation_values({})  # not given: left as it is


def test_an_organiser_records_and_clears_it_on_the_participant_form(client, make, auth, workshop, organiser):
    participation = make.participation(workshop=workshop, person=make.person(full_name="Ann Lee"))
    assert 'name="gender"' in client.get(edit_url(participation)).get_data(as_text=True)
    response = client.post(edit_url(participation), data=participation_form(
        gender="  Woman  ", version=participation.version))
    assert response.status_code == 302
    db.session.refresh(participation)
    assert participation.gender == "Woman"
    too_long = client.post(edit_url(participation), data=participation_form(
        gender="x" * 61, version=participation.version))
    assert too_long.status_code in (400, 422) and "at most 60 characters" in too_long.get_data(as_text=True)
    db.session.refresh(participation)
    assert participation.gender == "Woman"  # bad input changes nothing
    client.post(edit_url(participation), data={**participation_form(version=participation.version), "gender": " "})
    db.session.refresh(participation)
    assert participation.gender is None  # emptied: not recorded


def test_erasing_the_person_erases_it(client, make, auth, workshop):
    participation = make.participation(workshop=workshop, gender="Woman")
    person = participation.person
    assert person_data(person)["participations"][0]["gender"] == "Woman"  # in what they may ask to see
    admin = auth.login(role="admin")
    with client.application.test_request_context():
        from flask_login import login_user
        login_user(admin)
        erase_person(admin, person, person.version)
    db.session.refresh(participation)
    assert participation.gender is None


def test_the_api_shows_it_to_organisers_only(make, workshop):
    from workshops.api.exporters import participation as as_json
    assert participation_values({"gender": " Man "}) == {"gender": "Man"}
    participation = make.participation(workshop=workshop, gender="Man")
    assert as_json(participation, contact=True).gender == "Man"
    assert as_json(participation, contact=False).gender is None
