"""The archive import saves meetings through the workshop operation, so an
alias zone in the spreadsheet (Asia/Saigon) is kept as its current name and
a meeting's country is checked as on the form (issue 15, item 4)."""

from __future__ import annotations

from sqlalchemy import select

from workshops.extensions import db
from workshops.models import Workshop

from .test_bad_rows import GOOD, HEADER
from .test_import import as_csv, the_cli


def test_an_alias_zone_in_the_archive_is_saved_as_its_current_name(app, registries, tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_bytes(as_csv([*HEADER, "timezone"], [[*GOOD, "Asia/Rangoon"]]))
    result = the_cli(app, str(path))
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Workshop.timezone)) == "Asia/Yangon"


def test_a_meeting_without_a_country_is_named_at_its_row(app, registries, tmp_path):
    row = list(GOOD)
    row[HEADER.index("country")] = ""
    path = tmp_path / "no-country.csv"
    path.write_bytes(as_csv(HEADER, [row]))
    result = the_cli(app, str(path))
    assert result.exit_code == 1
    assert "Row 2, country: Pick a country." in result.output, result.output
