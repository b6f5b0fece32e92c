"""The API and the report's CSV carry follow-up: owner, next check and the
checks with no trace found; PATCH sets the owner, POST …/checks logs a
check without changing the stage; bad input is a problem naming the field
and changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io

from workshops.extensions import db
from workshops.outcomes.models import FollowUpCheck, Recommendation


def _reload(rec):
    db.session.expire_all()
    return db.session.get(Recommendation, rec.id)


def test_patch_sets_owner_and_next_check_and_checks_are_logged(api, make, world):
    organiser = api.as_role("organiser", networks=[world.network])
    colleague = make.user(role="organiser", networks=[world.network], name="Colleague")
    outsider = make.user(role="organiser", networks=[world.other_network])
    rec = make.recommendation(workshop=world.workshop, title="Followed")
    make.uptake_event(recommendation=rec, stage="transmitted", occurred_on=dt.date(2025, 7, 1))

    refused = organiser.patch(f"/recommendations/{rec.id}", json={"version": _reload(rec).version,
                                                                   "owner_id": outsider.id, "title": "Renamed"})
    assert refused.status_code == 422
    assert "owner_id" in refused.get_data(as_text=True)
    assert (_reload(rec).owner_id, _reload(rec).title) == (None, "Followed")

    answer = organiser.patch(f"/recommendations/{rec.id}", json={
        "version": _reload(rec).version, "owner_id": colleague.id, "next_check_on": "2027-02-01",
        "title": "Renamed"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert (body["owner_id"], body["owner"], body["next_check_on"], body["title"]) == (
        colleague.id, "Colleague", "2027-02-01", "Renamed")

    logged = organiser.post(f"/recommendations/{rec.id}/checks", json={
        "note": "Nothing in the ADMM work plan.", "next_check_on": "2027-06-01"})
    assert logged.status_code == 201, logged.get_data(as_text=True)
    body = logged.get_json()
    assert body["stage"] == "transmitted"
    assert body["next_check_on"] == "2027-06-01"
    assert [c["note"] for c in body["checks"]] == ["Nothing in the ADMM work plan."]
    assert body["checks"][0]["checked_by"] == organiser.user.name
    assert organiser.get(f"/recommendations/{rec.id}").get_json()["checks"][0]["checked_on"] == \
        dt.date.today().isoformat()


def test_a_bad_check_is_a_problem_and_nothing_is_saved(api, make, world):
    organiser = api.as_role("organiser", networks=[world.network])
    rec = make.recommendation(workshop=world.workshop)
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()

    response = organiser.post(f"/recommendations/{rec.id}/checks", json={"checked_on": future})

    assert response.status_code == 422
    assert "checked_on" in response.get_data(as_text=True)
    assert db.session.query(FollowUpCheck).count() == 0
    assert api.as_role("organiser", networks=[world.other_network]).post(
        f"/recommendations/{rec.id}/checks", json={}).status_code == 403


def test_the_report_csv_carries_owner_next_check_and_checks(client, auth, make, world):
    owner = make.user(role="organiser", networks=[world.network], name="Owner Person")
    rec = make.recommendation(workshop=world.workshop, reference="NADI-2025-9", owner_id=owner.id,
                              next_check_on=dt.date(2026, 1, 10))
    from workshops.outcomes import operations as ops
    ops.log_check(owner, rec, {"checked_on": "2025-09-01", "note": "nothing"})
    ops.log_check(owner, rec, {"checked_on": "2025-10-01", "note": "still nothing"})
    auth.login(role="admin")

    text = client.get("/reports/2025.csv?as_of=2026-03-01").get_data(as_text=True)

    rows = {r["Reference"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    row = rows["NADI-2025-9"]
    assert (row["Owner"], row["Next check"], row["Checks with no trace"], row["Last check"]) == (
        "Owner Person", "2026-01-10", "2", "2025-10-01")
    assert list(rows["NADI-2025-9"])[-1].startswith("Stale on")
