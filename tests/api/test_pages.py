"""API lists are Flask-SQLAlchemy's db.paginate (core/pagination.py), with
the document's promise kept: `pages` is at least 1, so an empty list past
its end still leads back to page 1."""

from __future__ import annotations


def test_an_empty_list_is_one_page_and_leads_back_to_it(api, world):
    body = api.as_role("admin").get("/workshops?country=AQ&page=3").get_json()

    assert (body["items"], body["total"], body["page"], body["pages"], body["next"]) == ([], 0, 3, 1, None)
    assert "page=1" in body["prev"]


def test_a_list_built_in_memory_pages_like_the_others(api, world, make):
    make.network()  # networks are counted in Python: three with the world's two
    caller = api.as_role("admin")

    first = caller.get("/networks?per_page=2").get_json()
    last = caller.get("/networks?per_page=2&page=2").get_json()

    assert (first["total"], first["pages"], len(first["items"])) == (3, 2, 2)
    assert first["next"] and "page=2" in first["next"] and first["prev"] is None
    assert len(last["items"]) == 1 and last["next"] is None and "page=1" in last["prev"]
