"""An id no INTEGER column can hold (2**31 and above) is simply not found:
404 on every route with an `<int:…>` part, pages and API alike, on both
engines (PostgreSQL refused such a number in a query: a 500)."""

from __future__ import annotations

import pytest

from workshops.db import MAX_INTEGER

TOO_LARGE = MAX_INTEGER + 1


def _int_routes(app):
    """(method, path) of every route whose parts are all numbers, each number
    2**31, as a person could type it into the address bar."""
    found = []
    for rule in app.url_map.iter_rules():
        converters = rule._converters  # noqa: SLF001  (the rule's own parts)
        if not converters or any(type(c).__name__ != "ColumnInteger" for c in converters.values()):
            continue
        path = rule.rule
        for name in converters:
            path = path.replace(f"<int:{name}>", str(TOO_LARGE))
        for method in sorted((rule.methods or set()) & {"GET", "POST", "PATCH"}):
            found.append((method, path))
    return found


def test_every_numbered_route_answers_404_for_an_id_beyond_an_integer_column(app, client, auth, make):
    admin = auth.login(role="admin")
    from workshops.api.operations import create_token

    _, token = create_token(admin, admin, "large ids")
    routes = _int_routes(app)
    assert len(routes) > 40  # pages and API: workshops, agendas, people, recommendations, reports…
    wrong = []
    for method, path in routes:
        headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
        response = client.open(path, method=method, headers=headers, json={} if method != "GET" else None)
        if response.status_code != 404:
            wrong.append((method, path, response.status_code))
    assert wrong == [], wrong


@pytest.mark.parametrize("path", ["/workshops/2147483648", "/api/v1/workshops/2147483648",
                                  "/api/v1/recommendations/9223372036854775808"])
def test_the_audits_example_is_a_plain_not_found(client, auth, path):
    auth.login(role="admin")
    response = client.get(path)
    assert response.status_code == 404
    assert "2147483647" not in response.get_data(as_text=True)
