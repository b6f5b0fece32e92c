"""An archive with bad rows: every problem named at its row and column,
on the page and by the command, and nothing saved — not even the good rows."""

from __future__ import annotations

import datetime as dt

from workshops.extensions import db
from workshops.models import AuditEntry

from ..conftest import count
from .test_import import as_csv, counts, the_cli, upload

HEADER = ["network", "series", "meeting_title", "meeting_date", "country", "hosts", "recommendation_ref",
          "recommendation_title", "event_stage", "event_date", "track1_body", "references", "attribution", "chairs"]
GOOD = ["NADI", "NADI Annual Meeting", "NADI Annual Meeting 2014", "2014-04-08", "Myanmar", "RSIS", "NADI-2014-1",
        "Defence cooperation on HADR", "transmitted", "2014-05-01", "ADMM", "ADMM/SOM/2014/2", "explicit",
        "Maria Santos"]


def bad_rows() -> list[list[str]]:
    def changed(**kw):
        row = list(GOOD)
        for key, value in kw.items():
            row[HEADER.index(key)] = value
        return row

    return [
        GOOD,                                                                       # row 2
        changed(meeting_title="NADI Workshop 2008", meeting_date="2008-02-30"),     # row 3
        changed(event_date="before"),                                               # row 4
        changed(network="APLN"),                                                    # row 5
        changed(meeting_title="NADI Workshop on Cyber Norms", meeting_date="2019-09-10"),  # row 6: two match
        changed(track1_body="ASEAN Coordinating Council on Cyber"),                 # row 7
        changed(event_stage="noted"),                                               # row 8
        changed(meeting_title="NADI Study Group 2014", hosts="IDSS"),               # row 9: two institutes
        changed(recommendation_ref="NADI-2014-9", event_date="2013-01-01"),         # row 10: before the meeting
        changed(meeting_title="NADI Study Group 2015", meeting_date="2015"),        # row 11: row 2's reference
        changed(recommendation_ref="NADI-2014-2", attribution="strong"),           # row 12
        changed(recommendation_ref="NADI-2014-3", references="https://admm.asean.org | www.asean.org/x"),  # row 13
        changed(meeting_title="NADI Study Group 2014", hosts="", chairs="Tran Van Minh"),     # row 14: two people
        changed(meeting_title="NADI Study Group 2014b", hosts="", chairs="Jonathon Reyes"),   # row 15: similar
    ]


def ambiguous_world(make, registries):
    nadi_series = registries.nadi.series[0]
    with make.batch():
        for title in ("NADI Workshop on Cyber Norms", "NADI workshop on cyber norms"):
            make.workshop(series=nadi_series, title=title, start_date=dt.date(2019, 9, 10),
                          end_date=dt.date(2019, 9, 10))
        make.institute(name="Institute of Defence and Strategic Studies", acronym="IDSS", country="SG")
        make.institute(name="Institute for Defence and Security Studies", acronym="IDSS", country="MY")
        make.person(full_name="Tran Van Minh", email="minh.tran@example.org")
        make.person(full_name="Trần Văn Minh", email="tvminh@example.org")
        make.person(full_name="Jonathan Reyes")
    db.session.expire_all()


EXPECTED = {
    3: ("meeting_date", "February 2008 has no day 30"),
    4: ("event_date", "says how sure the date is but not the date"),
    5: ("network", "No network “APLN” is registered."),
    6: ("meeting_title", "2 meetings of NADI have this title and date"),
    7: ("track1_body", "No Track-1 body “ASEAN Coordinating Council on Cyber” is registered."),
    8: ("event_stage", "Unknown stage “noted”"),
    9: ("hosts", "“IDSS” is ambiguous: 2 institutes match it."),
    10: ("event_date", "before the workshop began"),
    11: ("recommendation_ref", "NADI-2014-1 is already the reference of “Defence cooperation on HADR” from "
                               "“NADI Annual Meeting 2014”"),
    12: ("attribution", "Unknown attribution “strong”: use explicit, paraphrase or thematic."),
    13: ("references", "Write the full link, starting with https://"),
    14: ("chairs", "“Tran Van Minh” is ambiguous: 2 people are recorded under this name."),
    15: ("chairs", "Someone with a similar name is already recorded (Jonathan Reyes)."),
}


