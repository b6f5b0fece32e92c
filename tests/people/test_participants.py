"""A workshop's participants: the list with its counts and filters, adding
a person found by email or name (or a new one, without entering anyone
twice), editing and removing a participation, and who may do it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from workshops.extensions import db
from workshops.models import AgendaItemPerson, AuditEntry, Participation, Person

from ..conftest import form_errors
from .conftest import count, counts, text_of


def participation_form(**overrides) -> dict:
    data = {"role": "speaker", "status": "confirmed", "sector": "academia", "country": "MY",
            "affiliation": "ISIS Malaysia", "serving_official": "", "consent_to_list": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def add_url(workshop) -> str:
    return f"/workshops/{workshop.id}/participants/add"


# ---- the list -------------------------------------------------------------------

def test_the_participants_list_shows_everyone_with_counts_by_status(client, make, auth, workshop):
    ann = make.person(full_name="Ann Lee", email="ann@example.org")
    make.participation(workshop=workshop, person=ann, role="chair", status="confirmed", country="SG",
                       affiliation="RSIS", consent_to_list=True)
    make.participation(workshop=workshop, person=make.person(full_name="Tran Minh Duc"), status="declined",
                       sector="military")
    make.participation(workshop=workshop, person=make.person(full_name="Akiko Sato"), status="confirmed")
    make.participation(workshop=make.workshop(), person=make.person(full_name="Somebody Else"))
    auth.login(role="organiser", networks=[workshop.series.network])
    page = text_of(client.get(f"/workshops/{workshop.id}/participants"))
    for text in ("Ann Lee", "Tran Minh Duc", "Akiko Sato", "Chair", "RSIS", "Singapore", "Military",
                 "ann@example.org"):
        assert text in page
    assert "Somebody Else" not in page
    assert '<span class="stat-value">3</span> in all' in page
    assert '<span class="stat-value">2</span> confirmed' in page
    assert '<span class="stat-value">1</span> declined' in page


def test_the_participants_list_filters_by_role_and_status(client, make, auth, workshop):
    make.participation(workshop=workshop, person=make.person(full_name="Ann Lee"), role="chair", status="confirmed")
    make.participation(workshop=workshop, person=make.person(full_name="Tran Minh Duc"), role="speaker",
                       status="confirmed")
    make.participation(workshop=workshop, person=make.person(full_name="Akiko Sato"), role="speaker",
                       status="declined")
    auth.login(role="admin")
    page = text_of(client.get(f"/workshops/{workshop.id}/participants?role=speaker&status=confirmed"))
    assert "Tran Minh Duc" in page and "Ann Lee" not in page and "Akiko Sato" not in page
    assert "1 shown of 3" in page
    assert client.get(f"/workshops/{workshop.id}/participants?role=<x>&status=%00&sort=zz").status_code == 200


@pytest.mark.parametrize("role", ["viewer", "other_organiser"])
def test_outsiders_see_counts_by_sector_and_country_never_names(client, make, auth, workshop, role):
    """Participant lists stay among the organisers of the workshop's network
    (auth/access.py may_see_participants), even of those who consented to be
    listed and on a public workshop; the others read who takes part in counts."""
    make.participation(workshop=workshop, person=make.person(full_name="Ann Lee", email="ann@example.org",
                                                             phone="+65 5550 1234"),
                       sector="academia", country="SG", consent_to_list=True, affiliation="RSIS")
    make.participation(workshop=workshop, person=make.person(full_name="Tran Minh Duc"), sector="military",
                       country="VN", status="confirmed")
    make.participation(workshop=workshop, person=make.person(full_name="Akiko Sato"), sector="academia",
                       country="JP")
    networks = [make.network(acronym="ELSE", slug="else")] if role == "other_organiser" else []
    auth.login(role=role.replace("other_", ""), networks=networks)
    response = client.get(f"/workshops/{workshop.id}/participants")
    assert response.status_code == 200
    page = text_of(response)
    for secret in ("Ann Lee", "Tran Minh Duc", "Akiko Sato", "ann@example.org", "+65 5550 1234", "RSIS",
                   "/people/", "participants.csv", "Add a participant", "/remove"):
        assert secret not in page, secret
    sectors = page[page.index("<caption>By sector</caption>"):]
    sectors = sectors[:sectors.index("</table>")]
    assert re.search(r"Academia[^<]*</th><td class=\"num\">2</td>", sectors), sectors
    assert re.search(r"Military</th><td class=\"num\">1</td>", sectors), sectors
    countries = page[page.index("<caption>By country represented</caption>"):]
    countries = countries[:countries.index("</table>")]
    for country in ("Singapore", "Viet", "Japan"):
        assert re.search(country + r"[^<]*</th><td class=\"num\">1</td>", countries), (country, countries)
    assert '<span class="stat-value">3</span> in all' in page
    assert client.get(f"/workshops/{workshop.id}/participants.csv").status_code == 403
    assert client.get(f"/workshops/{workshop.id}/participants.xlsx").status_code == 403


def test_an_unknown_workshop_has_no_participants_page(client, auth):
    auth.login(role="admin")
    assert client.get("/workshops/999/participants").status_code == 404
    assert client.get("/workshops/999/participants/add").status_code == 404


# ---- finding and adding a person ------------------------------------------------

def test_the_find_box_matches_an_email_whatever_its_case(client, make, auth, workshop, organiser):
    ann = make.person(full_name="Ann Lee", email="ann.lee@example.org")
    page = text_of(client.get(add_url(workshop) + "?q=ANN.Lee@Example.ORG"))
    assert f"person_id={ann.id}" in page and "Use this person" in page


def test_the_find_box_suggests_similar_names(client, make, auth, workshop, organiser):
    make.person(full_name="Nguyễn Văn An", email="an@example.org")
    make.person(full_name="John Smith", email="js@example.org")
    make.person(full_name="Tom Lee", email="tom@example.org")
    page = text_of(client.get(add_url(workshop) + "?q=Nguyen+Van+Anh"))
    assert "Nguyễn Văn An" in page and "John Smith" not in page
    page = text_of(client.get(add_url(workshop) + "?q=Smith+Jon"))
    assert "John Smith" in page and "Tom Lee" not in page
    assert "No one found for “Zebedee Quixote”" in text_of(client.get(add_url(workshop) + "?q=Zebedee+Quixote"))


def test_an_organiser_adds_an_existing_person_with_defaults_from_them(client, make, auth, workshop, organiser):
    ann = make.person(full_name="Ann Lee", email="ann@example.org", country="SG", sector="government",
                      affiliation="Ministry of Defence")
    form = text_of(client.get(add_url(workshop) + f"?person_id={ann.id}"))
    assert "Add Ann Lee" in form and 'value="Ministry of Defence"' in form
    assert '<option selected value="SG">' in form or 'value="SG" selected' in form
    response = client.post(add_url(workshop), data=participation_form(
        person_id=ann.id, sector="government", country="SG", affiliation="Ministry of Defence",
        serving_official="y"))
    assert response.status_code == 302
    participation = db.session.scalar(select(Participation))
    assert (participation.person_id, participation.role, participation.status, participation.serving_official,
            participation.consent_to_list, participation.country) == (ann.id, "speaker", "confirmed", True, True, "SG")
    assert participation.personal_token and len(participation.personal_token) >= 32
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "Participation")).action == "create"


def test_someone_already_a_participant_is_not_added_twice(client, make, auth, workshop, organiser):
    ann = make.person(full_name="Ann Lee")
    make.participation(workshop=workshop, person=ann)
    before = counts()
    response = client.post(add_url(workshop), data=participation_form(person_id=ann.id))
    assert response.status_code == 422
    assert "Ann Lee is already a participant of this workshop." in text_of(response)
    assert counts() == before
    assert "already a participant" in text_of(client.get(add_url(workshop) + "?q=Ann+Lee"))


def test_an_organiser_adds_a_new_person_in_the_same_form(client, make, auth, workshop, organiser):
    response = client.post(add_url(workshop), data=participation_form(
        full_name="Siti Rahman", honorific="Dr", email="Siti@Example.org", country="MY", sector="academia",
        affiliation="ISIS Malaysia", role="participant", status="invited"))
    assert response.status_code == 302
    person = db.session.scalar(select(Person))
    assert (person.full_name, person.honorific, person.email, person.country, person.affiliation) == (
        "Siti Rahman", "Dr", "siti@example.org", "MY", "ISIS Malaysia")
    participation = db.session.scalar(select(Participation))
    assert participation.person_id == person.id and participation.workshop_id == workshop.id
    assert participation.personal_token


def test_a_new_person_needs_a_name(client, workshop, organiser):
    before = counts()
    response = client.post(add_url(workshop), data=participation_form(full_name="", email="x@example.org"))
    assert response.status_code == 422
    assert "Enter the person's name." in form_errors(text_of(response))
    assert counts() == before


def test_a_new_persons_email_that_exists_in_another_case_offers_that_person(client, make, auth, workshop,
                                                                          organiser):
    ann = make.person(full_name="Ann Lee", email="ann@example.org")
    before = counts()
    response = client.post(add_url(workshop), data=participation_form(full_name="Annie Lee", email="ANN@example.org"))
    assert response.status_code == 422
    page = text_of(response)
    assert "This email already belongs to Ann Lee." in form_errors(page)
    assert f'name="use_person" value="{ann.id}"' in page
    assert 'value="Annie Lee"' in page  # what was typed is kept
    assert counts() == before


def test_a_similar_name_asks_did_you_mean_and_one_click_uses_that_person(client, make, auth, workshop, organiser):
    john = make.person(full_name="John Smith", email="john@example.org", country="GB", sector="civil_society",
                       affiliation="IISS")
    typed = participation_form(full_name="Jon Smith", email="", role="discussant", status="confirmed",
                               country="SG", affiliation="Typed for the new person")
    response = client.post(add_url(workshop), data=typed)
    assert response.status_code == 422
    page = text_of(response)
    assert "Did you mean one of these people?" in page and "John Smith" in page
    assert count(Person) == 1 and count(Participation) == 0
    used = client.post(add_url(workshop), data={**typed, "use_person": str(john.id)})
    assert used.status_code == 302
    participation = db.session.scalar(select(Participation))
    assert participation.person_id == john.id and count(Person) == 1
    assert (participation.role, participation.status) == ("discussant", "confirmed")
    assert (participation.country, participation.sector, participation.affiliation) == ("GB", "civil_society", "IISS")


def test_a_similar_name_can_be_confirmed_as_a_different_person(client, make, auth, workshop, organiser):
    make.person(full_name="John Smith", email="john@example.org")
    response = client.post(add_url(workshop), data=participation_form(
        full_name="Jon Smith", email="jon@example.org", different_person="y"))
    assert response.status_code == 302
    assert count(Person) == 2
    assert db.session.scalar(select(Participation)).person.email == "jon@example.org"


BAD_PARTICIPATION_FIELDS = [
    ("role", "emperor", "Not a valid choice"),
    ("status", "maybe", "Not a valid choice"),
    ("country", "Atlantis", "Not a valid choice"),
    ("affiliation", "x" * 201, "at most 200"),
    ("email", "ann@", "Enter an email address"),
]


def test_adding_refuses_bad_participation_fields_at_the_field(client, workshop, organiser):
    before = counts()
    for field, value, message in BAD_PARTICIPATION_FIELDS:
        response = client.post(add_url(workshop), data=participation_form(full_name="Ann Lee", **{field: value}))
        assert response.status_code == 422, field
        assert any(message in e for e in form_errors(text_of(response))), (field, message)
    assert counts() == before


def test_adding_shows_the_forms_and_the_rules_problems_in_one_round(client, workshop, organiser):
    """A malformed email is the form's check; the missing name of a new person
    and an unsafe gender are the operation's: all show after one submit."""
    before = counts()
    response = client.post(add_url(workshop), data=participation_form(full_name="", email="ann@",
                                                                       gender="wo\u202eman"))
    assert response.status_code == 422
    errors = form_errors(text_of(response))
    assert any("Enter an email address" in e for e in errors), errors
    assert "Enter the person's name." in errors
    assert any("Remove the invisible" in e and "U+202E" in e for e in errors), errors
    assert 'id="gender-error"' in text_of(response) and len(errors) == 3, errors
    assert counts() == before


