"""A NUL character in any text part of an address is a plain 404, as an
address that never existed, on both engines: PostgreSQL refuses a NUL in a
query parameter (a 500 for `/agenda/%00` before), and no route should pass
one to its view at all (workshops/core/urls.py)."""

from __future__ import annotations

import re

import pytest
from werkzeug.exceptions import NotFound

TEXT_PART = re.compile(r"<(?:(?:string|path|default)(?:\([^)]*\))?:)?([a-z_]+)>")
INT_PART = re.compile(r"<int:([a-z_]+)>")
ANY_PART = re.compile(r"<any\(([^,)]+)[^)]*\):([a-z_]+)>")


def _with_nul(rule: str) -> str:
    path = INT_PART.sub("1", rule)
    path = ANY_PART.sub(lambda m: m.group(1).strip(), path)
    return TEXT_PART.sub("a\x00b", path)


def _text_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route with a text part, each text part holding a NUL."""
    found = []
    for rule in app.url_map.iter_rules():
        # Flask adds /static/<path:filename> before the app can choose its
        # converters; a NUL there finds no file (checked below).
        if not TEXT_PART.search(rule.rule) or rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST", "PATCH", "DELETE"}):
            found.append((method, _with_nul(rule.rule)))
    return found


def test_no_route_matches_a_text_part_holding_a_nul(app):
    routes = _text_routes(app)
    assert len(routes) >= 15  # agendas and their feeds, share links, reports by year…
    adapter = app.url_map.bind("localhost")
    for method, path in routes:
        with pytest.raises(NotFound):
            adapter.match(path, method=method)
        # The same address without the NUL still finds its route.
        adapter.match(path.replace("\x00", ""), method=method)


@pytest.mark.parametrize("visitor", ["anonymous", "admin"])
def test_a_nul_in_a_slug_is_not_found_on_every_engine(client, auth, make, visitor):
    workshop = make.workshop(visibility="public", slug="nadi-2025")
    if visitor == "admin":
        auth.login(role="admin")
    for path in ("/agenda/%00", "/agenda/nadi-2025%00", "/agenda/%00/agenda.ics", "/agenda/%00/schedule.json",
                 f"/agenda/nadi-2025/s/{'A' * 31}%00", f"/agenda/nadi-2025/items/{'%00' * 3}.ics",
                 "/agenda/%00/links", "/static/app.css%00"):
        response = client.get(path)
        assert response.status_code == 404, path
    assert client.get(f"/agenda/{workshop.slug}").status_code == 200