def test_bad_rows_are_named_by_the_command_and_nothing_is_saved(app, make, registries, tmp_path):
    ambiguous_world(make, registries)
    before, entries = counts(), count(AuditEntry)
    path = tmp_path / "bad.csv"
    path.write_bytes(as_csv(HEADER, bad_rows()))
    for args in ((str(path),), (str(path), "--dry-run")):
        result = the_cli(app, *args)
        assert result.exit_code == 1
        for number, (column, message) in EXPECTED.items():
            assert f"Row {number}, {column}: " in result.output and message in result.output, (number, result.output)
        assert "Row 2," not in result.output
        assert counts() == before and count(AuditEntry) == entries


def test_bad_rows_are_shown_in_the_preview_and_nothing_is_saved(client, auth, make, registries):
    ambiguous_world(make, registries)
    before = counts()
    auth.login(role="organiser", networks=[registries.nadi])
    response = upload(client, "bad.csv", as_csv(HEADER, bad_rows()))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "13 of 14 rows have problems" in page and 'name="payload"' not in page
    for column, message in EXPECTED.values():
        assert f"{column}: " in page and message in page, message
    assert "February 2008 has no day 30" in page
    assert counts() == before


def test_an_organiser_imports_only_their_networks_rows(client, auth, registries):
    auth.login(role="organiser", networks=[registries.nadi])
    cscap_row = ["CSCAP", "", "CSCAP Study Group on Export Controls", "2012", "SG", "", "", "", "", "", "", "", "", ""]
    response = upload(client, "mixed.csv", as_csv(HEADER, [GOOD, cscap_row]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "network: You do not organise CSCAP, so you cannot import its records." in page
    assert counts() == (0, 0, 0, 0)


def test_viewers_cannot_import_or_download_the_template(client, auth):
    auth.login(role="viewer")
    assert client.get("/archive/import").status_code == 403
    assert client.get("/archive/template.csv").status_code == 403


def test_a_file_that_is_not_the_template_is_refused_at_the_file(client, auth, registries):
    auth.login(role="admin")
    response = upload(client, "people.csv", b"name,email\nAnn Lee,ann@example.org\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "these columns are not understood: “name”, “email”" in page and "“network” is missing" in page
    response = upload(client, "archive.pdf", b"%PDF-1.4")
    assert response.status_code == 422 and "Only .csv and .xlsx files can be imported" in response.get_data(as_text=True)


def test_a_file_over_the_limits_is_refused_with_the_page(client, auth, registries, app):
    auth.login(role="admin")
    big_csv = b"network,meeting_title\n" + b"NADI," + b"x" * (4 * 1024 * 1024) + b"\n"
    response = upload(client, "archive.csv", big_csv)
    assert response.status_code == 422 and "the limit is 4 MB" in response.get_data(as_text=True)
    huge = b"network\n" + b"NADI\n" * (app.config["MAX_CONTENT_LENGTH"] // 5 + 10)
    response = upload(client, "archive.csv", huge)
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "larger than the 4 MB limit" in page and "Upload a file" in page
    assert counts() == (0, 0, 0, 0)


def test_an_altered_or_foreign_preview_saves_nothing(client, auth, make, registries):
    from .test_import import payload_of

    organiser = make.user(role="organiser", networks=[registries.nadi])
    auth.login(organiser)
    page = upload(client, "good.csv", as_csv(HEADER, [GOOD])).get_data(as_text=True)
    payload = payload_of(page)
    altered = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    response = client.post("/archive/import", data={"payload": altered})
    assert response.status_code == 400 and "expired or was altered" in response.get_data(as_text=True)
    auth.logout()
    auth.login(role="admin")  # another user cannot confirm this organiser's preview
    response = client.post("/archive/import", data={"payload": payload})
    assert response.status_code == 400
    assert counts() == (0, 0, 0, 0)
