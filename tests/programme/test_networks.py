"""Networks and their member institutes: admins keep the networks;
organisers keep the institutes of their own networks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from workshops.extensions import db
from workshops.models import MemberInstitute, Network

from .helpers import audit_entries, count, field_errors, fresh


def network_form(**changes) -> dict:
    data = {"acronym": "CSCAP", "name": "Council for Security Cooperation in the Asia Pacific", "slug": "",
            "website": "https://www.cscap.org", "founded_year": "1993", "description": "Track-2 forum."}
    data.update(changes)
    return data


def institute_form(member_of, /, **changes) -> dict:
    data = {"name": "S. Rajaratnam School of International Studies", "acronym": "RSIS", "country": "SG",
            "city": "Singapore", "website": "https://www.rsis.edu.sg", "networks": [n.id for n in member_of]}
    data.update(changes)
    return data


def test_the_network_list_counts_institutes_series_and_workshops(client, make, auth):
    nadi = make.network(acronym="NADI", name="Network of ASEAN Defence and Security Institutions")
    make.institute(networks=[nadi])
    make.workshop(series=make.series(network=nadi))
    make.network(acronym="CSCAP")
    auth.login(role="viewer")

    html = client.get("/networks").get_data(as_text=True)

    assert "Network of ASEAN Defence and Security Institutions" in html
    row = html[html.index(">NADI<"):html.index("</tr>", html.index(">NADI<"))]
    assert row.count('<td class="num">1</td>') == 3
    assert html.index(">CSCAP<") < html.index(">NADI<")
    assert "New network" not in html


def test_the_network_page_shows_its_institutes_series_with_status_and_recent_workshops(client, make, auth):
    nadi = make.network(acronym="NADI")
    make.institute(networks=[nadi], name="Indonesia Defense University", country="ID")
    annual = make.series(network=nadi, name="NADI Annual Meeting",
                         status_history=[("active", dt.date(2007, 4, 1), ""), ("dormant", dt.date(2020, 3, 1), "")])
    make.workshop(series=annual, title="NADI Annual Meeting 2019", start_date=dt.date(2019, 3, 4))
    auth.login(role="organiser", networks=[nadi])

    html = client.get(f"/networks/{nadi.id}").get_data(as_text=True)

    for text in ("Indonesia Defense University", "Indonesia", "NADI Annual Meeting", "Dormant", "since 2020",
                 "NADI Annual Meeting 2019", "Add an institute", "New series", "Change history"):
        assert text in html, text
    assert "Edit network" not in html  # networks are the admins'


def test_an_admin_creates_and_edits_a_network(client, auth):
    auth.login(role="admin")

    response = client.post("/networks/new", data=network_form())

    network = db.session.scalar(select(Network))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/networks/{network.id}")
    assert (network.acronym, network.slug, network.founded_year) == ("CSCAP", "cscap", 1993)
    edit = client.post(f"/networks/{network.id}/edit",
                       data=network_form(name="CSCAP (renamed)", version=network.version))
    assert edit.status_code == 302 and fresh(network).name == "CSCAP (renamed)"
    assert [e.action for e in audit_entries("Network")] == ["create", "update"]


def test_network_form_errors(client, make, auth):
    make.network(acronym="NADI", slug="nadi")
    auth.login(role="admin")
    cases = [
        ({"acronym": ""}, "Enter the network's acronym, e.g. CSCAP."),
        ({"acronym": "nadi"}, "Another network already has this acronym."),
        ({"slug": "nadi"}, "This web address is already used; choose another."),
        ({"website": "cscap.org"}, "Enter a full web address starting with https://"),
        ({"founded_year": "nineteen"}, "Enter a year like 1993."),
        ({"founded_year": "99999999999999999999"}, "Enter a year like 1993."),
        ({"name": "N" * 201}, "This is too long: at most 200 characters."),
    ]
    for changes, message in cases:
        response = client.post("/networks/new", data=network_form(**changes))
        assert response.status_code == 422, changes
        assert message in field_errors(response.get_data(as_text=True)), (changes, field_errors(response.get_data(as_text=True)))
    assert count(Network) == 1


def test_a_stale_network_edit_saves_nothing(client, make, auth):
    network = make.network(acronym="NADI", name="Old")
    auth.login(role="admin")
    seen = network_form(acronym="NADI", name="Old", version=network.version)
    client.post(f"/networks/{network.id}/edit", data={**seen, "name": "Theirs"})

    response = client.post(f"/networks/{network.id}/edit", data={**seen, "name": "Mine"})

    assert response.status_code == 409 and "Theirs" in response.get_data(as_text=True)
    assert fresh(network).name == "Theirs"


def test_an_organiser_adds_and_edits_an_institute_of_their_network(client, make, auth):
    nadi, cscap = make.network(acronym="NADI"), make.network(acronym="CSCAP")
    auth.login(role="organiser", networks=[nadi])

    form = client.get(f"/networks/{nadi.id}/institutes/new").get_data(as_text=True)
    assert f'<option selected value="{nadi.id}">' in form
    response = client.post(f"/networks/{nadi.id}/institutes/new", data=institute_form([nadi]))
    assert response.status_code == 302
    institute = db.session.scalar(select(MemberInstitute))
    assert (institute.acronym, institute.country, [n.acronym for n in institute.networks]) == ("RSIS", "SG", ["NADI"])
    assert "S. Rajaratnam School" in client.get(f"/networks/{nadi.id}").get_data(as_text=True)

    # Adding a network one does not organise is refused at the field.
    refused = client.post(f"/institutes/{institute.id}/edit",
                          data=institute_form([nadi, cscap], version=institute.version))
    assert refused.status_code == 422
    assert "You can only add or remove networks you organise." in field_errors(refused.get_data(as_text=True))
    assert [n.acronym for n in fresh(institute).networks] == ["NADI"]

    saved = client.post(f"/institutes/{institute.id}/edit",
                        data=institute_form([nadi], city="Singapore 639798", version=institute.version))
    assert saved.status_code == 302 and fresh(institute).city == "Singapore 639798"


def test_institute_form_errors(client, make, auth):
    nadi = make.network()
    make.institute(networks=[nadi], name="Existing Institute")
    auth.login(role="admin")
    cases = [
        ({"name": ""}, "Enter the institute's name."),
        ({"name": "existing institute"}, "An institute with this name already exists."),
        ({"country": ""}, "Pick a country."),
        ({"country": "ZZ"}, "Pick from the list."),
        ({"networks": []}, "Pick at least one network the institute belongs to."),
        ({"website": "javascript:alert(1)"}, "Enter a full web address starting with https://"),
    ]
    for changes, message in cases:
        response = client.post(f"/networks/{nadi.id}/institutes/new", data=institute_form([nadi], **changes))
        assert response.status_code == 422, changes
        assert message in field_errors(response.get_data(as_text=True)), (changes, field_errors(response.get_data(as_text=True)))
    assert count(MemberInstitute) == 1


def test_a_stale_institute_edit_saves_nothing(client, make, auth):
    nadi = make.network()
    institute = make.institute(networks=[nadi], name="Old name")
    auth.login(role="organiser", networks=[nadi])
    seen = institute_form([nadi], name="Old name", version=institute.version)
    client.post(f"/institutes/{institute.id}/edit", data={**seen, "name": "Their name"})

    response = client.post(f"/institutes/{institute.id}/edit", data={**seen, "name": "My name"})

    assert response.status_code == 409 and "Their name" in response.get_data(as_text=True)
    assert fresh(institute).name == "Their name"
