"""Bad input gets problem details naming the field at fault, never a 500."""

from __future__ import annotations

import re

import pytest

from .conftest import PREFIX


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"] and body["error_id"]
    assert body["error_id"] == response.headers["X-Request-Id"]
    return body


@pytest.fixture
def admin(api):
    return api.as_role("admin")


def test_malformed_json_is_a_400(admin, world):
    for raw in (b"{not json", b'{"title": "x"', b"", b"\xff\xfe", b'{"title": "\\ud800"}', b"[" * 100_000):
        response = admin.post(f"/workshops/{world.workshop.id}/agenda", data=raw,
                              headers={"Content-Type": "application/json"})
        body = _problem(response, 400)
        assert "body" in body["errors"]


def test_a_body_that_is_not_an_object_is_a_422_naming_the_body(admin, world):
    for payload in (b"[1, 2]", b'"text"', b"42", b"null"):
        body = _problem(admin.post(f"/workshops/{world.workshop.id}/recommendations", data=payload,
                                   headers={"Content-Type": "application/json"}), 422)
        assert body["errors"] == {"body": "Send a JSON object."}


WRONG_FIELDS = [
    ("title", 42, "Give a text string."),
    ("title", "x" * 301, "This is too long: at most 300 characters."),
    ("title", "nul\u0000byte", "Text may not contain NUL characters."),
    ("series", "1", "Give a whole number."),
    ("series", 10**30, "Give a number less than or equal to 2147483647."),
    ("series", 1.5, "Give a whole number."),
    ("series", True, "Give a whole number."),
    ("start_date", "2025-02-30", "Give a date like 2025-06-03."),
    ("start_date", "0001-01-01", "Give a date between 1900-01-01 and 2200-12-31."),
    ("start_date", 1700000000, "Give a date like 2025-06-03."),
    ("country", "Indonesia", "Give a two-letter ISO country code, e.g. SG."),
    ("chatham_house", "yes", "Give true or false."),
    ("themes", [0], None),
    ("themes", "1,2", "Give a list."),
    ("format", "space", None),
    ("surprise", 1, "Unknown field: see the API documentation for the fields this takes."),
]


def test_wrong_fields_are_named_with_a_readable_message(admin, world):
    for field, value, message in WRONG_FIELDS:
        body = {"title": "A workshop", "series": world.series.id, "start_date": "2025-09-01",
                "timezone": "Asia/Jakarta", "country": "ID", field: value}
        problem = _problem(admin.post("/workshops", json=body), 422)
        key = next(iter(problem["errors"]))
        assert re.split(r"[.\[]", key)[0] == field, (field, value, problem["errors"])
        if message:
            assert problem["errors"][key] == message, (field, value)


def test_missing_fields_are_each_named(admin, world):
    problem = _problem(admin.post(f"/workshops/{world.workshop.id}/agenda", json={}), 422)
    assert set(problem["errors"]) == {"day", "start", "end", "title"}
    assert problem["errors"]["title"] == "This field is required."


def test_times_must_be_hh_mm(admin, world):
    problem = _problem(admin.post(f"/workshops/{world.workshop.id}/agenda", json={
        "day": "2025-06-03", "start": "9am", "end": "25:00", "title": "x"}), 422)
    assert problem["errors"] == {"start": "Give a time like 09:30 (24-hour clock, HH:MM).",
                                 "end": "Give a time like 09:30 (24-hour clock, HH:MM)."}


def test_bad_query_parameters_are_a_400_naming_them(admin):
    for query, name in (("year=soon", "year"), ("year=99999", "year"), ("page=0", "page"),
                        ("per_page=1000", "per_page"), ("network=%00", "network"), ("netwrok=1", "netwrok"),
                        ("status=secret", "status"), ("year=2024&year=2025", "year"),
                        ("network=99999999999999999999", "network")):
        body = _problem(admin.get("/workshops?" + query), 400)
        assert name in body["errors"], (query, body)
    body = _problem(admin.get("/people?q=" + "%00"), 400)
    assert "q" in body["errors"]


def test_strange_text_is_stored_and_read_back_unharmed(admin, world):
    title = "<script>alert(1)</script> \u202eRTL\u202c 漢字 ☃"
    response = admin.post(f"/workshops/{world.workshop.id}/recommendations",
                          json={"title": title, "text": "Control \u0007 characters \t and lines\n"})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["title"] == title


def test_unknown_records_and_routes_are_404_problems(admin, api):
    _problem(admin.get("/workshops/2147483647"), 404)
    _problem(admin.get("/workshops/99999999999999999999"), 404)
    _problem(admin.get("/nothing-here"), 404)
    _problem(api.anonymous.get("/workshops/0"), 404)


def test_a_wrong_method_is_a_405_problem(admin):
    response = admin.client.delete(PREFIX + "/workshops", headers=admin._headers())
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
