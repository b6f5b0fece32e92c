"""Series: recurring lines of meetings, with a lifecycle of active,
dormant and revived spells."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from workshops.extensions import db
from workshops.models import Series, SeriesStatusChange

from .helpers import audit_entries, count, field_errors, fresh


def series_form(network, /, **changes) -> dict:
    data = {"network": network.id, "name": "CSCAP Study Group on Maritime Security", "slug": "",
            "kind": "study_group", "description": "Meets twice a year.", "active_since": ""}
    data.update(changes)
    return data


def test_the_series_list_filters_by_network_and_current_status(client, make, auth):
    nadi, cscap = make.network(acronym="NADI"), make.network(acronym="CSCAP")
    make.series(network=nadi, name="NADI Annual Meeting", status_history=[("active", dt.date(2007, 1, 1), "")])
    make.series(network=cscap, name="Study Group on Export Controls",
                status_history=[("active", dt.date(2005, 1, 1), ""), ("dormant", dt.date(2012, 1, 1), "")])
    make.series(network=cscap, name="Study Group on Water Security",
                status_history=[("active", dt.date(2008, 1, 1), ""), ("dormant", dt.date(2012, 1, 1), ""),
                                ("revived", dt.date(2022, 1, 1), "")])
    auth.login(role="viewer")

    def names(query):
        """The series listed, in the order of the page."""
        html = client.get("/series" + query).get_data(as_text=True)
        found = [n for n in ("NADI Annual Meeting", "Export Controls", "Water Security") if n in html]
        return sorted(found, key=html.index)

    assert names("") == ["Export Controls", "Water Security", "NADI Annual Meeting"]  # by network, then name
    assert names(f"?network={nadi.id}") == ["NADI Annual Meeting"]
    assert names("?status=dormant") == ["Export Controls"]
    assert names(f"?status=revived&network={cscap.id}") == ["Water Security"]
    assert names("?status=extinct&network=-1") == ["Export Controls", "Water Security", "NADI Annual Meeting"]


def test_the_series_page_lists_its_meetings_and_its_lifecycle(client, make, auth):
    series = make.series(name="NADI Annual Meeting", status_history=[
        ("active", dt.date(2007, 4, 1), "First meeting in Singapore."),
        ("dormant", dt.date(2020, 3, 1), "Suspended during the pandemic."),
        ("revived", dt.date(2022, 3, 1), "Resumed in Phnom Penh.")])
    make.workshop(series=series, title="NADI Annual Meeting 2019", start_date=dt.date(2019, 3, 4))
    make.workshop(series=series, title="NADI Annual Meeting 2022", start_date=dt.date(2022, 3, 8), status="cancelled")
    auth.login(role="viewer")

    html = client.get(f"/series/{series.id}").get_data(as_text=True)

    for text in ("Meetings (2)", "NADI Annual Meeting 2019", "NADI Annual Meeting 2022", "Cancelled",
                 "Suspended during the pandemic.", "until 2022-03-01", "Revived</strong> from", "(now)"):
        assert text in html, text
    assert html.index("NADI Annual Meeting 2022") < html.index("NADI Annual Meeting 2019")
    assert "Record a lifecycle step" not in html and "Edit series" not in html


def test_an_organiser_creates_a_series_with_its_first_lifecycle_step(client, make, auth):
    cscap = make.network(acronym="CSCAP")
    auth.login(role="organiser", networks=[cscap])

    response = client.post("/series/new", data=series_form(cscap, active_since="2019-05-01"))

    series = db.session.scalar(select(Series))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/series/{series.id}")
    assert series.slug == "cscap-cscap-study-group-on-maritime-security"
    assert [(s.status, s.effective_on) for s in series.status_changes] == [("active", dt.date(2019, 5, 1))]
    assert [e.action for e in audit_entries("Series")] == ["create"]


def test_series_form_errors(client, make, auth):
    mine, other = make.network(), make.network()
    make.series(network=mine, slug="taken")
    auth.login(role="organiser", networks=[mine])
    cases = [
        ({"name": ""}, "Enter the series' name."),
        ({"slug": "taken"}, "This web address is already used; choose another."),
        ({"kind": "party"}, "Pick from the list."),
        ({"network": "not a number"}, "Pick from the list."),
        ({"active_since": "yesterday"}, "Enter a date like 2025-06-03."),
    ]
    for changes, message in cases:
        response = client.post("/series/new", data=series_form(mine, **changes))
        assert response.status_code == 422, changes
        assert message in field_errors(response.get_data(as_text=True)), (changes, field_errors(response.get_data(as_text=True)))
    assert client.post("/series/new", data=series_form(other)).status_code == 403
    assert count(Series) == 1


def test_editing_a_series_and_a_stale_edit(client, make, auth):
    series = make.series(name="Old name")
    auth.login(role="organiser", networks=[series.network])
    seen = series_form(series.network, name="Old name", slug=series.slug, version=series.version)

    assert client.post(f"/series/{series.id}/edit", data={**seen, "name": "New name"}).status_code == 302
    stale = client.post(f"/series/{series.id}/edit", data={**seen, "name": "Other name"})

    assert fresh(series).name == "New name"
    assert stale.status_code == 409 and "New name" in stale.get_data(as_text=True)


def test_recording_lifecycle_steps(client, make, auth):
    series = make.series(status_history=[("active", dt.date(2010, 1, 1), "")])
    auth.login(role="organiser", networks=[series.network])

    too_early = client.post(f"/series/{series.id}/status",
                            data={"status": "revived", "effective_on": "2015-01-01", "note": ""})
    assert too_early.status_code == 422
    assert any("revived after a dormant spell" in e for e in field_errors(too_early.get_data(as_text=True)))

    dormant = client.post(f"/series/{series.id}/status",
                          data={"status": "dormant", "effective_on": "2014-06-01", "note": "Funding ended."})
    assert dormant.status_code == 302
    revived = client.post(f"/series/{series.id}/status",
                          data={"status": "revived", "effective_on": "2018-02-01", "note": "New donor."})
    assert revived.status_code == 302
    same_day = client.post(f"/series/{series.id}/status",
                           data={"status": "dormant", "effective_on": "2018-02-01", "note": ""})
    assert same_day.status_code == 422
    assert "This series already has a step on that day; pick another date." in \
        field_errors(same_day.get_data(as_text=True))
    no_date = client.post(f"/series/{series.id}/status", data={"status": "dormant", "effective_on": ""})
    assert no_date.status_code == 422

    steps = db.session.scalars(select(SeriesStatusChange).order_by(SeriesStatusChange.effective_on)).all()
    assert [(s.status, s.note) for s in steps] == [("active", ""), ("dormant", "Funding ended."),
                                                   ("revived", "New donor.")]
    assert fresh(series).current_status == "revived"
    page = client.get(f"/series/{series.id}").get_data(as_text=True)
    assert "Funding ended." in page and "SeriesStatusChange" not in page
    assert "Created: dormant from 2014-06-01" in page  # the step in the change history
