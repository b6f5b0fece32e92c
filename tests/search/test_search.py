"""One search box for workshops, people and recommendations."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from workshops.extensions import db
from workshops.search.queries import words_of


@pytest.fixture
def library(make):
    nadi = make.series(network=make.network(acronym="NADI", slug="nadi"))
    make.workshop(series=nadi, title="Workshop on Maritime Domain Awareness", city="Manila",
                  objectives="Share practice among navies.")
    make.workshop(series=nadi, title="NADI annual meeting", city="Bangkok",
                  objectives="Review cooperation on disaster relief and pandemic preparedness.")
    hanoi = make.workshop(series=nadi, title="Hanoi retreat", city="Hanoi", objectives="Informal dialogue.")
    make.person(full_name="Tan See Seng", affiliation="RSIS, Nanyang Technological University")
    make.person(full_name="Siti Rahmah", affiliation="Institute of Strategic and International Studies (ISIS) Malaysia")
    make.person(full_name="Gone Person", affiliation="RSIS", erased_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    make.recommendation(workshop=hanoi, title="Maritime hotline", reference="NADI-2025-3",
                        text="Establish a hotline among coast guards for incidents at sea.")
    make.recommendation(workshop=hanoi, title="Regional stockpile",
                        text="Pre-position disaster relief supplies with the AHA Centre.")


def _section(html: str, kind: str) -> str:
    start = html.index(f'<section aria-labelledby="{kind}">')
    return html[start:html.index("</section>", start)]


def _count(html: str, kind: str) -> int:
    return int(re.search(rf'id="{kind}">[^<]+<small>\((\d+)\)</small>', html).group(1))


def test_words_find_each_kind_grouped_with_counts(client, auth, library):
    auth.login(role="viewer")
    response = client.get("/search?q=maritime")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _count(html, "workshops") == 1 and "Workshop on Maritime Domain Awareness" in _section(html, "workshops")
    assert 'id="people"' not in html  # a viewer reads no one's name (people/access.py people_seen)
    assert _count(html, "recommendations") == 1 and "Maritime hotline" in _section(html, "recommendations")
    assert "2 results for “maritime”" in html


def test_workshops_are_found_by_city_and_objectives(client, auth, library):
    auth.login(role="viewer")
    assert "Hanoi retreat" in _section(client.get("/search?q=HANOI").get_data(as_text=True), "workshops")
    html = client.get("/search?q=pandemic+preparedness").get_data(as_text=True)
    assert "NADI annual meeting" in _section(html, "workshops") and _count(html, "workshops") == 1


def test_people_by_name_or_affiliation_never_the_erased(client, auth, library):
    auth.login(role="organiser")  # people in no workshop: any organiser reads them
    html = client.get("/search?q=rsis").get_data(as_text=True)
    assert _count(html, "people") == 1 and "Tan See Seng" in _section(html, "people")
    assert "Gone Person" not in html
    html = client.get("/search?q=siti+malaysia").get_data(as_text=True)
    assert _count(html, "people") == 1 and "Siti Rahmah" in _section(html, "people")


def test_recommendations_by_text_and_every_word_must_match(client, auth, library):
    auth.login(role="viewer")
    html = client.get("/search?q=coast+guards").get_data(as_text=True)
    assert _count(html, "recommendations") == 1 and "Maritime hotline" in html
    html = client.get("/search?q=coast+stockpile").get_data(as_text=True)
    assert _count(html, "recommendations") == 0
    html = client.get("/search?q=NADI-2025-3").get_data(as_text=True)
    assert "Maritime hotline" in _section(html, "recommendations")


def test_the_start_of_a_word_is_enough(client, auth, library):
    auth.login(role="viewer")
    html = client.get("/search?q=marit").get_data(as_text=True)
    assert _count(html, "workshops") == 1 and _count(html, "recommendations") == 1


def test_on_postgresql_full_text_search_matches_other_forms_of_a_word(app, client, auth, library):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("full-text stemming is PostgreSQL's; SQLite matches the words as typed")
    auth.login(role="viewer")
    html = client.get("/search?q=disasters+supply").get_data(as_text=True)
    # "disasters" finds "disaster", "supply" finds "supplies".
    assert _count(html, "recommendations") == 1 and "Regional stockpile" in html


STRANGE = [
    "", "   ", "!!! ??? ...", "%", "_", "' OR 1=1 --", "\x00\x01\x02", "\u202e\u200f<script>alert(1)</script>",
    "a" * 10_000, " ".join(["word"] * 500), "maritime & | ! :* (", "\\", "ok%_\\ok",
]


def test_strange_or_huge_queries_never_fail(client, auth, library):
    auth.login(role="viewer")
    for query in STRANGE:
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200, repr(query[:40])
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert client.get("/search?q=%ED%A0%80%FF%FE").status_code == 200  # bytes that are not UTF-8
    # A percent sign or an underscore is a character, not a wildcard.
    assert "0 results" in client.get("/search", query_string={"q": "_"}).get_data(as_text=True)


def test_an_empty_search_asks_for_words(client, auth, library):
    auth.login(role="viewer")
    assert "Type a word or two" in client.get("/search?q=%21%21").get_data(as_text=True)
    assert "results for" not in client.get("/search").get_data(as_text=True)


def test_search_needs_a_login(client, library):
    response = client.get("/search?q=maritime")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_words_of_a_query_are_letters_and_digits_only():
    assert words_of("  Maritime, security! (ARF/SOM/2025)  ") == ["Maritime", "security", "ARF", "SOM", "2025"]
    assert words_of("\x00") == [] and len(words_of("w " * 100)) == 12
    assert words_of("Việt Nam 東南アジア") == ["Việt", "Nam", "東南アジア"]


# ---- accents and uptake events (issue 11, defect 7) -------------------------


@pytest.fixture
def vietnam(make):
    workshop = make.workshop(series=make.series(network=make.network(acronym="ARF", slug="arf")),
                             title="Đà Nẵng dialogue on the Mekong", city="Đà Nẵng")
    make.person(full_name="Nguyễn Thị Lan", affiliation="Học viện Ngoại giao")
    make.person(full_name="José Ramos-Horta", affiliation="ÉCOLE NORMALE")
    rec = make.recommendation(workshop=workshop, title="Mekong water data sharing",
                              text="Share dry-season flow data among riparian states.")
    make.uptake_event(recommendation=rec, stage="adopted", title="ARF Joint Declaration on Mekong cooperation",
                      excerpt="The Ministers welcomed the sharing of hydrological data.",
                      references=[{"label": "ARF/JD/2026/Hà-Nội"}])
    return rec


@pytest.mark.parametrize("query, name", [
    ("Nguyen Thi Lan", "Nguyễn Thị Lan"), ("nguyễn", "Nguyễn Thị Lan"), ("NGUYEN lan", "Nguyễn Thị Lan"),
    ("hoc vien ngoai giao", "Nguyễn Thị Lan"), ("jose ecole", "José Ramos-Horta"), ("JOSÉ", "José Ramos-Horta"),
])
def test_people_are_found_whatever_the_accents(client, auth, vietnam, query, name):
    auth.login(role="admin")
    html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    assert _count(html, "people") == 1 and name in _section(html, "people")


def test_vietnamese_d_with_stroke_folds_to_d(client, auth, vietnam):
    auth.login(role="viewer")
    for query in ("Da Nang", "đà nẵng", "DA NANG"):
        html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert _count(html, "workshops") == 1, query
        assert "Đà Nẵng dialogue on the Mekong" in _section(html, "workshops")


def test_uptake_events_are_found_by_title_excerpt_and_reference_with_their_recommendation(client, auth, vietnam):
    auth.login(role="viewer")
    event = vietnam.events[0]
    for query in ("Joint Declaration", "hydrological", "ARF/JD/2026/Ha-Noi", "joint declaration mekong"):
        html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        section = _section(html, "events")
        assert _count(html, "events") == 1, query
        assert "ARF Joint Declaration on Mekong cooperation" in section
        assert f'/recommendations/{vietnam.id}#event-{event.id}"' in section
        assert "Mekong water data sharing" in section
    html = client.get("/search", query_string={"q": "Joint Declaration"}).get_data(as_text=True)
    assert "1 result for" in html and "Uptake events (1)" in html
    # The link's target exists on the recommendation's page.
    page = client.get(f"/recommendations/{vietnam.id}").get_data(as_text=True)
    assert f'id="event-{event.id}"' in page


def test_fold_strips_accents_and_folds_d_with_stroke():
    from workshops.search.folding import fold

    assert fold("Nguyễn Thị ĐÀO") == "nguyen thi dao"
    assert fold("Đặng Văn Đức") == "dang van duc"
    assert fold("Łódź Ørsted") == "lodz orsted"
    assert fold(None) == ""


def test_the_database_folds_as_python_does(app, vietnam):
    from sqlalchemy import literal, select

    from workshops.search.folding import fold, folded

    for text in ("Nguyễn Thị ĐÀO", "Đặng Văn Đức", "Łódź Ørsted", "Crème Brûlée", "ＡＢＣ ﬁ", "São Tomé"):
        in_sql = db.session.scalar(select(folded(literal(text), db.engine.dialect.name)))
        assert in_sql == fold(text), text
