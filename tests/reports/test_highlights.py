"""The report's highlights, the featured mark and the foreword
(docs/report-definitions.md, "Highlights", "Featured", "Foreword"), on the
hand-built world of conftest.py and a few more recommendations added here:

    (report date 1 March 2026; the world's own: R1 adopted 2026-01-20,
     R4 implemented 2026-05-01 — after the report date —, R7 implemented 2023-06-01)

    HA  w1 (NADI 2025)     transmitted 2025-04-01, adopted 2025-08-01 at the ARF, attribution
                           explicit, excerpt and two sources (a web address, a document symbol)
    HB  w0 (NADI 2024)     adopted 2024-09-01, implemented 2025-10-05: implemented in 2025
    HC  w2 (CSCAP 2025)    adopted 2025-11-01 NOT YET CONFIRMED, adopted 2026-02-01 confirmed
    HD  w5 (NADI 2021)     adopted 2024-12-31: in 2024, not 2025
    HE  w1 (NADI 2025)     featured, adopted 2025-12-31
    HF  output alone (NADI memorandum 2025-02-01), adopted 2025-03-01
    HG  w1, featured       acknowledged 2025-05-01 only: featured, but never adopted

    2025, all networks: HE (featured) first, then by the day reached: HF 2025-03-01,
    HA 2025-08-01, HB 2025-10-05 (implemented). Four in all.
    2026: R1 (2026-01-20), HC (2026-02-01). R4 is implemented only after the report date.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from workshops.audit.models import AuditEntry
from workshops.extensions import db
from workshops.outcomes.models import Recommendation
from workshops.outputs.models import Output
from workshops.reports.highlights import HIGHLIGHT_STATEMENTS, highlights, highlights_and_foreword
from workshops.reports.models import ReportForeword
from workshops.reports.queries import Filters, resolve_filters

from ..conftest import audit_entries
from .conftest import AS_OF

D = dt.date


@pytest.fixture
def more(make, world):
    with make.batch():
        def rec(w, ref, events, **kw):
            r = make.recommendation(workshop=w, reference=ref, title=f"Highlight {ref}",
                                    text="The meeting recommends it.", **kw)
            for stage, on, extra in events:
                make.uptake_event(recommendation=r, stage=stage, occurred_on=on, title=f"{ref} {stage}", **extra)
            return r

        memo = Output(kind="memorandum", title="NADI memorandum", date=D(2025, 2, 1), network_id=world.nadi.id)
        db.session.add(memo)
        db.session.flush()
        ids = {
            "HA": rec(world.w1, "HA", [
                ("transmitted", D(2025, 4, 1), {}),
                ("adopted", D(2025, 8, 1), {
                    "track1_body_id": world.arf.id, "attribution": "explicit",
                    "excerpt": "The Forum adopted the proposal for a joint HADR exercise.",
                    "references": [{"url": "https://asean.org/arf-chair-statement", "label": "Chairman's statement"},
                                  {"label": "ARF/SOM/2025/3"}]})]).id,
            "HB": rec(world.w0, "HB", [("adopted", D(2024, 9, 1), {}), ("implemented", D(2025, 10, 5), {})]).id,
            "HC": rec(world.w2, "HC", [("adopted", D(2025, 11, 1), {"confirmed": False}),
                                       ("adopted", D(2026, 2, 1), {})]).id,
            "HD": rec(world.w5, "HD", [("adopted", D(2024, 12, 31), {})]).id,
            "HE": rec(world.w1, "HE", [("adopted", D(2025, 12, 31), {})], featured=True).id,
            "HF": rec(None, "HF", [("adopted", D(2025, 3, 1), {})], output=memo).id,
            "HG": rec(world.w1, "HG", [("acknowledged", D(2025, 5, 1), {})], featured=True).id,
        }
    db.session.expire_all()
    return ids


def found(year=2025, as_of=AS_OF, **args):
    args["as_of"] = as_of.isoformat()
    return highlights(resolve_filters(year, args, today=dt.date(2030, 1, 1)))


def refs(result) -> list[str]:
    return [h["reference"] for h in result["items"]]


def test_featured_first_then_by_the_day_they_reached_adopted_or_implemented(world, more):
    result = found()
    assert refs(result) == ["HE", "HF", "HA", "HB"]
    assert result["total"] == result["shown"] == 4
    by_ref = {h["reference"]: h for h in result["items"]}
    assert [by_ref[r]["featured"] for r in ("HE", "HF", "HA", "HB")] == [True, False, False, False]
    # HB was adopted in 2024 and implemented in 2025: it is a 2025 highlight, as implemented.
    assert (by_ref["HB"]["stage"], by_ref["HB"]["reached_on"]) == ("implemented", "2025-10-05")
    assert (by_ref["HA"]["stage"], by_ref["HA"]["reached_on"]) == ("adopted", "2025-08-01")


def test_each_highlight_carries_its_road_and_attribution(world, more):
    ha = next(h for h in found()["items"] if h["reference"] == "HA")
    assert ha["origin"] == {"kind": "workshop", "id": world.w1.id, "title": "Workshop w1", "date": "2025-03-04"}
    assert ha["network"] == "NADI"
    assert ha["track1_body"] == "ARF"
    assert ha["event"]["title"] == "HA adopted" and ha["event"]["occurred_on"] == "2025-08-01"
    assert ha["event"]["excerpt"] == "The Forum adopted the proposal for a joint HADR exercise."
    assert (ha["attribution"], ha["attribution_label"]) == ("explicit", "Explicit citation")
    assert [(s["url"], s["label"]) for s in ha["sources"]] == [
        ("https://asean.org/arf-chair-statement", "Chairman's statement"), (None, "ARF/SOM/2025/3")]
    hf = next(h for h in found()["items"] if h["reference"] == "HF")
    assert hf["origin"]["kind"] == "output" and hf["origin"]["title"] == "NADI memorandum"
    assert hf["attribution"] is None and hf["sources"] == [] and hf["track1_body"] is None


def test_unconfirmed_events_and_events_after_the_report_date_do_not_count(world, more):
    # HC's 2025 adoption is not yet confirmed: not a 2025 highlight; its confirmed one is in 2026.
    assert refs(found(network="CSCAP")) == []
    # 2026 as of 1 March: R1 (20 January) and HC (1 February); R4's implementation (1 May) comes later.
    assert refs(found(2026)) == ["R1", "HC"]
    assert refs(found(2026, as_of=D(2026, 12, 31))) == ["R1", "HC", "R4"]
    # A report date within the year: only what was reached by then.
    assert refs(found(2025, as_of=D(2025, 9, 1))) == ["HF", "HA"]


def test_filters_and_a_period_of_several_years(world, more):
    assert refs(found(network="NADI")) == ["HE", "HF", "HA", "HB"]
    assert refs(found(theme="cyber")) == []  # none of them is tagged with cyber
    assert refs(found(2023, as_of=D(2023, 12, 31))) == ["R7"]

    class TwoYears(Filters):  # 2024–2025 (the period is read from start/end, not from `year`)
        @property
        def start(self):
            return D(2024, 1, 1)

    # HB was adopted (2024) and implemented (2025) in the period: listed once, as implemented
    # (on 5 October 2025, so after HD's adoption on 31 December 2024).
    result = highlights(TwoYears(year=2025, as_of=AS_OF))
    assert refs(result) == ["HE", "HD", "HF", "HA", "HB"]
    assert next(h for h in result["items"] if h["reference"] == "HB")["stage"] == "implemented"


def test_one_statement_for_the_highlights_and_the_foreword_whatever_the_data(app, make, world, more,
                                                                            count_statements):
    f = resolve_filters(2025, {"as_of": AS_OF.isoformat()}, today=dt.date(2030, 1, 1))
    with count_statements() as small:
        assert highlights_and_foreword(f)[1] is None
    with make.batch():
        for n in range(12):
            r = make.recommendation(workshop=world.w1, reference=f"X{n}")
            make.uptake_event(recommendation=r, stage="adopted", occurred_on=D(2025, 6, 1),
                              references=[{"label": f"DOC/{n}/{i}"} for i in range(3)])
        db.session.add(ReportForeword(year=2025, network_id=None, text="Twelve more *adopted*."))
    with count_statements() as large:
        result, preface = highlights_and_foreword(f)
    assert result["total"] == 16
    assert [len(h["sources"]) for h in result["items"] if h["reference"].startswith("X")] == [3] * 12
    assert preface["text"] == "Twelve more *adopted*." and "<em>adopted</em>" in preface["html"]
    assert len(small) == len(large) == HIGHLIGHT_STATEMENTS
    # With no highlight at all, the foreword still comes back.
    assert highlights_and_foreword(resolve_filters(1999, {}, today=dt.date(2030, 1, 1))) == (
        {"total": 0, "shown": 0, "items": []}, None)
    preface_2025_cyber = highlights_and_foreword(
        resolve_filters(2025, {"theme": "cyber"}, today=dt.date(2030, 1, 1)))
    assert preface_2025_cyber[0]["total"] == 0 and preface_2025_cyber[1]["text"] == "Twelve more *adopted*."


def test_json_and_page_name_the_highlights(client, auth, world, more):
    auth.login(role="viewer")
    data = client.get(f"/reports/2025.json?as_of={AS_OF.isoformat()}").get_json()
    assert [h["reference"] for h in data["highlights"]["items"]] == ["HE", "HF", "HA", "HB"]
    assert data["foreword"] is None
    assert {"highlights", "featured", "foreword"} <= set(data["definitions"])
    page = client.get(f"/reports/2025?as_of={AS_OF.isoformat()}").get_data(as_text=True)
    assert "Highlights: adopted or implemented in 2025" in page
    assert page.index("Highlight HE") < page.index("Highlight HF") < page.index("Highlight HA")
    assert "Explicit citation" in page and 'href="https://asean.org/arf-chair-statement"' in page
    assert "The Forum adopted the proposal for a joint HADR exercise." in page
    assert "Write a foreword" not in page  # a viewer writes none


# --------------------------------------------------------------------------- featuring


def test_an_organiser_features_a_recommendation_on_its_page_audited(client, auth, world, more):
    auth.login(role="organiser", networks=[world.nadi])
    rec_id = more["HA"]
    assert "Feature in the report" in client.get(f"/recommendations/{rec_id}").get_data(as_text=True)
    version = db.session.get(Recommendation, rec_id).version
    response = client.post(f"/recommendations/{rec_id}/featured", data={"featured": "yes", "version": version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Recommendation, rec_id).featured is True
    entries = [e for e in audit_entries("Recommendation") if e.object_id == rec_id]
    assert entries[-1].changes["featured"] == [False, True] or "featured" in str(entries[-1].changes)
    assert refs(found())[:2] == ["HA", "HE"]  # featured, then by day: 1 August before 31 December
    # Nonsense changes nothing.
    assert client.post(f"/recommendations/{rec_id}/featured", data={"featured": "maybe"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Recommendation, rec_id).featured is True


def test_a_viewer_or_another_networks_organiser_cannot_feature(client, auth, world, more):
    auth.login(role="organiser", networks=[world.cscap])
    assert client.post(f"/recommendations/{more['HA']}/featured", data={"featured": "yes"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Recommendation, more["HA"]).featured is False


# --------------------------------------------------------------------------- the foreword


def test_an_admin_writes_the_foreword_shown_in_the_report_and_audited(client, auth, world, more):
    auth.login(role="admin")
    page = client.get(f"/reports/2025?as_of={AS_OF.isoformat()}").get_data(as_text=True)
    assert "Write a foreword" in page
    text = "A year of **real** uptake: see [the ARF statement](https://asean.org/arf).\n\n- first\n- second"
    response = client.post("/reports/2025/foreword", data={"text": text})
    assert response.status_code == 302 and response.headers["Location"].endswith("/reports/2025#foreword")
    saved = db.session.scalars(select(ReportForeword)).one()
    assert (saved.year, saved.network_id, saved.text) == (2025, None, text)
    assert audit_entries("ReportForeword", "create")
    data = client.get(f"/reports/2025.json?as_of={AS_OF.isoformat()}").get_json()
    assert data["foreword"]["text"] == text
    assert "<strong>real</strong>" in data["foreword"]["html"]
    assert '<a href="https://asean.org/arf">the ARF statement</a>' in data["foreword"]["html"]
    page = client.get(f"/reports/2025?as_of={AS_OF.isoformat()}").get_data(as_text=True)
    assert page.index("<strong>real</strong>") < page.index("Highlights: adopted") < page.index("Headline figures")
    # A network's report has its own foreword (none yet); the 2024 report has none either.
    assert client.get("/reports/2025.json?network=NADI").get_json()["foreword"] is None
    assert client.get("/reports/2024.json").get_json()["foreword"] is None
    # Emptied: removed, and audited too.
    version = db.session.scalars(select(ReportForeword)).one().version
    assert client.post("/reports/2025/foreword", data={"text": "", "version": version}).status_code == 302
    assert db.session.scalars(select(ReportForeword)).first() is None
    assert audit_entries("ReportForeword", "delete")


@pytest.mark.parametrize("text, message", [
    ("Before <script>alert(1)</script> after", "HTML such as &lt;script&gt;"),
    ("<b>bold</b> in HTML", "HTML such as &lt;script&gt;"),
    ("<!-- hidden -->", "HTML such as &lt;script&gt;"),
    ("[click](javascript:alert(1))", "Links must be web or mail addresses"),
    ("<javascript:alert(1)>", "Links must be web or mail addresses"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "Links must be web or mail addresses"),
    ("x" * 3001, "keep it to 3,000"),
])
def test_a_bad_foreword_is_refused_with_a_message_next_to_the_field(client, auth, world, text, message):
    auth.login(role="admin")
    response = client.post("/reports/2025/foreword", data={"text": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="text-error"' in page and message in page
    assert "<script>alert(1)" not in page.split('id="text-error"')[1]  # the message escapes what it quotes
    assert db.session.scalars(select(ReportForeword)).first() is None
    assert not [e for e in db.session.scalars(select(AuditEntry)) if e.object_type == "ReportForeword"]


def test_who_may_write_which_foreword(client, auth, world):
    auth.login(role="organiser", networks=[world.nadi])
    # The all-networks foreword is the admins'; NADI's is its organisers' too.
    assert client.get("/reports/2025/foreword").status_code == 403
    assert client.post("/reports/2025/foreword", data={"text": "Ours"}).status_code == 403
    assert client.get("/reports/2025/foreword?network=nadi").status_code == 200
    assert client.post("/reports/2025/foreword?network=NADI", data={"text": "NADI's year."}).status_code == 302
    assert client.post("/reports/2025/foreword?network=CSCAP", data={"text": "Not ours."}).status_code == 403
    assert client.get("/reports/2025/foreword?network=NOPE").status_code == 404
    assert client.get("/reports/1800/foreword").status_code == 404
    assert client.get("/reports/2025.json?network=NADI").get_json()["foreword"]["text"] == "NADI's year."
    assert client.get("/reports/2025.json").get_json()["foreword"] is None
    page = client.get("/reports/2025?network=NADI").get_data(as_text=True)
    assert "Edit the foreword" in page and "NADI&#39;s year." in page


def test_the_rendering_is_safe_even_for_a_text_that_skipped_the_check():
    from workshops.core.markdown_text import render

    html = str(render("<script>alert(1)</script> [x](javascript:alert(1)) ![i](https://e.org/i.png) **ok**"))
    assert "<script>" not in html and "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert "<img" not in html and "<strong>ok</strong>" in html


# --------------------------------------------------------------------------- the board's PDF


def test_the_pdf_runs_cover_contents_foreword_highlights_figures_definitions_with_page_numbers(
        client, auth, world, more):
    import io
    import re

    from pypdf import PdfReader

    auth.login(role="admin")
    assert client.post("/reports/2025/foreword", data={"text": "This year **mattered**."}).status_code == 302
    response = client.get(f"/reports/2025.pdf?as_of={AS_OF.isoformat()}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]
    assert "TRACK-2 OUTCOME REPORT" in pages[0].upper() and "2025" in pages[0] and "Contents" not in pages[0]
    assert pages[1].lstrip().startswith("Contents")
    # Each line of the contents: a section and its page (WeasyPrint's target-counter), read back.
    listed = {}
    for line in pages[1].splitlines():
        match = re.match(r"^(\S.*?)[\s.]*?(\d+)$", line.strip())
        if match and not line.strip().startswith("Page "):
            listed[match.group(1).rstrip(" .")] = int(match.group(2))
    order = ["Foreword", "Highlights: adopted or implemented in 2025", "Headline figures", "Activity",
             "Participation", "Definitions"]
    assert all(title in listed for title in order), listed
    assert [listed[t] for t in order] == sorted(listed[t] for t in order)
    assert listed["Foreword"] >= 3
    for title in order:  # the heading is on the page the contents name (pages count from 1)
        assert title in pages[listed[title] - 1], (title, listed[title])
    # Page numbers in the footer, from the contents page on; the cover has none.
    assert "Page 2 of" in pages[1] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Page 1 of" not in pages[0]
    text = "\n".join(pages)
    assert text.index("This year mattered.") < text.index("Highlight HE") < text.index("Highlight HF") \
        < text.index("Workshops held") < text.index("Year of a workshop")
    assert "Explicit citation" in text and "asean.org/arf-chair-statement" in text
