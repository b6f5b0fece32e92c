"""What a programme head reads must agree with itself: the list of years and
each year's report count workshops held and planned the same way; the CSV's
Stale column is the Stale figure's; numbers read as words (one workshop,
signed changes); every CSV says its charset once; chart labels wrap whole."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import Recommendation, Theme, Workshop
from workshops.reports import charts, exporters
from workshops.reports.queries import build_report, resolve_filters

from .conftest import AS_OF
from .test_pages import index_row

D = dt.date


def _plan_workshops(world, year: int, count: int = 2) -> None:
    """Workshops of a year still to come, one with a recommendation drafted."""
    with unit_of_work(system="test") as session:
        for n in range(count):
            w = Workshop(series=db.session.merge(world.s1), slug=f"planned-{year}-{n}", title=f"Planned {n}",
                         timezone="Asia/Jakarta", start_date=D(year, 3, 2 + n), end_date=D(year, 3, 3 + n),
                         status="published")
            session.add(w)
            session.add(Recommendation(workshop=w, reference=f"P{n}", title="Drafted", text="Draft."))
    db.session.expire_all()


def test_the_index_and_each_years_report_agree_on_held_and_planned_workshops(client, auth, world):
    _plan_workshops(world, 2150)
    auth.login(role="viewer")
    index = client.get("/reports/").get_data(as_text=True)
    years = [int(y) for y in re.findall(r"Report (\d{4})</a>", index)]
    assert 2150 in years
    for year in years:
        report = client.get(f"/reports/{year}.json").get_json()
        expected = (report["activity"]["workshops_held"], report["activity"]["workshops_planned"],
                    report["funnel"]["total"], report["uptake_events"]["total"], report["outputs"]["total"])
        assert index_row(index, year) == tuple(str(n) for n in expected), year
    # The planned year: nothing held, two planned, and its drafted recommendations not yet counted.
    assert index_row(index, 2150) == ("0", "2", "0", "0", "0")
    assert "Workshops held" in index and "Workshops planned" in index


def test_a_year_with_planned_workshops_only_says_they_are_planned(client, auth, world):
    _plan_workshops(world, 2150)
    auth.login(role="viewer")
    page = client.get("/reports/2150").get_data(as_text=True)
    assert "Nothing is recorded for 2150" in page
    assert "2 workshops are planned after" in page and "they count once held" in page


def test_a_workshop_planned_later_in_the_year_is_named_beside_the_held_ones(client, auth, world):
    auth.login(role="viewer")
    # On 1 March 2026 the CSCAP workshop of 10 February 2026 is held; as of 1 February it is planned.
    held = client.get("/reports/2026?network=CSCAP&as_of=2026-03-01").get_data(as_text=True)
    planned = client.get("/reports/2026?network=CSCAP&as_of=2026-02-01").get_data(as_text=True)
    assert re.search(r"<p>1 <a [^>]*>workshop held</a> in 2026\.</p>", held)
    assert re.search(r"<p>0 <a [^>]*>workshops held</a> in 2026; 1 more workshop <a [^>]*>planned</a>\.</p>",
                     planned)


def test_one_of_anything_is_singular_in_the_report(client, auth, world):
    auth.login(role="viewer")
    # CSCAP in 2025: one workshop held (the other was cancelled).
    page = client.get(f"/reports/2025?network=CSCAP&as_of={AS_OF.isoformat()}").get_data(as_text=True)
    assert re.search(r"<p>1 <a [^>]*>workshop held</a> in 2025", page)
    assert "1 workshops" not in page and "1 recommendations" not in page


def change_cells(page: str) -> dict[str, str]:
    rows = re.findall(r'<tr data-figure="(\w+)">.*?<td class="num">([^<]*)</td>\s*</tr>', page, re.S)
    return dict(rows)


def test_changes_carry_one_sign_rule_and_the_digits_of_their_figures(client, auth, world):
    auth.login(role="viewer")
    page = client.get(f"/reports/2025?as_of={AS_OF.isoformat()}").get_data(as_text=True)
    changes = change_cells(page)
    assert changes["median_days"] == "\u221221 days"  # 30 days against 51: the figures' digits, a minus sign
    assert changes["workshops_held"] == "+1"
    assert changes["serving_officials"] == "+33 pp"
    assert changes["stale"] == "+1"
    for key, text in changes.items():
        assert text == "no change" or text == "—" or text[0] in "+\u2212", (key, text)
        assert not re.search(r"\.0\b", text), (key, text)


def _csv(client, url: str) -> tuple[list[str], list[dict]]:
    text = client.get(url).get_data(as_text=True).lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    return reader.fieldnames, list(reader)


def test_the_csv_stale_column_is_the_stale_figure_on_the_same_day(client, auth, world):
    auth.login(role="viewer")
    # On 1 June 2026 R2 (no event since its workshop ended on 5 March 2025) has been quiet for over a
    # year, but it was not stale at the end of 2025, the day of the report's Stale figure.
    header, rows = _csv(client, "/reports/2025.csv?as_of=2026-06-01")
    assert header[-1] == "Stale on 2025-12-31"
    report = build_report(resolve_filters(2025, {"as_of": "2026-06-01"}, AS_OF))
    of_2025 = {r["year"]: r["stale"] for r in report.carry_over["by_origin_year"]}.get(2025, 0)
    assert sum(r[header[-1]] == "yes" for r in rows) == of_2025 == 0
    assert {r["Reference"]: r[header[-1]] for r in rows}["R2"] == "no"
    # In the current year the two days are the same: the report date.
    header, rows = _csv(client, f"/reports/2026.csv?as_of={AS_OF.isoformat()}")
    assert header[-1] == f"Stale on {AS_OF.isoformat()}"


def test_every_csv_download_states_its_charset_once(client, auth, world):
    auth.login(role="admin")
    workshop_id = db.session.scalar(db.select(Workshop.id).where(Workshop.slug == "w1"))
    for url in (f"/reports/2025.csv?as_of={AS_OF.isoformat()}", f"/workshops/{workshop_id}/participants.csv",
                f"/workshops/{workshop_id}/participants/import-template.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8", url


LONG = "Humanitarian assistance and disaster relief (HADR)"


def label_lines(svg: str) -> list[list[str]]:
    """The lines of each bar's label (the right-aligned <text> of each <g>)."""
    labels = re.findall(r'<text [^>]*text-anchor="end"[^>]*>(.*?)</text>', svg)
    return [re.findall(r"<tspan [^>]*>([^<]*)</tspan>", label) for label in labels]


