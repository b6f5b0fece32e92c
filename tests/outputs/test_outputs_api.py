"""The outputs API (issue 13): the same rules as the form, problem+json
naming the field, nothing saved on a refusal; a recommendation takes an
optional output_id beside its workshop."""

from __future__ import annotations

import datetime as dt

import pytest

from workshops.audit.models import AuditEntry
from workshops.models import Output, Recommendation

from ..conftest import count

BODY = {"kind": "memorandum", "title": "CSCAP Memorandum No. 26", "date": "2007-06-01", "date_precision": "month",
        "issuing_body": "CSCAP Steering Committee", "url": "https://www.cscap.org/memo26.pdf"}


@pytest.fixture
def networks(make):
    return make.network(acronym="CSCAP", slug="cscap"), make.network(acronym="NADI", slug="nadi")


def test_an_output_round_trips_and_an_output_only_recommendation_is_recorded(api, make, networks):
    cscap, _ = networks
    workshop = make.workshop(series=make.series(network=cscap), start_date=dt.date(2007, 3, 5))
    caller = api.as_role("organiser", networks=[cscap])
    made = caller.post("/outputs", json={**BODY, "network": cscap.id, "workshop_ids": [workshop.id]})
    assert made.status_code == 201, made.json
    out = made.json
    assert (out["date"], out["date_precision"], out["approximate"]) == ("2007-06-01", "month", False)
    assert out["network"]["acronym"] == "CSCAP" and out["workshop_ids"] == [workshop.id]
    assert caller.get(f"/outputs/{out['id']}").json == out
    assert caller.get(f"/outputs?network={cscap.id}&year=2007").json["items"] == [out]

    changed = caller.patch(f"/outputs/{out['id']}", json={"version": out["version"], "date": "c. 2008"})
    assert changed.status_code == 200, changed.json
    assert (changed.json["date"], changed.json["date_precision"], changed.json["approximate"]) == \
        ("2008-01-01", "year", True)

    rec = caller.post("/recommendations", json={"output_id": out["id"], "title": "A maritime hotline",
                                                "text": "CSCAP recommends a hotline."})
    assert rec.status_code == 201, rec.json
    assert rec.json["workshop"] is None and rec.json["output_id"] == out["id"]
    assert rec.json["network"]["acronym"] == "CSCAP"
    assert caller.get("/recommendations?year=2008").json["total"] == 1


@pytest.mark.parametrize("change, field", [
    ({"date": "2008-02-30", "date_precision": "day"}, "date"),
    ({"date": "2007-06-12", "date_precision": "month"}, "date"),
    ({"date": "before"}, "date"),
    ({"kind": "poem"}, "kind"),
    ({"url": "ftp://x.org/a"}, "url"),
    ({"series_id": 999999}, "series_id"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(api, networks, change, field):
    cscap, _ = networks
    caller = api.as_role("organiser", networks=[cscap])
    before = (count(Output), count(AuditEntry))
    answer = caller.post("/outputs", json={**BODY, "network": cscap.id, **change})
    assert answer.status_code == 422, answer.json
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert field in answer.json["errors"], answer.json
    assert (count(Output), count(AuditEntry)) == before


def test_an_organiser_of_another_network_is_refused_and_nothing_changes(api, make, networks):
    cscap, nadi = networks
    owner = api.as_role("organiser", networks=[cscap])
    out = owner.post("/outputs", json={**BODY, "network": cscap.id}).json
    stranger = api.as_role("organiser", networks=[nadi])
    before = (count(Output), count(Recommendation), count(AuditEntry))
    assert stranger.patch(f"/outputs/{out['id']}", json={"version": out["version"], "title": "Mine"}).status_code == 403
    refused = stranger.post("/recommendations", json={"output_id": out["id"], "title": "T", "text": "X"})
    assert refused.status_code == 403
    # Another network's output: 403, as for a workshop (it was 422, a field error, before).
    assert stranger.post("/outputs", json={**BODY, "network": cscap.id}).status_code == 403
    assert (count(Output), count(Recommendation), count(AuditEntry)) == before
    assert owner.get(f"/outputs/{out['id']}").json["title"] == BODY["title"]


def test_a_recommendation_needs_a_workshop_or_an_output(api, networks):
    caller = api.as_role("admin")
    answer = caller.post("/recommendations", json={"title": "T", "text": "X"})
    assert answer.status_code == 422 and "output_id" in answer.json["errors"]
    assert count(Recommendation) == 0


def test_the_openapi_document_names_the_outputs_operations(api):
    paths = api.anonymous.get("/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/outputs"]) or {"get", "post"} <= set(paths["/outputs"])
