"""The archive import (issue 13 item 7): a realistic Track-2 archive —
thirty years of meetings and outputs with every irregularity of real
records — goes in through the page and the command, all rows or none; a
dry run and a preview save nothing; a re-import creates nothing; the API
gives the records back as the file said; bad rows are named at their row
and column."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
from sqlalchemy import select

from workshops.extensions import db
from workshops.models import AuditEntry, Participation, Person, Recommendation, UptakeEvent, Workshop
from workshops.outputs.models import Output

from ..conftest import count

ARCHIVE = Path(__file__).resolve().parents[1] / "fixtures" / "archive" / "track2-archive.csv"
MEETINGS, OUTPUTS, RECOMMENDATIONS, EVENTS = 23, 12, 18, 21


def counts() -> tuple[int, int, int, int]:
    db.session.expire_all()
    return count(Workshop), count(Output), count(Recommendation), count(UptakeEvent)


def archive_rows() -> tuple[list[str], list[list[str]]]:
    with ARCHIVE.open(encoding="utf-8", newline="") as f:
        lines = list(csv.reader(f))
    return lines[0], lines[1:]


def as_xlsx(header, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(client, filename: str, data: bytes):
    return client.post("/archive/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def payload_of(page: str) -> str:
    return re.search(r'name="payload"[^>]*value="([^"]+)"', page).group(1)


def confirm(client, page: str):
    return client.post("/archive/import", data={"payload": payload_of(page)})


def the_cli(app, *args):
    return app.test_cli_runner().invoke(args=["import-archive", *args])


# ------------------------------------------------------------------ the archive goes in


def test_the_archive_goes_in_through_the_command_and_a_second_run_creates_nothing(app, registries, tmp_path):
    path = tmp_path / "track2-archive.csv"
    path.write_bytes(ARCHIVE.read_bytes())
    before = count(AuditEntry)
    dry = the_cli(app, str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Nothing was saved" in dry.output
    assert "new: 23 meetings, 12 outputs, 18 recommendations, 21 uptake events, 4 chairs;" in dry.output
    assert counts() == (0, 0, 0, 0) and count(AuditEntry) == before
    done = the_cli(app, str(path))
    assert done.exit_code == 0, done.output
    assert "Imported 40 rows" in done.output
    assert counts() == (MEETINGS, OUTPUTS, RECOMMENDATIONS, EVENTS)
    notes = set(db.session.scalars(select(AuditEntry.note).where(AuditEntry.object_type == "Workshop")))
    actors = set(db.session.scalars(select(AuditEntry.actor).where(AuditEntry.id > before)))
    assert notes == {"Archive import from track2-archive.csv"} and actors == {"system: import-archive"}
    entries = count(AuditEntry)
    again = the_cli(app, str(path))
    assert again.exit_code == 0, again.output
    assert "nothing new;" in again.output
    assert counts() == (MEETINGS, OUTPUTS, RECOMMENDATIONS, EVENTS) and count(AuditEntry) == entries
    assert count(Participation) == 4 and count(Person) == 3


def test_the_archive_goes_in_through_the_page_from_xlsx_after_a_preview(client, auth, registries):
    auth.login(role="organiser", networks=registries.networks)
    header, rows = archive_rows()
    response = upload(client, "track2-archive.xlsx", as_xlsx(header, rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "All 40 rows are ready" in page and "23 meetings, 12 outputs" in page
    assert counts() == (0, 0, 0, 0)  # nothing saved before the confirmation
    done = confirm(client, page)
    assert done.status_code == 302
    assert counts() == (MEETINGS, OUTPUTS, RECOMMENDATIONS, EVENTS)
    again = upload(client, "track2-archive.csv", ARCHIVE.read_bytes())
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "nothing new;" in page
    assert page.count("already recorded") >= 40
    assert confirm(client, page).status_code == 302
    assert counts() == (MEETINGS, OUTPUTS, RECOMMENDATIONS, EVENTS)


def test_the_records_hold_what_the_file_says(app, registries, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(ARCHIVE.read_bytes())
    assert the_cli(app, str(path)).exit_code == 0
    by_title = {w.title: w for w in db.session.scalars(select(Workshop))}
    seminar = by_title["Seminar on Preventive Diplomacy in the Asia Pacific"]
    assert (seminar.start_date.isoformat(), seminar.date_precision, seminar.approximate) == ("2009-01-01", "year", True)
    assert seminar.series is None and seminar.network.acronym == "ASEAN-ISIS"
    assert [n.acronym for n in seminar.co_networks] == ["CSCAP"]
    assert [(r.role, r.institute.acronym) for r in seminar.institute_roles] == [
        ("co_organiser", "CSIS Indonesia"), ("funder", "KAS"), ("host", "ISIS Malaysia"), ("host", "RSIS")]
    inaugural = by_title["NADI Inaugural Meeting"]
    assert (inaugural.start_date.isoformat(), inaugural.date_precision, inaugural.approximate) == (
        "2007-06-01", "month", False)
    assert by_title["NADI Annual Meeting 2008"].approximate is True
    assert by_title["NADI Annual Meeting 2009"].end_date.isoformat() == "2009-04-23"
    paper = db.session.scalar(select(Output).where(Output.title == "NADI Recommendations on HADR to the ADMM"))
    # "before March 2010": the month before, approximate (core/partial_dates.py)
    assert (paper.kind, paper.date.isoformat(), paper.date_precision, paper.approximate) == (
        "recommendation_paper", "2010-02-01", "month", True)
    assert paper.workshops == []
    memo = db.session.scalar(select(Recommendation).where(Recommendation.reference == "CSCAP-MEMO-15-1"))
    assert memo.workshop is None and memo.output.kind == "memorandum"
    assert [(e.stage, e.occurred_on.isoformat(), e.date_precision, e.approximate) for e in memo.events] == [
        ("transmitted", "2008-07-01", "month", False), ("acknowledged", "2009-01-01", "year", True)]
    chairs = {(p.workshop.title, p.person.full_name, p.role, p.status) for p in db.session.scalars(select(Participation))}
    assert chairs == {("NADI Annual Meeting 2009", "Ayu Wardhani", "chair", "attended"),
                      ("NADI Annual Meeting 2009", "Lim Wei Jie", "chair", "attended"),
                      ("NADI Annual Meeting 2015", "Ayu Wardhani", "chair", "attended"),
                      ("29th Asia-Pacific Roundtable", "Farid Rahman", "chair", "attended")}
    assert count(Person) == 3  # Ayu Wardhani chaired twice: one person
    statement = db.session.scalar(select(Output).where(Output.kind == "chairs_statement"))
    assert [w.title for w in statement.workshops] == ["CSCAP Study Group on Naval Enhancement, Manila"]


def test_the_template_and_the_example_download_and_the_example_goes_in(client, auth, registries):
    from workshops.archive.columns import COLUMN_NAMES

    auth.login(role="organiser", networks=registries.networks)
    template = client.get("/archive/template.csv")
    assert template.status_code == 200 and "attachment" in template.headers["Content-Disposition"]
    assert next(csv.reader(io.StringIO(template.get_data(as_text=True).lstrip("\ufeff")))) == list(COLUMN_NAMES)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/archive/template.xlsx").data))
    assert [c.value for c in next(workbook.active.iter_rows())] == list(COLUMN_NAMES)
    # text columns: Excel keeps "June 2007" as typed instead of making it the day 1 June 2007
    assert {workbook.active.column_dimensions[letter].number_format for letter in "ABCDEFGH"} == {"@"}
    example = client.get("/archive/example.xlsx")
    response = upload(client, "archive-example.xlsx", example.data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "All 4 rows are ready" in page
    assert confirm(client, page).status_code == 302
    assert counts() == (2, 1, 2, 3)
    guide = client.get("/archive/import").get_data(as_text=True)
    assert all(f"<code>{name}</code>" in guide for name in COLUMN_NAMES)
