"""API test helpers: a caller holding a bearer token for a user of some
role, and a small world of two networks to test organiser scoping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from workshops.api.operations import create_token

PREFIX = "/api/v1"


class Caller:
    """Sends API requests as one user (with their bearer token) or as nobody."""

    def __init__(self, client, user=None, token: str | None = None):
        self.client, self.user, self.token = client, user, token

    def _headers(self, headers=None) -> dict:
        headers = dict(headers or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, path: str, headers=None, **kw):
        return self.client.get(PREFIX + path, headers=self._headers(headers), **kw)

    def post(self, path: str, json=None, headers=None, **kw):
        return self.client.post(PREFIX + path, json=json, headers=self._headers(headers), **kw)

    def patch(self, path: str, json=None, headers=None, **kw):
        return self.client.patch(PREFIX + path, json=json, headers=self._headers(headers), **kw)


@pytest.fixture
def api(client, make):
    """api.as_role("organiser", networks=[n]) gives a Caller; api.anonymous has no token."""

    class Api:
        anonymous = Caller(client)

        @staticmethod
        def as_user(user) -> Caller:
            _, secret = create_token(user, user, "tests")
            return Caller(client, user, secret)

        @staticmethod
        def as_role(role: str = "admin", networks=()) -> Caller:
            return Api.as_user(make.user(role=role, networks=list(networks)))

    return Api()


@dataclass
class World:
    network: object
    other_network: object
    series: object
    workshop: object
    private_workshop: object
    draft_workshop: object
    other_workshop: object


@pytest.fixture
def world(make) -> World:
    """A public published workshop, a private one and a draft in one
    network, and a workshop in another network."""
    network = make.network(acronym="NADI", name="Network of ASEAN Defence and Security Institutions")
    other = make.network(acronym="CSCAP", name="Council for Security Cooperation in the Asia-Pacific")
    series = make.series(network=network, name="NADI Workshop on HADR")
    start = dt.date(2025, 6, 3)
    return World(
        network=network, other_network=other, series=series,
        workshop=make.workshop(series=series, title="HADR Workshop Jakarta", start_date=start,
                               visibility="public", status="published"),
        private_workshop=make.workshop(series=series, title="Closed-door Roundtable", start_date=start,
                                       visibility="private", status="published"),
        draft_workshop=make.workshop(series=series, title="Draft Meeting", start_date=start,
                                     visibility="public", status="draft"),
        other_workshop=make.workshop(series=make.series(network=other), title="CSCAP Study Group",
                                     start_date=start, visibility="public", status="published"),
    )
