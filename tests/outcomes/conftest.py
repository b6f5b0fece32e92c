"""A small world for the outcomes stories: two networks, a workshop in
each, an agenda item, themes and Track-1 bodies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest


@dataclass
class World:
    network: object
    other_network: object
    workshop: object
    other_workshop: object
    item: object
    theme: object
    theme2: object
    arf: object
    admm: object


@pytest.fixture
def world(make) -> World:
    network = make.network(acronym="NADI", slug="nadi", name="Network of ASEAN Defence and Security Institutions")
    other = make.network(acronym="CSCAP", slug="cscap", name="Council for Security Cooperation")
    series = make.series(network=network, name="NADI annual meeting")
    workshop = make.workshop(series=series, title="NADI annual meeting 2024",
                             start_date=dt.date(2024, 3, 4), end_date=dt.date(2024, 3, 6))
    other_workshop = make.workshop(series=make.series(network=other), title="CSCAP study group 2024",
                                   start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 5, 2))
    item = make.agenda_item(workshop=workshop, title="Panel on disaster response", kind="panel")
    return World(
        network=network, other_network=other, workshop=workshop, other_workshop=other_workshop, item=item,
        theme=make.theme(name="HADR", slug="hadr"), theme2=make.theme(name="Maritime security", slug="maritime"),
        arf=make.track1_body(name="ASEAN Regional Forum", acronym="ARF", kind="regional_forum",
                             level="ministerial"),
        admm=make.track1_body(name="ASEAN Defence Ministers' Meeting", acronym="ADMM",
                              kind="ministerial_meeting", level="ministerial"),
    )