def test_a_chosen_person_that_no_longer_exists_sends_back_to_the_find_box(client, workshop, organiser):
    response = client.post(add_url(workshop), data=participation_form(person_id="4242"))
    assert response.status_code == 302 and response.headers["Location"].endswith(add_url(workshop))
    assert count(Participation) == 0


# ---- editing a participation --------------------------------------------------

def edit_url(participation) -> str:
    return f"/workshops/{participation.workshop_id}/participants/{participation.id}/edit"


def test_an_organiser_edits_a_participation(client, make, auth, workshop, organiser):
    participation = make.participation(workshop=workshop, person=make.person(full_name="Ann Lee"), status="invited")
    assert client.get(edit_url(participation)).status_code == 200
    response = client.post(edit_url(participation), data=participation_form(
        status="attended", role="rapporteur", version=participation.version))
    assert response.status_code == 302
    db.session.refresh(participation)
    assert (participation.status, participation.role, participation.version) == ("attended", "rapporteur", 2)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "Participation")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.action == "update"
    assert entry.changes["status"] == ["invited", "attended"] and entry.changes["role"] == ["participant", "rapporteur"]


def test_an_organiser_records_the_consent_to_be_named_on_the_public_agenda(client, make, auth, workshop,
                                                                            organiser):
    participation = make.participation(workshop=workshop, person=make.person(full_name="Ann Lee"))
    assert participation.consent_to_be_named is False  # nobody is named publicly without saying so
    form = text_of(client.get(edit_url(participation)))
    assert 'name="consent_to_be_named"' in form and "Consents to be named on the public agenda" in form

    response = client.post(edit_url(participation), data=participation_form(
        consent_to_be_named="y", version=participation.version))

    assert response.status_code == 302
    db.session.refresh(participation)
    assert participation.consent_to_be_named is True
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "Participation")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.changes["consent_to_be_named"] == [False, True]
    client.post(edit_url(participation), data=participation_form(version=participation.version))
    db.session.refresh(participation)
    assert participation.consent_to_be_named is False  # an unticked box withdraws it


