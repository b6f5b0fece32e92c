"""Written outputs (issue 13, item 2): an output is recorded, changed and
deleted by the organisers of its network through the same operations as
the API; a recommendation may come from an output alone, and then every
page that lists, dates or scopes recommendations reads it by the output."""

from __future__ import annotations

import datetime as dt

import pytest

from workshops.audit.models import AuditEntry
from workshops.extensions import db
from workshops.models import Output, Recommendation

from ..conftest import count, form_errors


@pytest.fixture
def scene(make):
    cscap = make.network(acronym="CSCAP", slug="cscap", name="Council for Security Cooperation")
    nadi = make.network(acronym="NADI", slug="nadi", name="NADI")
    series = make.series(network=cscap, name="CSCAP Study Group on Maritime Security")
    workshop = make.workshop(series=series, title="CSCAP study group meeting", start_date=dt.date(2024, 3, 4))
    organiser = make.user(role="organiser", networks=[cscap])
    stranger = make.user(role="organiser", networks=[nadi])
    return {"cscap": cscap, "nadi": nadi, "series": series, "workshop": workshop, "organiser": organiser,
            "stranger": stranger}


def _output(make, network, **kw):
    from workshops.audit.operations import unit_of_work

    kw.setdefault("kind", "memorandum")
    kw.setdefault("title", "CSCAP Memorandum No. 1")
    kw.setdefault("date", dt.date(2023, 6, 1))
    kw.setdefault("date_precision", "month")
    with unit_of_work(system="test"):
        output = Output(network=network, **kw)
        db.session.add(output)
    return output


FORM = {"kind": "memorandum", "title": "CSCAP Memorandum No. 26", "date": "June 2007",
        "issuing_body": "CSCAP Steering Committee", "url": "https://www.cscap.org/memo26.pdf",
        "summary": "Countering transnational crime."}


def test_an_organiser_records_an_output_with_a_month_date_through_the_form(client, auth, scene):
    auth.login(scene["organiser"])
    page = client.get("/outputs/new")
    assert page.status_code == 200 and "Record an output" in page.text
    answer = client.post("/outputs/new", data={**FORM, "network": scene["cscap"].id,
                                               "series_id": scene["series"].id,
                                               "workshop_ids": [scene["workshop"].id]})
    assert answer.status_code == 302, form_errors(answer.text)
    output = db.session.scalar(db.select(Output))
    assert (output.date, output.date_precision, output.approximate) == (dt.date(2007, 6, 1), "month", False)
    assert [w.id for w in output.workshops] == [scene["workshop"].id]
    assert len([e for e in db.session.scalars(db.select(AuditEntry)) if e.object_type == "Output"]) == 1
    shown = client.get(answer.headers["Location"]).text
    assert "June 2007" in shown and "CSCAP Steering Committee" in shown and "CSCAP study group meeting" in shown


@pytest.mark.parametrize("change, field, message", [
    ({"date": "2008-02-30"}, "date", "has no day 30"),
    ({"date": "before"}, "date", "not the date"),
    ({"title": ""}, "title", "title"),
    ({"url": "javascript:alert(1)"}, "url", "https://"),
])
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(client, auth, scene, change, field, message):
    auth.login(scene["organiser"])
    before = (count(Output), count(AuditEntry))
    answer = client.post("/outputs/new", data={**FORM, "network": scene["cscap"].id, **change})
    assert answer.status_code == 422
    assert any(message in e for e in form_errors(answer.text)), form_errors(answer.text)
    assert (count(Output), count(AuditEntry)) == before


def test_a_series_of_another_network_is_refused(client, auth, scene, make):
    other_series = make.series(network=scene["nadi"])
    auth.login(scene["organiser"])
    answer = client.post("/outputs/new", data={**FORM, "network": scene["cscap"].id, "series_id": other_series.id})
    assert answer.status_code == 422 and count(Output) == 0