def test_long_chart_labels_wrap_between_words_and_the_chart_grows():
    rows = [(LONG, 3), ("Public health", 2), ("Counter-terrorism and transnational organised crime networks", 1)]
    svg = str(charts.bar_chart("c", "Themes", "By theme", rows))
    lines = label_lines(svg)
    assert [" ".join(parts) for parts in lines] == [label for label, _ in rows]  # nothing cut, nothing lost
    assert len(lines[0]) == 2 and len(lines[1]) == 1
    for parts in lines:
        for line in parts:
            assert charts.text_width(line) <= charts.LABEL_WIDTH - 8, line
            assert "…" not in line
    short = str(charts.bar_chart("c", "Themes", "By theme", [("Public health", 2)] * 3))
    height = int(re.search(r'height="(\d+)"', svg).group(1))
    assert height > int(re.search(r'height="(\d+)"', short).group(1))
    # Every bar sits inside the chart.
    for y, h in re.findall(r'<rect x="210" y="([\d.]+)" width="[\d.]+" height="(\d+)"', svg):
        assert float(y) + int(h) <= height


def test_a_word_wider_than_the_label_column_is_hyphenated_not_clipped():
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis-related"
    lines = charts.wrap(word, 150)
    assert len(lines) > 1 and all(charts.text_width(line) <= 150 for line in lines)
    assert "".join(lines).replace("-", "") == word.replace("-", "")
    assert all(line.endswith("-") for line in lines[:-1])


def test_the_report_page_and_pdf_html_wrap_a_long_theme(app, client, auth, world):
    with unit_of_work(system="test"):
        db.session.execute(db.update(Theme).where(Theme.slug == "hadr").values(name=LONG))
    db.session.expire_all()
    auth.login(role="viewer")
    page = client.get(f"/reports/2025?as_of={AS_OF.isoformat()}").get_data(as_text=True)
    themes = re.search(r'<svg [^>]*aria-labelledby="chart-themes-title.*?</svg>', page, re.S).group(0)
    assert ["Humanitarian assistance and", "disaster relief (HADR)"] in label_lines(themes)
    assert "…" not in themes
    with app.test_request_context(f"/reports/2025.pdf?as_of={AS_OF.isoformat()}"):
        html = exporters.report_pdf_html(build_report(resolve_filters(2025, {"as_of": AS_OF.isoformat()}, AS_OF)))
    assert themes in html
