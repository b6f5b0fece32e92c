"""A small world for the 2025 outcome report, built from the factories,
with every edge case the report must get right. The expected figures are
worked out by hand in test_figures.py, next to the assertions."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from workshops.extensions import db

D = dt.date
AS_OF = D(2026, 3, 1)  # the report date the tests use


@pytest.fixture
def world(make):
    """Built from the factories in one unit of work (make.batch: one
    transaction): fast on both databases."""
    with make.batch():
        w = _build(make)
    db.session.expire_all()
    return w


def _build(make) -> SimpleNamespace:
    nadi = make.network(acronym="NADI", slug="nadi", name="Network of ASEAN Defence and Security Institutions")
    cscap = make.network(acronym="CSCAP", slug="cscap", name="Council for Security Cooperation in the Asia-Pacific")
    hadr = make.theme(slug="hadr", name="HADR")
    maritime = make.theme(slug="maritime", name="Maritime security")
    cyber = make.theme(slug="cyber", name="Cyber security")
    arf = make.track1_body(name="ASEAN Regional Forum", acronym="ARF", kind="regional_forum")
    admm = make.track1_body(name="ASEAN Defence Ministers' Meeting", acronym="ADMM", kind="ministerial_meeting")

    s1 = make.series(network=nadi, slug="nadi-hadr", name="NADI workshop on HADR")
    s2 = make.series(network=cscap, slug="cscap-maritime", name="CSCAP maritime study group")
    s3 = make.series(network=nadi, slug="nadi-cyber", name="NADI cyber roundtable",
                     status_history=[("active", D(2020, 1, 1), None), ("dormant", D(2023, 1, 1), None)])

    def workshop(series, slug, start, end, themes=(), **kw):
        # No place and the model's default visibility: only what the report reads.
        kw.setdefault("status", "published")
        return make.workshop(series=series, slug=slug, title=f"Workshop {slug}", timezone="Asia/Jakarta",
                             start_date=start, end_date=end, themes=themes, city=None, country=None,
                             visibility="participants", **kw)

    w0 = workshop(s1, "w0", D(2024, 5, 10), D(2024, 5, 11), [hadr])
    w1 = workshop(s1, "w1", D(2025, 3, 4), D(2025, 3, 5), [hadr])
    # Spans New Year: belongs to 2025, the year it starts.
    w2 = workshop(s2, "w2", D(2025, 12, 30), D(2026, 1, 2), [maritime], format="hybrid")
    w3 = workshop(s2, "w3", D(2025, 7, 1), D(2025, 7, 1), format="online", status="cancelled")
    w4 = workshop(s2, "w4", D(2026, 2, 10), D(2026, 2, 11), [maritime])
    w5 = workshop(s3, "w5", D(2021, 9, 1), D(2021, 9, 2), [cyber])

    names = {}

    def person(name, sector, country):
        names[name] = make.person(full_name=name, email=f"{name.split()[0].lower()}@example.org",
                                  sector=sector, country=country)
        return names[name]

    p1 = person("Amara Okonkwo-Lindqvist", "academia", "SG")
    p2 = person("Benedikt Tran-Sokolova", "government", "ID")
    p3 = person("Chiara Nakamura-Osei", "civil_society", "VN")
    p4 = person("Dmitri Salazar-Whitfield", "academia", "SG")
    p6 = person("Farida Kowalczyk-Mbeki", "military", "TH")

    def attend(w, p, status="attended", **kw):
        make.participation(workshop=w, person=p, status=status, **kw)

    attend(w0, p1)
    attend(w1, p1)  # returning: attended in 2024
    attend(w1, p2, serving_official=True)
    attend(w2, p2, sector="military")  # twice in 2025, sector changed
    attend(w2, p3)
    attend(w1, p4, status="no_show")
    attend(w2, p4, status="declined")
    attend(w4, p6)  # 2026

    def rec(w, ref, themes=(), targets=(), events=(), closed=None):
        r = make.recommendation(workshop=w, reference=ref, title=f"Recommendation {ref}",
                                text="The meeting recommends it.", themes=themes, targets=targets)
        for stage, on in events:
            make.uptake_event(recommendation=r, stage=stage, occurred_on=on, evidence_kind="document",
                              title=f"{stage} evidence")
        if closed:
            r.closed_as, r.closed_on, r.closed_reason = closed[0], closed[1], "Recorded in the test."
        return r

    recs = SimpleNamespace(
        r0=rec(w0, "R0", [hadr], [arf], [("transmitted", D(2024, 6, 1)), ("acknowledged", D(2024, 7, 1))]),
        r0b=rec(w0, "R0b", [hadr]),
        r1=rec(w1, "R1", [hadr], [arf, admm], [("transmitted", D(2025, 4, 1)),
                                               ("acknowledged", D(2025, 6, 14)),
                                               ("adopted", D(2026, 1, 20))]),
        r2=rec(w1, "R2", [hadr, maritime], [arf]),  # no events at all
        r3=rec(w1, "R3", [maritime], [admm], [("transmitted", D(2025, 5, 1))],
               closed=("declined", D(2025, 9, 1))),
        r4=rec(w2, "R4", [maritime], [arf], [("transmitted", D(2026, 1, 15)),
                                             ("acknowledged", D(2026, 2, 1)),
                                             ("implemented", D(2026, 5, 1))]),  # after the report date
        r5=rec(w2, "R5", [], [], [("acknowledged", D(2026, 1, 12))]),  # skipped "transmitted"
        r6=rec(w5, "R6", [cyber], [arf], [("transmitted", D(2021, 10, 1)), ("acknowledged", D(2022, 3, 1)),
                                          ("acknowledged", D(2025, 2, 1))]),  # events over several years
        r7=rec(w5, "R7", [cyber], [admm], [("transmitted", D(2021, 11, 1)), ("implemented", D(2023, 6, 1))]),
        r8=rec(w5, "R8", [cyber], [], [("transmitted", D(2021, 10, 15))], closed=("withdrawn", D(2024, 3, 1))),
    )
    return SimpleNamespace(
        nadi=nadi, cscap=cscap, hadr=hadr, maritime=maritime, cyber=cyber, arf=arf, admm=admm,
        s1=s1, s2=s2, s3=s3, w0=w0, w1=w1, w2=w2, w3=w3, w4=w4, w5=w5, recs=recs, names=names,
    )
