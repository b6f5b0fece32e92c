"""People: the list with its filters, a person's page, creating and
editing a person (unique email whatever its case, similar names, no lost
updates) and who may do it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from workshops.extensions import db
from workshops.models import AuditEntry, Person

from ..conftest import form_errors
from .conftest import counts, text_of


def person_form(**overrides) -> dict:
    data = {"honorific": "Dr", "full_name": "Siti Rahman", "email": "siti@example.org", "phone": "+60 3 1234",
            "affiliation": "ISIS Malaysia", "country": "MY", "sector": "academia", "notes": ""}
    data.update(overrides)
    return data


# ---- the list --------------------------------------------------------------

def test_the_list_finds_people_by_words_in_their_name_or_email(client, make, auth):
    make.person(full_name="Siti Rahman", email="siti@isis.org.my")
    make.person(full_name="Tran Minh Duc", email="duc@ids.vn")
    make.person(full_name="Siti Nurhaliza Tan", email="nur@example.org")
    auth.login(role="organiser")
    page = text_of(client.get("/people?q=siti+rahman"))
    assert "Siti Rahman" in page and "Siti Nurhaliza" not in page and "Tran Minh Duc" not in page
    page = text_of(client.get("/people?q=IDS.VN"))
    assert "Tran Minh Duc" in page and "Siti" not in page


def test_viewers_read_the_people_as_counts_by_sector_and_country_never_names(client, make, auth, workshop):
    make.participation(workshop=workshop, person=make.person(full_name="Tran Minh Duc", email="duc@ids.vn",
                                                            country="VN", sector="government"))
    make.person(full_name="Le Thi Hoa", country="VN", sector="academia")
    make.person(full_name="Akiko Sato", country="JP", sector="academia")
    auth.login(role="viewer")
    page = text_of(client.get("/people"))
    for secret in ("Tran Minh Duc", "duc@ids.vn", "Le Thi Hoa", "Akiko Sato", 'href="/people/', 'name="q"'):
        assert secret not in page
    plain = _plain(page)
    assert "3 people 2 countries" in plain and "By sector" in plain and "By country" in plain
    assert "Vietnam 2" in plain and "Japan 1" in plain and re.search(r"Academia[^0-9]* 2 ", plain)
    # The filters narrow the counts; a name typed into the address is not searched.
    page = text_of(client.get(f"/people?sector=government&network={workshop.series.network_id}&q=Nobody"))
    assert "1 person 1 country" in _plain(page) and "Tran Minh Duc" not in page
    assert "0 people 0 countries" in _plain(text_of(client.get("/people?country=MM")))


def _plain(page: str) -> str:
    """The page's text, without tags, spaces folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_list_filters_by_country_sector_and_network_of_their_workshops(client, make, auth, network, workshop):
    in_nadi = make.person(full_name="Col. Aung Kyaw", country="MM", sector="military")
    elsewhere = make.person(full_name="Aung San Lin", country="MM", sector="military")
    make.person(full_name="Akiko Sato", country="JP", sector="academia")
    make.participation(workshop=workshop, person=in_nadi)
    make.participation(workshop=make.workshop(), person=elsewhere)
    auth.login(role="admin")
    page = text_of(client.get("/people?country=MM&sector=military"))
    assert "Col. Aung Kyaw" in page and "Aung San Lin" in page and "Akiko Sato" not in page
    page = text_of(client.get(f"/people?network={network.id}"))
    assert "Col. Aung Kyaw" in page and "Aung San Lin" not in page and "Akiko Sato" not in page


def test_the_list_sorts_and_paginates(client, make, auth, make_app):
    for name in ("Bui Thi Lan", "Ahmad Faisal", "Chen Wei"):
        make.person(full_name=name)
    auth.login(role="organiser")  # people in no workshop yet: every organiser reads them
    page = text_of(client.get("/people?sort=-name"))
    assert page.index("Chen Wei") < page.index("Bui Thi Lan") < page.index("Ahmad Faisal")
    for i in range(30):
        make.person(full_name=f"Zz Person {i:02d}")
    first = text_of(client.get("/people"))
    assert "33 people · page 1 of 2" in first and "Zz Person 29" not in first
    second = text_of(client.get("/people?page=2"))
    assert "Zz Person 29" in second and "Ahmad Faisal" not in second


