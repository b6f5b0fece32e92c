"""Exporting a workshop's participant list as CSV and XLSX: the columns,
email only for organisers, and no formula reaching a spreadsheet."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest


@pytest.fixture
def listed(make, workshop):
    make.participation(workshop=workshop, person=make.person(
        full_name="Ann Lee", honorific="Dr", email="ann@example.org"), role="chair", status="confirmed",
        country="SG", sector="academia", affiliation="RSIS", consent_to_list=True)
    make.participation(workshop=workshop, person=make.person(
        full_name="=HYPERLINK(\"http://evil.example\",\"Click\")", email="evil@example.org"),
        role="participant", status="invited", country=None, sector="private_sector",
        affiliation="+1 Corp", serving_official=True)
    make.participation(workshop=workshop, person=make.person(full_name="@Risky Name"), status="declined",
                       affiliation="-Minus\tTab")
    return workshop


def csv_rows(response) -> list[list[str]]:
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_organisers_export_csv_with_emails_and_neutralised_formulas(client, listed, organiser):
    response = client.get(f"/workshops/{listed.id}/participants.csv")
    assert response.status_code == 200
    assert 'attachment; filename="' in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].endswith('-participants.csv"')
    rows = csv_rows(response)
    assert rows[0] == ["Name", "Affiliation", "Country", "Sector", "Role", "Status", "Serving official",
                       "Consent to be listed", "Answered on", "Dietary needs", "Access needs", "Email"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Dr Ann Lee"] == ["Dr Ann Lee", "RSIS", "Singapore", "Academia / think tank", "Chair",
                                     "Confirmed", "no", "yes", "", "", "", "ann@example.org"]
    evil = by_name["'=HYPERLINK(\"http://evil.example\",\"Click\")"]
    assert evil[1] == "'+1 Corp" and evil[6] == "yes" and evil[11] == "evil@example.org"
    assert by_name["'@Risky Name"][1] == "'-Minus\tTab"


def test_only_the_workshops_organisers_and_admins_download_the_list(client, listed, auth, make):
    auth.login(role="viewer")
    for fmt in ("csv", "xlsx"):
        refused = client.get(f"/workshops/{listed.id}/participants.{fmt}")
        assert refused.status_code == 403 and b"Ann Lee" not in refused.data
    auth.logout()
    auth.login(role="organiser", networks=[make.network(acronym="ELSE", slug="else")])
    assert client.get(f"/workshops/{listed.id}/participants.csv").status_code == 403
    auth.logout()
    auth.login(role="admin")
    rows = csv_rows(client.get(f"/workshops/{listed.id}/participants.csv"))
    assert rows[0][-1] == "Email" and ["Dr Ann Lee", "ann@example.org"] in [[r[0], r[-1]] for r in rows]


def test_the_xlsx_export_holds_text_never_formulas(client, listed, organiser):
    response = client.get(f"/workshops/{listed.id}/participants.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    rows = xlsx_rows(response)
    names = sorted(r[0] for r in rows[1:])
    assert names == ["'=HYPERLINK(\"http://evil.example\",\"Click\")", "'@Risky Name", "Dr Ann Lee"]


def test_the_export_follows_the_list_filters(client, listed, organiser):
    rows = csv_rows(client.get(f"/workshops/{listed.id}/participants.csv?status=confirmed"))
    assert [r[0] for r in rows[1:]] == ["Dr Ann Lee"]
    page = client.get(f"/workshops/{listed.id}/participants?status=confirmed").get_data(as_text=True)
    assert f"/workshops/{listed.id}/participants.csv?status=confirmed" in page


def test_export_needs_a_login_and_an_existing_workshop(client, listed, auth):
    response = client.get(f"/workshops/{listed.id}/participants.csv")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login(role="viewer")
    assert client.get("/workshops/4040/participants.xlsx").status_code == 404
    assert client.get(f"/workshops/{listed.id}/participants.pdf").status_code == 404
