"""Helpers for the people tests: a workshop in an organiser's network,
uploading spreadsheets, reading the preview's signed rows back."""

from __future__ import annotations

import csv
import html
import io
import re

import openpyxl
import pytest

from workshops.extensions import db
from workshops.models import AuditEntry, Participation, Person

from ..conftest import count as count_rows

HEADER = ["name", "email", "country", "sector", "role", "status", "affiliation", "serving_official", "consent",
          "named_publicly"]


def count(model) -> int:
    db.session.expire_all()
    return count_rows(model)


def counts() -> tuple[int, int, int]:
    """(people, participations, audit entries): what a refused action must leave alone."""
    return count(Person), count(Participation), count(AuditEntry)


def csv_bytes(rows, header=HEADER, *, encoding="utf-8", delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, workshop, filename: str, data: bytes):
    return client.post(
        f"/workshops/{workshop.id}/participants/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def payload_of(page: str) -> str:
    match = re.search(r'name="payload"[^>]*value="([^"]*)"', page) or re.search(
        r'value="([^"]*)"[^>]*name="payload"', page)
    assert match, "the preview has no confirm form"
    return html.unescape(match.group(1))


def confirm(client, workshop, payload: str):
    return client.post(f"/workshops/{workshop.id}/participants/import", data={"payload": payload})


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def network(make):
    return make.network(acronym="NADI", name="Network of ASEAN Defence and Security Institutions")


@pytest.fixture
def workshop(make, network):
    series = make.series(network=network, name="NADI Workshop on HADR")
    return make.workshop(series=series, title="NADI Workshop on Disaster Relief 2025")


@pytest.fixture
def organiser(auth, network):
    """Logged in as an organiser of the workshop's network."""
    return auth.login(role="organiser", networks=[network])
