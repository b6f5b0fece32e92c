"""The report's network filter counts a workshop in every network that
organised it (lead or co-organiser); the funder filter keeps the workshops
an institute funded (issues 13 and 16). A small world of its own; every
expected figure is worked out by hand beside its assertion."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from workshops.extensions import db
from workshops.reports.queries import build_report, resolve_filters

D = dt.date
AS_OF = D(2026, 3, 1)


@pytest.fixture
def little(make):
    with make.batch():
        nadi = make.network(acronym="NADI", slug="nadi")
        cscap = make.network(acronym="CSCAP", slug="cscap")
        arf = make.network(acronym="ARF", slug="arf")
        kas = make.institute(name="Konrad-Adenauer-Stiftung", acronym="KAS")
        jf = make.institute(name="Japan Foundation", acronym="JF")
        host = make.institute(name="RSIS", acronym="RSIS")
        nadi_series = make.series(network=nadi, slug="nadi-annual", name="NADI annual meeting")

        def workshop(slug, start, **kw):
            kw.setdefault("status", "published")
            return make.workshop(slug=slug, title=f"Workshop {slug}", start_date=start, end_date=start,
                                 city=None, country=None, **kw)

        # w1: led by NADI in its series, co-organised by CSCAP, hosted by RSIS, funded by KAS.
        w1 = workshop("w1", D(2025, 3, 4), series=nadi_series, co_networks=[cscap],
                      institutes=[(host, "host"), (kas, "funder")])
        # w2: a CSCAP one-off, funded by the Japan Foundation.
        w2 = workshop("w2", D(2025, 6, 10), one_off=True, network=cscap, institutes=[(jf, "funder")])
        # w3: a NADI one-off with no funder.
        w3 = workshop("w3", D(2025, 9, 1), one_off=True, network=nadi)
        # w4: led by ARF, co-organised by NADI, funded by KAS, but cancelled: counted nowhere.
        workshop("w4", D(2025, 10, 1), one_off=True, network=arf, co_networks=[nadi],
                 institutes=[(kas, "funder")], status="cancelled")
        # w5: KAS as host only (not a funder) of an ARF meeting.
        w5 = workshop("w5", D(2025, 11, 5), one_off=True, network=arf, institutes=[(kas, "host")])
        for w, n in ((w1, 2), (w2, 1), (w3, 1), (w5, 1)):
            for _ in range(n):
                make.recommendation(workshop=w)
        for w, people in ((w1, 3), (w2, 2), (w3, 1), (w5, 1)):
            for _ in range(people):
                make.participation(workshop=w)
    db.session.expire_all()
    return SimpleNamespace(nadi=nadi, cscap=cscap, arf=arf, kas=kas, jf=jf, host=host)


def report(**args):
    args["as_of"] = AS_OF.isoformat()
    return build_report(resolve_filters(2025, args, today=D(2030, 1, 1)))


def test_a_workshop_counts_in_every_network_that_organised_it(little):
    everything = report()
    # Held in 2025: w1, w2, w3, w5 (w4 cancelled) = 4; recommendations 2 + 1 + 1 + 1 = 5.
    assert everything.activity["workshops_held"] == 4 and everything.funnel["total"] == 5
    # By network, each workshop under each of its networks: NADI w1 w3, CSCAP w1 w2, ARF w5.
    assert everything.activity["by_network"] == [
        {"label": "CSCAP", "count": 2}, {"label": "NADI", "count": 2}, {"label": "ARF", "count": 1}]

    # NADI: w1 (lead) and w3 (one-off); not w4 (cancelled). Recommendations 2 + 1; attendees 3 + 1.
    nadi = report(network="NADI")
    assert nadi.activity["workshops_held"] == 2 and nadi.funnel["total"] == 3
    assert nadi.participation["attendees"] == 4
    # CSCAP: w1 (co-organiser) and w2 (its one-off). Recommendations 2 + 1; attendees 3 + 2.
    cscap = report(network="cscap")
    assert cscap.activity["workshops_held"] == 2 and cscap.funnel["total"] == 3
    assert cscap.participation["attendees"] == 5
    # ARF: w5 only.
    assert report(network=str(little.arf.id)).activity["workshops_held"] == 1


def test_the_funder_filter_keeps_the_workshops_an_institute_funded(little):
    # KAS funded w1 and w4 (cancelled), and only hosted w5: w1, its 2 recommendations and 3 attendees.
    kas = report(funder="KAS")
    assert kas.filters.funder_id == little.kas.id and kas.filters.funder_name == "Konrad-Adenauer-Stiftung"
    assert kas.activity["workshops_held"] == 1 and kas.funnel["total"] == 2
    assert kas.participation["attendees"] == 3
    assert report(funder=str(little.kas.id)).funnel == kas.funnel  # by id, the same report
    # The Japan Foundation funded w2: 1 workshop, 1 recommendation.
    jf = report(funder="jf")
    assert jf.activity["workshops_held"] == 1 and jf.funnel["total"] == 1
    # Funder and network together: KAS and CSCAP share w1; the Japan Foundation and NADI share nothing.
    assert report(funder="KAS", network="CSCAP").activity["workshops_held"] == 1
    assert report(funder="JF", network="NADI").activity["workshops_held"] == 0
    # The report's JSON says the filter.
    assert kas.as_dict()["filters"]["funder"] == little.kas.id
    assert kas.as_dict()["filters"]["funder_name"] == "Konrad-Adenauer-Stiftung"
    assert "funded by KAS" in kas.filters.describe()


@pytest.mark.parametrize("typed", ["Nobody", "99999", "99999999999999999999", "RSIS"])
def test_an_unknown_funder_is_a_clear_message_never_a_500(client, auth, little, typed):
    """RSIS exists but funded nothing (it only hosted): not a funder either."""
    auth.login(role="viewer")
    page = client.get(f"/reports/2025?funder={typed}")
    assert page.status_code == 400
    message = f"There is no funder “{typed}”. Choose one from the list, or leave it empty for all funders."
    assert message in page.get_data(as_text=True).replace("&#34;", '"')
    answer = client.get(f"/reports/2025.json?funder={typed}")
    assert answer.status_code == 400 and answer.get_json()["errors"] == {"funder": message}
    assert client.get(f"/reports/2025.csv?funder={typed}").status_code == 400


def test_the_page_offers_the_funders_and_keeps_the_filter_in_its_downloads(client, auth, little):
    auth.login(role="viewer")
    html = client.get(f"/reports/2025?funder={little.kas.id}&as_of={AS_OF.isoformat()}").get_data(as_text=True)
    assert f'<option value="{little.kas.id}" selected>KAS — Konrad-Adenauer-Stiftung</option>' in html
    assert f'<option value="{little.jf.id}">JF — Japan Foundation</option>' in html
    assert "— RSIS</option>" not in html  # an institute that funded nothing is not offered
    assert f"/reports/2025.csv?funder={little.kas.id}" in html


def test_the_number_of_statements_does_not_grow_with_the_funders_workshops(app, make, little, count_statements):
    filters = resolve_filters(2025, {"funder": "KAS", "as_of": AS_OF.isoformat()}, today=D(2030, 1, 1))
    with count_statements() as small:
        build_report(filters)
    with make.batch():
        for day in range(1, 6):
            w = make.workshop(one_off=True, network=little.nadi, start_date=D(2025, 4, day),
                              end_date=D(2025, 4, day), institutes=[(little.kas, "funder")], city=None, country=None)
            make.recommendation(workshop=w)
            make.participation(workshop=w)
    db.session.expire_all()
    with count_statements() as large:
        grown = build_report(filters)
    assert grown.activity["workshops_held"] == 6  # w1 and the five new ones
    assert len(large) == len(small)