def test_the_list_and_a_persons_page_cost_the_same_for_two_people_as_for_six(client, make, auth, count_statements):
    """Who may be read is filtered in SQL (people/access.py people_seen): no
    query per person, for an organiser as for a viewer's counts."""
    networks = [make.network(), make.network()]
    crowds = []
    for network, n in zip(networks, (2, 6), strict=True):
        workshops = [make.workshop(series=make.series(network=network)) for _ in range(2)]
        crowd = [make.person(full_name=f"Crowd {network.id} {i}", country=("SG", "MY", "TH")[i % 3])
                 for i in range(n)]
        for person in crowd:
            for w in workshops:
                make.agenda_item(workshop=w, people=[(make.participation(workshop=w, person=person), "speaker")])
        crowds.append(crowd)
    for role in ("organiser", "viewer"):
        auth.login(role=role, networks=networks if role == "organiser" else ())
        client.get("/people")  # the login's first request records the session: not measured
        paths = [[f"/people?network={n.id}", "/search?q=crowd"] for n in networks]
        if role == "organiser":
            for crowd, these in zip(crowds, paths, strict=True):
                these.append(f"/people/{crowd[-1].id}")
        costs = []
        for these in paths:
            db.session.expire_all()
            with count_statements() as statements:
                for path in these:
                    assert client.get(path).status_code == 200, (role, path)
            costs.append(len(statements))
        assert costs[0] == costs[1], (role, costs)
        auth.logout()


@pytest.mark.parametrize("query", ["?q=%00%ff<script>", "?q=" + "x" * 5000, "?country=ZZ&sector=x&network=abc&sort=evil",
                                   "?page=-1", "?network=99999999999999999999", "?q=%25_%25"])
def test_the_list_survives_strange_filters(client, auth, make, query):
    make.person(full_name="Ann Lee")
    for role in ("viewer", "organiser"):
        auth.login(role=role)
        assert client.get("/people" + query).status_code == 200, role
        auth.logout()


def test_people_pages_need_a_login(client, make):
    person = make.person()
    for url in ("/people", f"/people/{person.id}", "/people/new", f"/people/{person.id}/edit"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# ---- a person's page ---------------------------------------------------------

def test_a_persons_page_shows_their_workshops_roles_and_agenda_items(client, make, auth, workshop):
    person = make.person(full_name="Siti Rahman", email="siti@example.org", phone="+60 3 1234")
    participation = make.participation(workshop=workshop, person=person, role="speaker", status="confirmed")
    make.agenda_item(workshop=workshop, title="Panel: Lessons from Typhoon Haiyan",
                     people=[(participation, "speaker")])
    make.agenda_item(workshop=workshop, title="Opening", people=[(participation, "chair")], start="08:00", end="08:30")
    auth.login(role="organiser", networks=[workshop.series.network])
    page = text_of(client.get(f"/people/{person.id}"))
    assert "NADI Workshop on Disaster Relief 2025" in page
    assert "Speaker" in page and "Confirmed" in page
    assert "Panel: Lessons from Typhoon Haiyan" in page and "Opening" in page and "Chair" in page
    assert "siti@example.org" in page and "+60 3 1234" in page
    assert "Change history (1)" in page


def test_viewers_may_not_open_a_persons_page(client, make, auth):
    person = make.person(full_name="Siti Rahman", email="siti@example.org", phone="+60 3 1234", notes="Prefers WhatsApp")
    auth.login(role="viewer")
    response = client.get(f"/people/{person.id}")
    assert response.status_code == 403
    page = text_of(response)
    for secret in ("Siti Rahman", "siti@example.org", "+60 3 1234", "Prefers WhatsApp"):
        assert secret not in page


def test_an_unknown_person_is_not_found(client, auth):
    auth.login(role="viewer")
    assert client.get("/people/12345").status_code == 404
    assert client.get("/people/99999999999999999999").status_code == 404


# ---- creating a person ---------------------------------------------------------

def test_an_organiser_creates_a_person_with_the_email_stored_lower_case(client, auth):
    auth.login(role="organiser")
    response = client.post("/people/new", data=person_form(email="Siti.Rahman@Example.ORG"))
    assert response.status_code == 302
    person = db.session.scalar(select(Person))
    assert response.headers["Location"].endswith(f"/people/{person.id}")
    assert (person.full_name, person.email, person.country, person.honorific) == (
        "Siti Rahman", "siti.rahman@example.org", "MY", "Dr")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "Person"))
    assert entry.action == "create" and entry.changes["full_name"] == [None, "Siti Rahman"]