def test_editing_a_participation_from_an_old_version_saves_nothing(client, make, auth, workshop, organiser):
    participation = make.participation(workshop=workshop, person=make.person(full_name="Ann Lee"), status="invited")
    seen = participation.version
    assert client.post(edit_url(participation), data=participation_form(status="confirmed", version=seen)).status_code == 302
    response = client.post(edit_url(participation), data=participation_form(status="declined", version=seen))
    assert response.status_code == 409
    assert "Someone else changed this record" in text_of(response)
    db.session.refresh(participation)
    assert participation.status == "confirmed"


def test_a_declined_speaker_still_on_the_agenda_is_pointed_out(client, make, auth, workshop, organiser):
    participation = make.participation(workshop=workshop, person=make.person(full_name="Ann Lee"))
    make.agenda_item(workshop=workshop, title="Keynote", people=[(participation, "speaker")])
    response = client.post(edit_url(participation), data=participation_form(status="declined",
                                                                            version=participation.version),
                           follow_redirects=True)
    assert "Ann Lee is still on the agenda as speaker at “Keynote”" in text_of(response)


# ---- removing a participation ---------------------------------------------------

def remove_url(participation) -> str:
    return f"/workshops/{participation.workshop_id}/participants/{participation.id}/remove"


def test_removing_asks_for_confirmation_then_removes(client, make, auth, workshop, organiser):
    ann = make.person(full_name="Ann Lee")
    participation = make.participation(workshop=workshop, person=ann)
    page = text_of(client.get(remove_url(participation)))
    assert "Remove Ann Lee?" in page and "Remove from the workshop" in page
    assert count(Participation) == 1
    response = client.post(remove_url(participation), data={"version": participation.version})
    assert response.status_code == 302
    assert count(Participation) == 0 and count(Person) == 1
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.object_type) == ("delete", "Participation")


