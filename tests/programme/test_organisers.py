"""Meetings beyond one network's series (issue 13): a one-off meeting, a
meeting co-organised by several networks, several institutes in roles
(host, co-organiser, sponsor/funder). Who may edit it: organisers of any of
its networks. Through the form and the API, refusals at the field."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workshops.api.operations import create_token
from workshops.audit.models import AuditEntry
from workshops.extensions import db
from workshops.models import Workshop, WorkshopInstitute

from .helpers import count, field_errors, fresh
from .test_workshops import workshop_form


def organised_form(series, *, network=None, networks=(), institutes=(), **changes) -> dict:
    data = workshop_form(series, **changes)
    if network is not None:
        data["network"] = network
    data["networks"] = list(networks)
    for n, (institute, role) in enumerate(institutes):
        data[f"institutes-{n}-institute"], data[f"institutes-{n}-role"] = institute, role
    return data


def world(make):
    nadi, cscap, arf = (make.network(acronym=a, slug=a.lower()) for a in ("NADI", "CSCAP", "ARF"))
    rsis = make.institute(name="S. Rajaratnam School of International Studies", acronym="RSIS", networks=[nadi])
    isis = make.institute(name="ISIS Malaysia", acronym="ISIS", networks=[cscap])
    kas = make.institute(name="Konrad-Adenauer-Stiftung", acronym="KAS")
    return nadi, cscap, arf, rsis, isis, kas


def test_a_meeting_co_organised_by_two_networks_with_institutes_in_roles(client, make, auth):
    nadi, cscap, _arf, rsis, isis, kas = world(make)
    cscap_series = make.series(network=cscap, name="CSCAP Study Group on Maritime Security")
    # Led by NADI, in a CSCAP series: allowed because CSCAP co-organises it.
    auth.login(role="admin")
    response = client.post("/workshops/new", data=organised_form(
        cscap_series, network=nadi.id, networks=[cscap.id],
        institutes=[(rsis.id, "host"), (isis.id, "co_organiser"), (kas.id, "funder")]))

    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    workshop = db.session.scalar(select(Workshop))
    assert workshop.network == nadi and workshop.series == cscap_series
    assert [n.acronym for n in workshop.co_networks] == ["CSCAP"] and workshop.network_ids == [nadi.id, cscap.id]
    assert [(r.institute.acronym, r.role) for r in workshop.institute_roles] == [
        ("ISIS", "co_organiser"), ("KAS", "funder"), ("RSIS", "host")]
    assert workshop.host == rsis
    # Each role row is in the audit trail.
    labels = set(db.session.scalars(select(AuditEntry.object_label).where(AuditEntry.object_type == "WorkshopInstitute")))
    assert "Sponsor / funder KAS at “NADI Workshop on Disaster Relief 2025”" in labels

    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Hosted by RSIS · co-organised by ISIS · funded by KAS" in page
    assert "NADI</a> (lead), <a" in page and "Sponsor / funder" in page


def test_a_series_of_a_network_that_does_not_organise_the_meeting_is_refused_at_the_field(client, make, auth):
    nadi, cscap, _arf, *_ = world(make)
    cscap_series = make.series(network=cscap, name="CSCAP Study Group")
    auth.login(role="admin")

    response = client.post("/workshops/new", data=organised_form(cscap_series, network=nadi.id))

    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True)) == [
        "“CSCAP Study Group” is a series of CSCAP, which does not organise this workshop; pick a series of "
        "NADI, none (a one-off meeting), or add CSCAP as a network."]
    assert count(Workshop) == 0


def test_an_institute_twice_in_the_same_role_is_refused_and_nothing_is_saved(client, make, auth):
    nadi, _cscap, _arf, rsis, *_ = world(make)
    auth.login(role="organiser", networks=[nadi])

    response = client.post("/workshops/new", data=organised_form(
        None, network=nadi.id, institutes=[(rsis.id, "host"), (rsis.id, "host")]))

    assert response.status_code == 422
    assert "RSIS is listed twice as host; keep one row." in response.get_data(as_text=True)
    assert count(Workshop) == 0 and count(WorkshopInstitute) == 0


def test_organisers_of_a_co_organising_network_may_edit_it_and_others_may_not(client, make, auth):
    nadi, cscap, arf, rsis, _isis, kas = world(make)
    workshop = make.workshop(series=make.series(network=nadi), co_networks=[cscap], institutes=[(rsis, "host")])
    participation = make.participation(workshop=workshop)

    auth.login(role="organiser", networks=[cscap])
    assert client.get(f"/workshops/{workshop.id}/edit").status_code == 200
    assert participation.person.full_name in client.get(f"/workshops/{workshop.id}/participants").get_data(
        as_text=True)
    response = client.post(f"/workshops/{workshop.id}/edit", data=organised_form(
        workshop.series, title="Renamed by CSCAP", network=nadi.id, networks=[cscap.id],
        institutes=[(rsis.id, "host"), (kas.id, "funder")], slug=workshop.slug, version=workshop.version,
        shift_agenda="y"))
    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    workshop = fresh(workshop)
    assert workshop.title == "Renamed by CSCAP" and [i.acronym for i in workshop.institutes_in("funder")] == ["KAS"]

    auth.logout()
    auth.login(role="organiser", networks=[arf])
    assert client.get(f"/workshops/{workshop.id}/edit").status_code == 403
    assert client.post(f"/workshops/{workshop.id}/publish", data={"version": workshop.version}).status_code == 403
    assert participation.person.full_name not in client.get(
        f"/workshops/{workshop.id}/participants").get_data(as_text=True)


def test_the_workshop_list_filtered_by_network_includes_the_meetings_it_co_organised(client, make, auth):
    nadi, cscap, arf, *_ = world(make)
    make.workshop(series=make.series(network=nadi), title="Led by NADI", co_networks=[cscap])
    make.workshop(one_off=True, network=cscap, title="One-off of CSCAP")
    make.workshop(series=make.series(network=arf), title="Only ARF")
    auth.login(role="viewer")

    cscap_page = client.get(f"/workshops?network={cscap.id}").get_data(as_text=True)
    nadi_page = client.get(f"/workshops?network={nadi.id}").get_data(as_text=True)

    assert "Led by NADI" in cscap_page and "One-off of CSCAP" in cscap_page and "Only ARF" not in cscap_page
    assert "Led by NADI" in nadi_page and "One-off of CSCAP" not in nadi_page
    assert "One-off meeting" in cscap_page
    assert "NADI + CSCAP · " in cscap_page  # the lead first, then the co-organisers


def test_the_api_creates_and_reads_a_co_organised_meeting_and_refuses_at_the_field(client, make, auth):
    nadi, cscap, _arf, rsis, _isis, kas = world(make)
    cscap_series = make.series(network=cscap)
    user = make.user(role="organiser", networks=[nadi])
    token = create_token(user, user, "tests")[1]
    headers = {"Authorization": f"Bearer {token}"}
    body = {"title": "ARF seminar", "network": nadi.id, "networks": [cscap.id], "series": cscap_series.id,
            "institutes": [{"institute_id": rsis.id, "role": "host"}, {"institute_id": kas.id, "role": "funder"}],
            "start_date": "2025-10-14", "timezone": "Asia/Singapore", "country": "SG"}

    created = client.post("/api/v1/workshops", json=body, headers=headers)

    assert created.status_code == 201, created.get_json()
    answer = created.get_json()
    assert (answer["network_id"], answer["network_ids"], answer["series_id"]) == (nadi.id, [cscap.id], cscap_series.id)
    assert [(i["institute_id"], i["role"]) for i in answer["institutes"]] == [(kas.id, "funder"), (rsis.id, "host")]
    assert answer["host"]["id"] == rsis.id

    # A one-off meeting: series null.
    changed = client.patch(f"/api/v1/workshops/{answer['id']}", json={"version": answer["version"], "series": None},
                           headers=headers)
    assert changed.status_code == 200 and changed.get_json()["series_id"] is None

    refused = [
        ({**body, "networks": []}, "series"),  # a CSCAP series, and CSCAP not among its networks
        ({**body, "institutes": [{"institute_id": 999_999, "role": "host"}]}, "institutes"),
        ({**body, "networks": [999_999]}, "networks"),
    ]
    before = count(Workshop)
    for sent, field in refused:
        response = client.post("/api/v1/workshops", json=sent, headers=headers)
        assert response.status_code == 422, (field, response.get_json())
        assert response.content_type == "application/problem+json"
        assert list(response.get_json()["errors"]) == [field], response.get_json()
    bad_role = client.post("/api/v1/workshops", json={**body, "institutes": [{"institute_id": rsis.id, "role": "x"}]},
                           headers=headers)
    assert bad_role.status_code == 422 and "institutes" in str(bad_role.get_json()["errors"])
    assert count(Workshop) == before


@pytest.mark.parametrize("rows", [
    {"institutes-0-institute": "9" * 30, "institutes-0-role": "host"},
    {"institutes-0-institute": "-1", "institutes-0-role": "host"},
    {"institutes-0-institute": "x", "institutes-0-role": "funder"},
    {"institutes-99999999999999999999-institute": "1", "institutes-99999999999999999999-role": "nobody"},
    {"networks": ["9223372036854775808"]},
    {"network": "2147483648"},
])
def test_odd_organiser_fields_are_refused_at_the_field_never_a_500(client, make, auth, rows):
    nadi, *_ = world(make)
    auth.login(role="admin")
    data = {**organised_form(None, network=nadi.id), **rows}

    response = client.post("/workshops/new", data=data)

    assert response.status_code == 422, rows
    assert field_errors(response.get_data(as_text=True)), rows
    assert count(Workshop) == 0


def test_the_participants_agenda_names_everyone_for_organisers_of_a_co_organising_network(client, make, auth):
    nadi, cscap, arf, *_ = world(make)
    workshop = make.workshop(series=make.series(network=nadi), co_networks=[cscap], visibility="public")
    auth.login(role="organiser", networks=[cscap])
    assert "Share links" in client.get(f"/agenda/{workshop.slug}").get_data(as_text=True)
    assert client.get(f"/agenda/{workshop.slug}/links").status_code == 200

    auth.logout()
    auth.login(role="organiser", networks=[arf])
    assert "Share links" not in client.get(f"/agenda/{workshop.slug}").get_data(as_text=True)
    assert client.get(f"/agenda/{workshop.slug}/links").status_code == 403