def test_an_organiser_of_another_network_is_refused_and_nothing_changes(client, auth, scene, make):
    output = _output(make, scene["cscap"])
    auth.login(scene["stranger"])
    before = (count(Output), count(AuditEntry), output.version)
    assert client.get(f"/outputs/{output.id}/edit").status_code == 403
    assert client.post(f"/outputs/{output.id}/edit", data={**FORM, "network": scene["cscap"].id,
                                                            "version": output.version}).status_code == 403
    assert client.post(f"/outputs/{output.id}/delete").status_code == 403
    assert client.post(f"/outputs/{output.id}/recommendations/new",
                       data={"title": "X", "text": "Y", "priority": "low", "output_id": output.id}).status_code == 403
    db.session.expire_all()
    assert (count(Output), count(AuditEntry), db.session.get(Output, output.id).version) == before
    assert count(Recommendation) == 0


def test_an_output_with_recommendations_is_not_deleted(client, auth, scene, make):
    output = _output(make, scene["cscap"])
    make.recommendation(workshop=None, output=output)
    auth.login(scene["organiser"])
    answer = client.post(f"/outputs/{output.id}/delete")
    assert answer.status_code == 409 and count(Output) == 1
    assert "1 recommendation comes from this output" in answer.text


def test_an_output_only_recommendation_is_recorded_and_shown_by_its_output(client, auth, scene, make):
    output = _output(make, scene["cscap"], date=dt.date(2023, 6, 1), date_precision="month")
    auth.login(scene["organiser"])
    answer = client.post(f"/outputs/{output.id}/recommendations/new",
                         data={"title": "Maritime hotline", "text": "Set up a hotline.", "priority": "high",
                               "output_id": output.id})
    assert answer.status_code == 302, form_errors(answer.text)
    rec = db.session.scalar(db.select(Recommendation))
    assert rec.workshop_id is None and rec.output_id == output.id and rec.network_id == scene["cscap"].id
    page = client.get(answer.headers["Location"]).text
    assert "Put forward in the memorandum" in page and "June 2023" in page
    listed = client.get("/recommendations?year=2023").text
    assert "Maritime hotline" in listed and "CSCAP Memorandum No. 1" in listed
    assert "Maritime hotline" in client.get(f"/recommendations?network={scene['cscap'].id}").text
    assert "Maritime hotline" not in client.get(f"/recommendations?network={scene['nadi'].id}").text
    assert "Maritime hotline" in client.get("/search?q=hotline").text
    assert "Maritime hotline" in client.get(f"/outputs/{output.id}").text


def test_an_output_only_recommendation_goes_stale_counted_from_the_output_date(client, auth, scene, make):
    output = _output(make, scene["cscap"], date=dt.date(2020, 1, 1), date_precision="year")
    make.recommendation(workshop=None, output=output, title="Forgotten memo point")
    auth.login(scene["organiser"])
    follow_up = client.get("/follow-up").text
    assert "Forgotten memo point" in follow_up and 'issued <time class="nowrap">2020-01-01</time>' in follow_up


def test_an_event_before_the_output_is_refused(client, auth, scene, make):
    output = _output(make, scene["cscap"], date=dt.date(2023, 6, 1), date_precision="day")
    rec = make.recommendation(workshop=None, output=output)
    auth.login(scene["organiser"])
    for form in ("events/new", "edit", "close", "delete"):  # every form of it opens
        assert client.get(f"/recommendations/{rec.id}/{form}").status_code == 200, form
    answer = client.post(f"/recommendations/{rec.id}/events/new",
                         data={"occurred_on": "2023-05-31", "stage": "transmitted", "evidence_kind": "document",
                               "title": "Sent", "version": rec.version})
    assert answer.status_code == 422
    assert any("before the output was issued" in e for e in form_errors(answer.text))


def test_a_recommendation_needs_a_workshop_or_an_output(app, scene):
    from workshops.errors import Invalid
    from workshops.outcomes.operations import create_recommendation

    with pytest.raises(Invalid) as refused:
        create_recommendation(scene["organiser"], None, {"title": "T", "text": "X"})
    assert "output_id" in refused.value.errors and count(Recommendation) == 0