def test_removing_a_speaker_names_their_agenda_items_and_takes_them_off(client, make, auth, workshop, organiser):
    participation = make.participation(workshop=workshop, person=make.person(full_name="Ann Lee"))
    other = make.participation(workshop=workshop, person=make.person(full_name="Tran Minh Duc"))
    make.agenda_item(workshop=workshop, title="Opening", people=[(participation, "chair"), (other, "speaker")])
    make.agenda_item(workshop=workshop, title="Panel on HADR", start="11:00", end="12:00",
                     people=[(participation, "speaker")])
    page = text_of(client.get(remove_url(participation)))
    assert "They are on the agenda" in page and "Chair at “Opening”" in page and "Speaker at “Panel on HADR”" in page
    assert "take them off 2 agenda items" in page
    # Without the explicit confirmation (an old form, the API), nothing is removed.
    refused = client.post(remove_url(participation), data={"version": participation.version})
    assert refused.status_code == 422 and "is on the agenda as chair at “Opening”" in text_of(refused)
    assert count(Participation) == 2 and count(AgendaItemPerson) == 3
    response = client.post(remove_url(participation), data={"version": participation.version,
                                                            "drop_agenda_roles": "yes"})
    assert response.status_code == 302
    assert count(Participation) == 1 and count(AgendaItemPerson) == 1  # the other speaker stays
    deleted = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delete")).all()
    assert sorted(e.object_type for e in deleted) == ["AgendaItemPerson", "AgendaItemPerson", "Participation"]
    assert all("Removed with their agenda roles" in e.note for e in deleted)


