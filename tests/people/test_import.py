"""Importing participants from CSV and XLSX: a preview naming every row's
problems, all rows or none, and one clear message for each bad upload."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from workshops.extensions import db
from workshops.models import AuditEntry, Participation, Person

from .conftest import HEADER, confirm, count, counts, csv_bytes, payload_of, text_of, upload, xlsx_bytes

COUNTRIES = ["SG", "Malaysia", "IDN", "Viet Nam", "Philippines", "TH"]
SECTORS = ["academia", "Government", "military", "civil society", "Academia / think tank", "private_sector"]


def sixty_rows() -> list[list[str]]:
    return [
        [f"Participant {i:02d}", f"participant{i:02d}@example.org", COUNTRIES[i % 6], SECTORS[i % 6],
         "speaker" if i % 10 == 0 else "", "Confirmed" if i % 2 else "", f"Institute {i}",
         "yes" if i % 7 == 0 else "no", "Yes" if i % 3 else "", "yes" if i % 4 == 0 else ""]
        for i in range(60)
    ]


def preview(client, workshop, filename, data):
    response = upload(client, workshop, filename, data)
    return response, text_of(response)


def test_sixty_participants_import_from_csv_after_a_preview(client, workshop, organiser):
    response, page = preview(client, workshop, "nadi-2025.csv", csv_bytes(sixty_rows()))
    assert response.status_code == 200
    assert "All 60 rows are ready" in page and "Participant 59" in page
    assert count(Participation) == 0  # nothing saved before the confirmation
    done = confirm(client, workshop, payload_of(response.get_data(as_text=True)))
    assert done.status_code == 302
    assert count(Participation) == 60 and count(Person) == 60
    rows = db.session.scalars(select(Participation).join(Person).order_by(Person.full_name)).all()
    first, sixth = rows[0], rows[5]
    assert (first.person.email, first.country, first.sector, first.role, first.status, first.serving_official,
            first.consent_to_list) == ("participant00@example.org", "SG", "academia", "speaker", "invited", True, False)
    assert (sixth.country, sixth.sector, sixth.status, sixth.consent_to_list) == (
        "TH", "private_sector", "confirmed", True)
    assert [p.consent_to_be_named for p in rows[:5]] == [True, False, False, False, True]
    assert rows[1].country == "MY" and rows[2].country == "ID" and rows[3].country == "VN"
    assert rows[1].sector == "government" and rows[3].sector == "civil_society" and rows[4].sector == "academia"
    assert len({p.personal_token for p in rows}) == 60
    notes = {e.note for e in db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "Participation"))}
    assert notes == {"Imported 60 participants from nadi-2025.csv"}
    page = text_of(client.get(f"/workshops/{workshop.id}/participants"))
    assert '<span class="stat-value">60</span> in all' in page


def test_sixty_participants_import_from_xlsx(client, workshop, organiser):
    response, page = preview(client, workshop, "nadi-2025.xlsx", xlsx_bytes(sixty_rows()))
    assert response.status_code == 200 and "All 60 rows are ready" in page
    assert confirm(client, workshop, payload_of(response.get_data(as_text=True))).status_code == 302
    assert count(Participation) == 60


def test_the_import_matches_existing_people_by_email_whatever_its_case(client, make, workshop, organiser):
    ann = make.person(full_name="Ann Lee", email="ann@example.org", country="SG", sector="government",
                      affiliation="MINDEF")
    rows = [["Ann LEE", "ANN@Example.org", "", "", "chair", "", "", "", ""],
            ["Bob Tan", "bob@example.org", "SG", "", "", "", "", "", ""]]
    response, page = preview(client, workshop, "list.csv", csv_bytes(rows))
    assert "All 2 rows are ready: 1 matches a person already recorded" in page
    assert f'Existing: <a href="/people/{ann.id}">Ann Lee</a>' in page
    confirm(client, workshop, payload_of(response.get_data(as_text=True)))
    assert count(Person) == 2
    ann_there = db.session.scalar(select(Participation).where(Participation.person_id == ann.id))
    assert (ann_there.role, ann_there.country, ann_there.sector, ann_there.affiliation) == (
        "chair", "SG", "government", "MINDEF")  # taken from the person where the file is silent
    db.session.refresh(ann)
    assert ann.full_name == "Ann Lee"  # the record is not changed by the file


def test_the_preview_names_every_problem_and_one_bad_row_means_nothing_is_imported(client, make, workshop,
                                                                                  organiser):
    already = make.person(full_name="Akiko Sato", email="akiko@example.org")
    make.participation(workshop=workshop, person=already)
    rows = [
        ["Good Person", "good@example.org", "SG", "", "", "", "", "", ""],
        ["", "noname@example.org", "", "", "", "", "", "", ""],
        ["Bad Email", "bad@", "", "", "", "", "", "", ""],
        ["Lost Country", "", "Atlantis", "", "", "", "", "", ""],
        ["Odd Sector", "", "", "pirates", "", "", "", "", ""],
        ["Odd Role", "", "", "", "emperor", "", "", "", ""],
        ["Odd Status", "", "", "", "", "maybe", "", "", ""],
        ["Twice", "twice@example.org", "", "", "", "", "", "", ""],
        ["Twice Again", "TWICE@example.org", "", "", "", "", "", "", ""],
        ["Akiko Sato", "Akiko@Example.org", "", "", "", "", "", "", ""],
        ["Unsure", "", "", "", "", "", "", "perhaps", ""],
        ["Long Affiliation", "", "", "", "", "", "x" * 201, "", ""],
    ]
    before = counts()
    response, page = preview(client, workshop, "list.csv", csv_bytes(rows))
    assert response.status_code == 422
    assert "10 of 12 rows have problems." in page
    for problem in ("The name is missing.", "“bad@” is not a valid email address.",
                    "Unknown country “Atlantis”", "Unknown sector “pirates”", "Unknown role “emperor”",
                    "Unknown status “maybe”", "The same email as row 9: a duplicate in the file.",
                    "Akiko Sato is already a participant of this workshop.",
                    "“perhaps” in serving_official is not yes or no.",
                    "The affiliation is longer than 200 characters."):
        assert problem in page, problem
    assert 'name="mode" value="all"' not in page  # no way to import every row of a file with problems
    assert "Import the 2 good rows only" in page  # but the good ones may go in alone
    assert counts() == before


@pytest.mark.parametrize("column", ["named_publicly", "Named publicly", "consent_to_be_named", "Consent to be named"])
def test_the_consent_to_be_named_publicly_is_read_under_its_usual_names(client, workshop, organiser, column):
    data = f"name,email,{column}\nAnn Lee,ann@example.org,yes\nBob Tan,bob@example.org,no\n".encode()
    response, page = preview(client, workshop, "list.csv", data)
    assert "All 2 rows are ready" in page, page
    assert confirm(client, workshop, payload_of(response.get_data(as_text=True))).status_code == 302
    named = {p.person.full_name: p.consent_to_be_named for p in db.session.scalars(select(Participation))}
    assert named == {"Ann Lee": True, "Bob Tan": False}


def test_a_consent_to_be_named_that_is_not_yes_or_no_is_a_problem(client, workshop, organiser):
    response, page = preview(client, workshop, "list.csv", b"name,named_publicly\nAnn Lee,perhaps\n")
    assert response.status_code == 422
    assert "\u201cperhaps\u201d in named_publicly is not yes or no." in page
    assert count(Participation) == 0


def test_a_confirmation_that_has_become_wrong_meanwhile_imports_nothing(client, make, workshop, organiser):
    rows = [["Ann Lee", "ann@example.org", "", "", "", "", "", "", ""],
            ["Bob Tan", "bob@example.org", "", "", "", "", "", "", ""]]
    response, _ = preview(client, workshop, "list.csv", csv_bytes(rows))
    payload = payload_of(response.get_data(as_text=True))
    # Someone adds Bob to the workshop between the preview and the confirmation.
    make.participation(workshop=workshop, person=make.person(full_name="Bob Tan", email="bob@example.org"))
    before = counts()
    refused = confirm(client, workshop, payload)
    assert refused.status_code == 422
    page = text_of(refused)
    assert "1 row has a problem, so nothing was imported." in page
    assert "Bob Tan is already a participant of this workshop." in page
    assert counts() == before
    assert db.session.scalar(select(Person).where(Person.email == "ann@example.org")) is None


def test_rows_without_email_are_checked_by_name(client, make, workshop, organiser):
    make.participation(workshop=workshop, person=make.person(full_name="Tran Minh Duc", email=None))
    make.person(full_name="Ann Lee", email=None)
    rows = [["Tran Minh Duc", "", "", "", "", "", "", "", ""],
            ["Ann Lee", "", "", "", "", "", "", "", ""],
            ["Bob Tan", "", "", "", "", "", "", "", ""],
            ["bob  tan", "", "", "", "", "", "", "", ""]]
    response, page = preview(client, workshop, "list.csv", csv_bytes(rows))
    assert "A participant named Tran Minh Duc is already in this workshop." in page
    assert "Use existing person" in page and "Create a new person" in page  # Ann Lee's row: a choice
    assert "The same name as row 4, and no email to tell them apart" in page


def test_an_altered_or_foreign_confirmation_is_refused(client, make, workshop, organiser):
    response, _ = preview(client, workshop, "list.csv", csv_bytes([["Ann Lee", "", "", "", "", "", "", "", ""]]))
    payload = payload_of(response.get_data(as_text=True))
    for bad in (payload[:-3] + "abc", "garbage", ""):
        refused = confirm(client, workshop, bad)
        assert refused.status_code == 400
        assert "This preview has expired or was altered. Upload the file again." in text_of(refused)
    other = make.workshop(series=workshop.series)
    assert confirm(client, other, payload).status_code == 400  # signed for another workshop
    assert count(Participation) == 0


def test_headers_may_come_in_any_order_and_case_with_only_the_name(client, workshop, organiser):
    data = csv_bytes([["SG", "Ann Lee"], ["", "Bob Tan"]], header=["Country", "Name"])
    response, page = preview(client, workshop, "list.csv", data)
    assert "All 2 rows are ready" in page
    confirm(client, workshop, payload_of(response.get_data(as_text=True)))
    assert count(Participation) == 2
    assert {p.status for p in db.session.scalars(select(Participation))} == {"invited"}
    assert {p.sector for p in db.session.scalars(select(Person))} == {"academia"}


def test_semicolon_separated_csv_from_a_european_excel_imports(client, workshop, organiser):
    data = csv_bytes([["Élodie Martin", "elodie@example.org", "FR"]], header=["name", "email", "country"],
                     delimiter=";")
    response, page = preview(client, workshop, "list.csv", b"\xef\xbb\xbf" + data)
    assert "All 1 rows are ready" in page or "All 1 row" in page
    confirm(client, workshop, payload_of(response.get_data(as_text=True)))
    assert db.session.scalar(select(Person)).full_name == "Élodie Martin"


# ---- upload errors -----------------------------------------------------------------

BAD_UPLOADS = [
    ("participants.pdf", b"%PDF-1.7 ...", "Only .csv and .xlsx files can be imported"),
    ("participants.xls", b"\xd0\xcf\x11\xe0\xa1\xb1", "old Excel 97–2003 file (.xls)"),
    ("participants.csv", b"", "The file is empty"),
    ("participants.csv", "name,email\nJosé Ramos-Horta,jose@example.org\n".encode("cp1252"),
     "not saved as UTF-8"),
    ("participants.csv", b"nom,courriel\nAnn,ann@example.org\n",
     "The header row does not match the template: these columns are not understood: “nom”, “courriel”"),
    ("participants.csv", b"email,country\nann@example.org,SG\n", "the column “name” is missing"),
    ("participants.csv", b"Ann Lee,ann@example.org\nBob Tan,bob@example.org\n", "does not match the template"),
    ("participants.csv", b"name,email\n", "header row but no rows"),
    ("participants.xlsx", b"PK\x03\x04 broken", "could not be read as an Excel workbook"),
]


def test_each_bad_upload_gets_one_clear_message_and_imports_nothing(client, workshop, organiser):
    before = counts()
    for filename, data, message in BAD_UPLOADS:
        response, page = preview(client, workshop, filename, data)
        assert response.status_code == 422, filename
        assert message in page, (filename, message)
        assert page.count('class="form-summary"') == 1 and "Nothing has been imported." in page
    assert counts() == before


def test_a_file_over_the_two_megabyte_limit_is_refused(client, workshop, organiser):
    data = b"name\n" + b"A very long name indeed\n" * 100_000  # about 2.4 MB
    response, page = preview(client, workshop, "big.csv", data)
    assert response.status_code == 422
    assert "the limit is 2 MB" in page and count(Participation) == 0


def test_a_body_over_the_servers_limit_gets_the_same_kind_of_message(make_app, make, workshop):
    app = make_app(MAX_CONTENT_LENGTH=1024 * 1024)
    client = app.test_client()
    with app.app_context():
        from tests.conftest import Auth
        Auth(client, make).login(role="admin")
        response = upload(client, workshop, "huge.csv", b"name\n" + b"x" * (1024 * 1024 + 10))
    assert response.status_code == 413
    assert "larger than the 2 MB limit" in text_of(response)


def test_an_upload_without_a_file_asks_for_one(client, workshop, organiser):
    response = client.post(f"/workshops/{workshop.id}/participants/import", data={},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a file to upload." in text_of(response)


def test_more_rows_than_the_limit_are_refused(client, workshop, organiser):
    data = csv_bytes([[f"Person {i}"] for i in range(1001)], header=["name"])
    response, page = preview(client, workshop, "many.csv", data)
    assert response.status_code == 422 and "more than 1,000 rows" in page


def test_strange_cells_do_not_break_the_import(client, workshop, organiser):
    rows = [["\u200bAnn <script>alert(1)</script>\x07", "", "", "", "", "", "=HYPERLINK(\"x\")", "", ""]]
    response, page = preview(client, workshop, "list.csv", csv_bytes(rows))
    assert response.status_code == 200 and "<script>alert" not in response.get_data(as_text=True)
    confirm(client, workshop, payload_of(response.get_data(as_text=True)))
    person = db.session.scalar(select(Person))
    assert "\x07" not in person.full_name and "<script>" in person.full_name
    assert person.full_name.startswith("Ann")  # the zero-width space is gone


def test_a_name_with_a_right_to_left_override_is_a_problem_row(client, workshop, organiser):
    """issue 11, low: an override shows the name reversed on every list."""
    rows = [["\u202eeeL nnA", "ann@example.org", "", "", "", "", "", "", ""], ["Bob Tan", "", "", "", "", "", "", "", ""]]
    before = counts()
    response, page = preview(client, workshop, "list.csv", csv_bytes(rows))
    assert response.status_code == 422 and "1 of 2 rows has a problem." in page
    assert "Remove the invisible right-to-left override character (U+202E) at the start" in page
    assert 'name="mode" value="all"' not in page and counts() == before


# ---- the template and who may -------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_has_the_documented_header_and_imports_as_it_is(client, workshop, organiser, fmt):
    response = client.get(f"/workshops/{workshop.id}/participants/import-template.{fmt}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    if fmt == "xlsx":
        header = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.data)).active[1]]
    else:
        header = response.data.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == HEADER
    imported, page = preview(client, workshop, f"template.{fmt}", response.data)
    assert "All 2 rows are ready" in page


def test_the_import_page_documents_the_columns(client, workshop, organiser):
    page = text_of(client.get(f"/workshops/{workshop.id}/participants/import"))
    assert "Only name is required" in page.replace("<strong>", "").replace("</strong>", "")
    for column in HEADER:
        assert f"<code>{column}</code>" in page


@pytest.mark.parametrize("role", ["viewer", "other_organiser"])
def test_outsiders_may_not_import(client, make, auth, workshop, role):
    organiser = auth.login(role="organiser", networks=[workshop.series.network])
    response = upload(client, workshop, "list.csv", csv_bytes([["Ann Lee", "", "", "", "", "", "", "", ""]]))
    payload = payload_of(response.get_data(as_text=True))
    auth.logout()
    if role == "viewer":
        auth.login(role="viewer")
    else:
        auth.login(role="organiser", networks=[make.network(acronym="CSCAP")])
    before = counts()
    assert client.get(f"/workshops/{workshop.id}/participants/import").status_code == 403
    assert upload(client, workshop, "list.csv", csv_bytes([["Bob", "", "", "", "", "", "", "", ""]])).status_code == 403
    assert confirm(client, workshop, payload).status_code == 403
    assert client.get(f"/workshops/{workshop.id}/participants/import-template.csv").status_code == 403
    assert counts() == before
    assert organiser.id  # the preview was made by someone allowed


def test_the_import_operation_saves_all_rows_or_none(app, make, workshop):
    """The JSON API calls the same operation: sixty good rows and one bad one import nothing."""
    from flask_login import login_user

    from workshops.people.operations import ImportRefused, import_participants

    admin = make.user(role="admin")
    rows = [(i + 2, dict(zip(HEADER, row, strict=True))) for i, row in enumerate(sixty_rows())]
    bad = rows + [(62, {"name": "Nobody", "email": "not an email"})]
    before = counts()
    with app.test_request_context():
        login_user(admin)
        with pytest.raises(ImportRefused) as refused:
            import_participants(admin, workshop, bad)
        assert [r.number for r in refused.value.check.with_problems] == [62]
        assert counts() == before
        assert len(import_participants(admin, workshop, rows)) == 60
    assert count(Participation) == 60


# ---- names as ASEAN documents write them (issue 11, defect 6) ------------------------------

ASEAN_NAMES = [
    ("Lao PDR", "LA"), ("Laos", "LA"), ("Viet Nam", "VN"), ("Vietnam", "VN"), ("Brunei", "BN"),
    ("Brunei Darussalam", "BN"), ("Myanmar", "MM"), ("Burma", "MM"), ("Timor-Leste", "TL"),
    ("East Timor", "TL"), ("ROK", "KR"), ("Republic of Korea", "KR"), ("South Korea", "KR"),
    ("DPRK", "KP"), ("North Korea", "KP"), ("PRC", "CN"), ("China", "CN"), ("Russia", "RU"),
    ("USA", "US"), ("US", "US"), ("United States", "US"), ("UK", "GB"), ("the Philippines", "PH"),
    ("  lao  p.d.r. ", "LA"), ("Türkiye", "TR"),
]
STATUS_SPELLINGS = [("no-show", "no_show"), ("no_show", "no_show"), ("No show", "no_show"),
                    ("noshow", "no_show"), ("NO-SHOW", "no_show"), ("Attended", "attended")]


def test_countries_as_asean_documents_name_them_and_every_no_show_spelling_import(client, workshop, organiser):
    rows = [[f"Person {i:02d}", "", name, "", "", "", "", "", ""] for i, (name, _) in enumerate(ASEAN_NAMES)]
    start = len(rows)
    rows += [[f"Person {start + i:02d}", "", "", "", "", status, "", "", ""]
             for i, (status, _) in enumerate(STATUS_SPELLINGS)]
    response, page = preview(client, workshop, "asean.csv", csv_bytes(rows))
    assert response.status_code == 200, page[page.find("people-problems"):][:500]
    assert f"All {len(rows)} rows are ready" in page
    assert confirm(client, workshop, payload_of(response.get_data(as_text=True))).status_code == 302
    got = {p.person.full_name: p for p in db.session.scalars(select(Participation))}
    for i, (name, code) in enumerate(ASEAN_NAMES):
        assert got[f"Person {i:02d}"].country == code, name
    for i, (status, code) in enumerate(STATUS_SPELLINGS):
        assert got[f"Person {start + i:02d}"].status == code, status


def test_a_wrong_status_is_refused_naming_the_documented_spelling(client, workshop, organiser):
    rows = [["Ann Lee", "", "", "", "", "absentee", "", "", ""]]
    response, page = preview(client, workshop, "list.csv", csv_bytes(rows))
    assert response.status_code == 422
    assert "Unknown status “absentee”: use one of invited, confirmed, declined, attended, no-show." in page
    assert "no_show" not in page.split("What the file must look like")[0]
    guide = page.split("What the file must look like")[1]
    assert "<code>no-show</code>" in guide  # the guide and the message agree
    assert count(Participation) == 0
