"""The API's participation carries the self-described gender (people/gender.py):
set on adding and patching, cleaned, refused naming the field when too long."""

from __future__ import annotations


def test_gender_is_set_cleaned_and_refused_when_too_long(api, world, make):
    caller = api.as_role("organiser", networks=[world.network])
    known = make.person(full_name="Kenji Sato")
    created = caller.post(f"/workshops/{world.workshop.id}/participants",
                          json={"person_id": known.id, "gender": "  Non   binary "})
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert body["gender"] == "Non binary"
    patched = caller.patch(f"/participations/{body['id']}", json={"version": body["version"], "gender": None})
    assert patched.status_code == 200 and patched.get_json()["gender"] is None
    bad = caller.patch(f"/participations/{body['id']}", json={"version": patched.get_json()["version"],
                                                               "gender": "x" * 61})
    assert bad.status_code in (400, 422) and "gender" in bad.get_json()["errors"]