BAD_PERSON_FIELDS = [
    ("full_name", "", "Enter the person's name."),
    ("full_name", "x" * 201, "at most 200"),
    ("email", "not-an-email", "Enter an email address"),
    ("email", "a" * 250 + "@example.org", "at most 254"),
    ("phone", "1" * 41, "at most 40"),
    ("affiliation", "x" * 201, "at most 200"),
    ("country", "XX", "Not a valid choice"),
    ("sector", "pirates", "Not a valid choice"),
]


def test_a_person_form_refuses_bad_input_at_the_field_and_keeps_it(client, auth):
    auth.login(role="admin")
    before = counts()
    for field, value, message in BAD_PERSON_FIELDS:
        response = client.post("/people/new", data=person_form(**{field: value}))
        assert response.status_code == 422, field
        assert any(message in e for e in form_errors(text_of(response))), (field, message)
        if field in ("full_name", "email") and value:
            assert value[:50] in response.get_data(as_text=True)  # what was typed is kept
    assert counts() == before


def test_strange_characters_are_stored_safely(client, auth):
    auth.login(role="admin")
    name = "\u200bNguyễn <script>alert(1)</script>\x00\x07 Văn An"
    response = client.post("/people/new", data=person_form(full_name=name, email="", notes="line\x00one\nline two"))
    assert response.status_code == 302
    person = db.session.scalar(select(Person))
    assert "\x00" not in person.full_name and "\x00" not in person.notes
    assert person.email is None
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_an_email_already_taken_in_another_case_is_refused_with_a_link_to_that_person(client, make, auth):
    existing = make.person(full_name="Siti Rahman", email="siti@example.org")
    auth.login(role="organiser")
    before = counts()
    response = client.post("/people/new", data=person_form(full_name="S. Rahman", email="SITI@Example.org",
                                                           different_person="y"))
    assert response.status_code == 422
    assert "This email already belongs to Siti Rahman." in form_errors(text_of(response))
    assert f'href="/people/{existing.id}"' in response.get_data(as_text=True)
    assert counts() == before


def test_a_similar_name_is_suggested_and_a_new_person_needs_confirming(client, make, auth):
    existing = make.person(full_name="John Smith", email="john@example.org")
    auth.login(role="organiser")
    response = client.post("/people/new", data=person_form(full_name="Jon Smith", email="jon@example.org"))
    assert response.status_code == 422
    page = text_of(response)
    assert "Did you mean one of these people?" in page
    assert f'href="/people/{existing.id}"' in page
    assert db.session.scalar(select(Person).where(Person.email == "jon@example.org")) is None
    confirmed = client.post("/people/new", data=person_form(full_name="Jon Smith", email="jon@example.org",
                                                            different_person="y"))
    assert confirmed.status_code == 302
    assert db.session.scalar(select(Person).where(Person.email == "jon@example.org")).full_name == "Jon Smith"


# ---- editing a person ------------------------------------------------------------

def test_an_organiser_edits_any_person_and_the_history_shows_it(client, make, auth):
    person = make.person(full_name="Siti Rahman", email="siti@example.org", affiliation="ISIS Malaysia")
    auth.login(role="organiser")  # in no network at all: people are not scoped by network
    form = client.get(f"/people/{person.id}/edit")
    assert form.status_code == 200 and 'value="siti@example.org"' in form.get_data(as_text=True)
    response = client.post(f"/people/{person.id}/edit", data=person_form(
        email="Siti@Example.org", affiliation="RSIS", version=person.version))
    assert response.status_code == 302
    db.session.refresh(person)
    assert (person.affiliation, person.email, person.version) == ("RSIS", "siti@example.org", 2)
    page = text_of(client.get(f"/people/{person.id}"))
    assert "Change history (2)" in page and "ISIS Malaysia" in page and "RSIS" in page


