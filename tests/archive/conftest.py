"""The registries an archive names (networks, series, institutes, Track-1
bodies), as a secretariat would have registered them before importing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from workshops.extensions import db


@pytest.fixture
def registries(make):
    with make.batch():
        cscap = make.network(acronym="CSCAP", name="Council for Security Cooperation in the Asia Pacific",
                             slug="cscap")
        nadi = make.network(acronym="NADI", name="Network of ASEAN Defence and Security Institutions", slug="nadi")
        isis = make.network(acronym="ASEAN-ISIS", name="ASEAN Institutes of Strategic and International Studies",
                            slug="asean-isis")
        make.series(network=nadi, name="NADI Annual Meeting", slug="nadi-annual-meeting")
        make.series(network=cscap, name="CSCAP General Conference", slug="cscap-general-conference")
        make.series(network=isis, name="Asia-Pacific Roundtable", slug="asia-pacific-roundtable")
        for name, acronym, country in (
            ("S. Rajaratnam School of International Studies", "RSIS", "SG"),
            ("Institute of Strategic and International Studies Malaysia", "ISIS Malaysia", "MY"),
            ("Institute for Defence Studies Viet Nam", "IDS Vietnam", "VN"),
            ("Centre for Strategic and International Studies", "CSIS Indonesia", "ID"),
            ("Japan Institute of International Affairs", "JIIA", "JP"),
            ("Institute of Security and International Studies", "ISIS Thailand", "TH"),
            ("Australian National University Strategic and Defence Studies Centre", "SDSC", "AU"),
            ("Konrad Adenauer Stiftung", "KAS", "DE"),
        ):
            make.institute(name=name, acronym=acronym, country=country)
        for name, acronym in (
            ("ASEAN Regional Forum Senior Officials' Meeting", "ARF SOM"),
            ("ARF Inter-Sessional Meeting on Maritime Security", "ARF ISM-MS"),
            ("ARF Inter-Sessional Meeting on Counter-Terrorism and Transnational Crime", "ARF ISM on CTTC"),
            ("ARF Inter-Sessional Meeting on Disaster Relief", "ARF ISM on DR"),
            ("ASEAN Defence Ministers' Meeting", "ADMM"),
            ("ADMM-Plus Experts' Working Group on HADR", "ADMM-Plus EWG on HADR"),
            ("ASEAN Ministerial Meeting", "AMM"),
        ):
            make.track1_body(name=name, acronym=acronym)
    db.session.expire_all()
    return SimpleNamespace(networks=[cscap, nadi, isis], cscap=cscap, nadi=nadi, isis=isis)
