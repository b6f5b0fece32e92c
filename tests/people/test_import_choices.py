"""The import preview's choices: a row without email whose name is already
recorded uses that person or creates a new one, as chosen per row; a file
with problems can import its good rows only, and its bad rows come back as a
CSV file to fix (the same columns and a problem column, formulas
neutralised), which imports once corrected."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from workshops.extensions import db
from workshops.models import AuditEntry, Participation, Person

from ..conftest import checksum
from .conftest import HEADER, confirm, counts, csv_bytes, payload_of, text_of, upload


def row(name, email="", **cells) -> list[str]:
    values = {"name": name, "email": email, **cells}
    return [values.get(h, "") for h in HEADER]


def preview(client, workshop, rows):
    response = upload(client, workshop, "delegates.csv", csv_bytes(rows))
    return response, text_of(response)


def test_a_row_without_email_may_use_the_person_already_recorded(client, make, workshop, organiser):
    aung = make.person(full_name="Aung Kyaw Moe", email=None, affiliation="MISIS", country="MM")
    ann = make.person(full_name="Ann Lee", email=None)
    response, page = preview(client, workshop, [row("Aung Kyaw Moe", country="MM"), row("Ann Lee"),
                                                row("New Person")])
    assert response.status_code == 200
    assert f'name="person_2" value="{aung.id}" checked' in page  # the recorded person by default
    assert 'name="person_3" value="new"' in page
    assert "person_4" not in page  # no namesake: no choice
    people = db.session.scalar(select(db.func.count()).select_from(Person))
    done = client.post(f"/workshops/{workshop.id}/participants/import",
                       data={"payload": payload_of(response.get_data(as_text=True)), "mode": "all",
                             "person_2": str(aung.id), "person_3": "new"})
    assert done.status_code == 302
    db.session.expire_all()
    listed = {p.person_id: p for p in db.session.scalars(select(Participation))}
    assert aung.id in listed and ann.id not in listed  # Aung used, Ann recorded again as asked
    assert db.session.scalar(select(db.func.count()).select_from(Person)) == people + 2


def test_a_choice_that_is_not_the_rows_namesake_imports_nothing(client, make, workshop, organiser):
    make.person(full_name="Aung Kyaw Moe", email=None)
    stranger = make.person(full_name="Somebody Else", email="else@example.org")
    response, _ = preview(client, workshop, [row("Aung Kyaw Moe"), row("Bob Tan")])
    payload = payload_of(response.get_data(as_text=True))
    state = checksum()
    for choice in ({"person_2": str(stranger.id)}, {"person_3": str(stranger.id)}, {"person_99": "1"}):
        refused = client.post(f"/workshops/{workshop.id}/participants/import",
                              data={"payload": payload, "mode": "all", **choice})
        assert refused.status_code == 422
        assert "the person chosen is not the one suggested for this row" in text_of(refused)
        assert checksum() == state


def test_the_good_rows_import_alone_and_the_bad_ones_come_back_as_a_file_to_fix(client, make, workshop,
                                                                                organiser):
    rows = [row("Good One", "one@example.org"), row("=HYPERLINK(\"http://x\")", "bad@", country="SG"),
            row("Good Two"), row("Lost", country="Atlantis")]
    response, page = preview(client, workshop, rows)
    assert response.status_code == 422
    assert "Import the 2 good rows only" in page and "Download the 2 rows to fix (CSV)" in page
    payload = payload_of(response.get_data(as_text=True))
    # The rows to fix: the import's columns and a problem column, formulas neutralised, nothing saved.
    state = checksum()
    download = client.post(f"/workshops/{workshop.id}/participants/import-problems.csv", data={"payload": payload})
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="delegates-to-fix.csv"' in download.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0] == [*HEADER, "problem"]
    assert [r[0] for r in table[1:]] == ["'=HYPERLINK(\"http://x\")", "Lost"]
    assert "is not a valid email address" in table[1][-1] and "Unknown country" in table[2][-1]
    assert checksum() == state
    # Import the good rows only: two participants, one audited unit of work saying what was left out.
    done = client.post(f"/workshops/{workshop.id}/participants/import", data={"payload": payload, "mode": "good"})
    assert done.status_code == 302
    page = text_of(client.get(done.headers["Location"]))
    assert "Imported 2 participants from delegates.csv; 2 rows with problems were left out." in page
    names = sorted(p.person.full_name for p in db.session.scalars(select(Participation)))
    assert names == ["Good One", "Good Two"]
    notes = {e.note for e in db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "Participation"))}
    assert notes == {"Imported 2 participants from delegates.csv; 2 rows with problems left out"}
    # The file to fix, corrected, imports (its problem column is ignored).
    fixed = download.get_data(as_text=True).replace("bad@", "bad@example.org").replace("Atlantis", "Laos")
    fixed = fixed.replace("'=HYPERLINK(\"\"http://x\"\")", "Hyper Link")
    response = upload(client, workshop, "delegates-to-fix.csv", fixed.encode())
    assert response.status_code == 200, text_of(response)
    assert confirm(client, workshop, payload_of(response.get_data(as_text=True))).status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(Participation)) == 4


def test_all_or_nothing_still_refuses_a_file_with_problems(client, workshop, organiser):
    response, _ = preview(client, workshop, [row("Good One"), row("Bad", "bad@")])
    payload = payload_of(response.get_data(as_text=True))
    before = counts()
    refused = client.post(f"/workshops/{workshop.id}/participants/import", data={"payload": payload, "mode": "all"})
    assert refused.status_code == 422
    assert "1 row has a problem, so nothing was imported." in text_of(refused)
    assert counts() == before
    only_bad, _ = preview(client, workshop, [row("Bad", "bad@")])
    refused = client.post(f"/workshops/{workshop.id}/participants/import",
                          data={"payload": payload_of(only_bad.get_data(as_text=True)), "mode": "good"})
    assert refused.status_code == 422
    assert "No row is ready to import" in text_of(refused)
    assert counts() == before


def test_the_rows_to_fix_need_a_valid_preview_and_the_right(client, make, auth, workshop, organiser):
    assert client.post(f"/workshops/{workshop.id}/participants/import-problems.csv",
                       data={"payload": "garbage"}).status_code == 400
    response, _ = preview(client, workshop, [row("Bad", "bad@")])
    payload = payload_of(response.get_data(as_text=True))
    auth.logout()
    auth.login(role="viewer")
    assert client.post(f"/workshops/{workshop.id}/participants/import-problems.csv",
                       data={"payload": payload}).status_code == 403