def test_an_edit_can_keep_its_own_email_but_not_take_another(client, make, auth):
    other = make.person(full_name="Tran Minh Duc", email="duc@example.org")
    person = make.person(full_name="Siti Rahman", email="siti@example.org")
    auth.login(role="admin")
    response = client.post(f"/people/{person.id}/edit", data=person_form(email="DUC@example.org",
                                                                         version=person.version))
    assert response.status_code == 422
    assert "This email already belongs to Tran Minh Duc." in form_errors(text_of(response))
    assert f'href="/people/{other.id}"' in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.email == "siti@example.org" and person.version == 1


def test_an_edit_based_on_an_old_version_saves_nothing_and_shows_what_changed(client, make, auth):
    person = make.person(full_name="Siti Rahman", affiliation="ISIS Malaysia")
    auth.login(role="admin")
    seen = person.version
    client.post(f"/people/{person.id}/edit", data=person_form(email=person.email, affiliation="RSIS", version=seen))
    response = client.post(f"/people/{person.id}/edit", data=person_form(
        email=person.email, affiliation="CSIS Indonesia", version=seen))
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone else changed this record" in page and "RSIS" in page
    assert 'value="CSIS Indonesia"' in page  # what the user typed is kept
    db.session.refresh(person)
    assert person.affiliation == "RSIS"
    again = client.post(f"/people/{person.id}/edit", data=person_form(
        email=person.email, affiliation="CSIS Indonesia", version=person.version))
    assert again.status_code == 302  # saved after reading what changed
    db.session.refresh(person)
    assert person.affiliation == "CSIS Indonesia"


# ---- who may ------------------------------------------------------------------

def test_viewers_may_not_create_or_edit_people(client, make, auth):
    person = make.person(full_name="Siti Rahman")
    auth.login(role="viewer")
    before = counts()
    assert client.get("/people/new").status_code == 403
    assert client.post("/people/new", data=person_form(email="new@example.org")).status_code == 403
    assert client.get(f"/people/{person.id}/edit").status_code == 403
    response = client.post(f"/people/{person.id}/edit", data=person_form(full_name="Changed", version=1))
    assert response.status_code == 403
    assert counts() == before
    db.session.refresh(person)
    assert person.full_name == "Siti Rahman"


def test_an_inactive_organiser_may_not_edit_people(client, make, auth):
    user = auth.login(role="organiser")
    person = make.person(full_name="Siti Rahman")
    from workshops.audit.operations import unit_of_work
    with unit_of_work(system="test"):
        db.session.get(type(user), user.id).active = False
    assert client.post(f"/people/{person.id}/edit", data=person_form(version=1)).status_code in (302, 403)
    db.session.refresh(person)
    assert person.version == 1


def test_the_created_at_default_is_kept(make):
    person = make.person()
    assert person.created_at <= dt.datetime.now(dt.UTC)


def test_an_erased_person_can_no_longer_be_edited_found_or_added(client, make, auth, workshop):
    from workshops.people.privacy import erase_person

    person = make.person(full_name="Siti Rahman", email="siti@example.org")
    admin = auth.login(role="admin")
    with client.application.test_request_context():
        from flask_login import login_user
        login_user(admin)
        erase_person(admin, person, person.version)
    page = text_of(client.get(f"/people/{person.id}"))
    assert "personal data was erased" in page and "Siti Rahman" not in page
    assert client.get(f"/people/{person.id}/edit").status_code == 302
    response = client.post(f"/people/{person.id}/edit", data=person_form(version=person.version))
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.full_name.startswith("Erased person")
    assert f"person_id={person.id}" not in text_of(client.get(f"/workshops/{workshop.id}/participants/add?q=Erased+person"))
    refused = client.post(f"/workshops/{workshop.id}/participants/add", data={
        "person_id": person.id, "role": "participant", "status": "invited", "sector": "academia", "country": ""})
    assert refused.status_code == 422 and "personal data was erased" in text_of(refused)