def test_removing_from_an_old_version_saves_nothing(client, make, auth, workshop, organiser):
    participation = make.participation(workshop=workshop, person=make.person(full_name="Ann Lee"))
    seen = participation.version
    client.post(edit_url(participation), data=participation_form(status="attended", version=seen))
    response = client.post(remove_url(participation), data={"version": seen})
    assert response.status_code == 409
    assert count(Participation) == 1


def test_a_participation_of_another_workshop_is_not_found_here(client, make, auth, workshop, organiser):
    elsewhere = make.participation(workshop=make.workshop(series=workshop.series))
    url = f"/workshops/{workshop.id}/participants/{elsewhere.id}/remove"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"version": 1}).status_code == 404
    assert count(Participation) == 1


# ---- who may ---------------------------------------------------------------------

@pytest.fixture(params=["viewer", "other_organiser"])
def outsider(request, auth, make):
    """A viewer, or an organiser of another network."""
    if request.param == "viewer":
        return auth.login(role="viewer")
    return auth.login(role="organiser", networks=[make.network(acronym="CSCAP")])


def test_outsiders_may_not_add_edit_or_remove_participants(client, make, workshop, outsider):
    ann = make.person(full_name="Ann Lee")
    participation = make.participation(workshop=workshop, person=make.person(full_name="Tran Minh Duc"),
                                       status="invited")
    before = counts()
    assert client.get(add_url(workshop)).status_code == 403
    assert client.post(add_url(workshop), data=participation_form(person_id=ann.id)).status_code == 403
    assert client.post(add_url(workshop), data=participation_form(full_name="New Person")).status_code == 403
    assert client.get(edit_url(participation)).status_code == 403
    assert client.post(edit_url(participation), data=participation_form(
        status="attended", version=participation.version)).status_code == 403
    assert client.get(remove_url(participation)).status_code == 403
    assert client.post(remove_url(participation), data={"version": participation.version}).status_code == 403
    assert counts() == before
    db.session.refresh(participation)
    assert participation.status == "invited"
    # Reading is for everyone logged in.
    assert client.get(f"/workshops/{workshop.id}/participants").status_code == 200


def test_admins_manage_participants_of_every_network(client, make, auth, workshop):
    auth.login(role="admin")
    ann = make.person(full_name="Ann Lee")
    assert client.post(add_url(workshop), data=participation_form(person_id=ann.id)).status_code == 302
    assert count(Participation) == 1


def test_short_names_in_another_order_are_suggested_too(client, make, workshop, organiser):
    make.person(full_name="Wu Li", email="wu.li@example.org")
    page = text_of(client.get(add_url(workshop) + "?q=Li+Wu"))
    assert "Wu Li" in page