def test_a_recommendation_of_an_output_alone_is_edited_only_by_the_outputs_organisers(client, auth, scene, make):
    output = _output(make, scene["cscap"], date=dt.date(2023, 6, 1), date_precision="day")
    rec = make.recommendation(workshop=None, output=output, title="Untouched")
    auth.login(scene["stranger"])
    before = (count(Recommendation), count(AuditEntry), rec.version)
    for path, data in [
        (f"/recommendations/{rec.id}/edit", {"title": "Mine", "text": "X", "priority": "low", "output_id": output.id,
                                             "version": rec.version}),
        (f"/recommendations/{rec.id}/events/new", {"occurred_on": "2023-07-01", "stage": "transmitted",
                                                   "evidence_kind": "document", "title": "Sent"}),
        (f"/recommendations/{rec.id}/close", {"closed_as": "declined", "closed_on": "2024-01-01",
                                              "closed_reason": "No.", "version": rec.version}),
        (f"/recommendations/{rec.id}/delete", {}),
    ]:
        assert client.get(path).status_code == 403, path
        assert client.post(path, data=data).status_code == 403, path
    db.session.expire_all()
    assert (count(Recommendation), count(AuditEntry), db.session.get(Recommendation, rec.id).version) == before
    auth.logout()
    auth.login(scene["organiser"])
    answer = client.post(f"/recommendations/{rec.id}/events/new",
                         data={"occurred_on": "2023-07-01", "stage": "transmitted", "evidence_kind": "document",
                               "title": "Sent", "version": rec.version})
    assert answer.status_code == 302, form_errors(answer.text)


def test_a_workshops_recommendation_links_an_output_besides_its_workshop(client, auth, scene, make):
    output = _output(make, scene["cscap"], date=dt.date(2024, 4, 1), date_precision="month")
    other = _output(make, scene["nadi"], title="NADI paper")
    auth.login(scene["organiser"])
    form = {"title": "Both", "text": "From the meeting and its memorandum.", "priority": "medium"}
    refused = client.post(f"/workshops/{scene['workshop'].id}/recommendations/new", data={**form, "output_id": other.id})
    assert refused.status_code == 422 and count(Recommendation) == 0  # another network's output is not on the list
    answer = client.post(f"/workshops/{scene['workshop'].id}/recommendations/new", data={**form, "output_id": output.id})
    assert answer.status_code == 302, form_errors(answer.text)
    rec = db.session.scalar(db.select(Recommendation))
    assert (rec.workshop_id, rec.output_id) == (scene["workshop"].id, output.id)
    assert rec.origin_start == dt.date(2024, 3, 4)  # the workshop still dates it
    page = client.get(f"/recommendations/{rec.id}").text
    assert "CSCAP study group meeting" in page and "CSCAP Memorandum No. 1" in page


def test_an_uploaded_copy_is_stored_and_offered_as_a_download_and_a_fake_is_refused(client, auth, scene):
    import io

    from workshops.documents.models import Document

    auth.login(scene["organiser"])
    fake = client.post("/outputs/new", content_type="multipart/form-data",
                       data={**FORM, "network": scene["cscap"].id,
                             "upload": (io.BytesIO(b"MZ not a pdf"), "memo.pdf")})
    assert fake.status_code == 422 and (count(Output), count(Document)) == (0, 0)
    assert form_errors(fake.text)
    answer = client.post("/outputs/new", content_type="multipart/form-data",
                         data={**FORM, "network": scene["cscap"].id,
                               "upload": (io.BytesIO(b"%PDF-1.7\n%%EOF\n"), "memo 26.pdf")})
    assert answer.status_code == 302, form_errors(answer.text)
    output = db.session.scalar(db.select(Output))
    assert output.document is not None and output.document.filename.endswith(".pdf")
    page = client.get(answer.headers["Location"]).text
    link = f"/documents/{output.document.id}/"
    assert link in page
    download = client.get(link + output.document.filename)
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")


def test_the_workshop_page_names_the_outputs_it_produced(client, auth, scene, make):
    output = _output(make, scene["cscap"], kind="study_group_report", title="Study group report 2024")
    from workshops.audit.operations import unit_of_work

    with unit_of_work(system="test"):
        db.session.get(Output, output.id).workshops = [db.session.get(type(scene["workshop"]), scene["workshop"].id)]
    auth.login(scene["organiser"])
    page = client.get(f"/workshops/{scene['workshop'].id}").text
    assert "Study group report: " in page and "Study group report 2024" in page


def test_an_admin_gets_the_form_with_every_networks_workshops(client, auth, scene, make):
    make.workshop(series=make.series(network=scene["nadi"]), title="NADI meeting")
    auth.login(role="admin")
    page = client.get("/outputs/new")
    assert page.status_code == 200
    assert "NADI meeting" in page.text and "CSCAP study group meeting" in page.text
