"""Crafted spreadsheets cannot exhaust or crash a worker (issue 11, security:
"spreadsheet upload exhausts or crashes a worker"). Each file is built here,
small on the wire; each is refused on the import page with a 422 and one
clear message, quickly, and nothing is saved."""

from __future__ import annotations

import io
import random
import string
import zipfile

import openpyxl
import pytest

from workshops.core import spreadsheets

from .conftest import counts, csv_bytes, text_of, upload

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
CONTENT_TYPES = b'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>'''
PACKAGE_RELS = b'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="xl/workbook.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'''
WORKBOOK = b'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook ''' + MAIN + b''' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'''
WORKBOOK_RELS = b'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
<Relationship Id="rId2" Target="sharedStrings.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'''
SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ' + MAIN + b'><sheetData>'
         b'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
         b'</sheetData></worksheet>')
STRINGS_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
GOOD_STRINGS = STRINGS_HEAD + b"<sst " + MAIN + b"><si><t>name</t></si><si><t>Ann Lee</t></si></sst>"
MB = 1024 * 1024


def workbook(strings=GOOD_STRINGS, sheet=SHEET, extra=()) -> bytes:
    """A workbook written part by part as Excel does; `strings` (the shared
    strings) and `sheet` may be bytes or an iterable of chunks, streamed into
    the archive so that even hundreds of megabytes are never held at once."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           ("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", strings), *extra):
            with archive.open(name, "w") as part:
                for chunk in [body] if isinstance(body, bytes) else body:
                    part.write(chunk)
    return out.getvalue()


def billion_laughs() -> bytes:
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
    return workbook(STRINGS_HEAD + b"<!DOCTYPE sst [" + entities + b"]><sst " + MAIN
                    + b"><si><t>name</t></si><si><t>&lol9;</t></si></sst>")


def nested_entities() -> bytes:
    """100,000 entities each made of the one before (the file that crashed a worker)."""
    entities = b'<!ENTITY e0 "x">' + b"".join(b'<!ENTITY e%d "&e%d;">' % (i, i - 1) for i in range(1, 100_000))
    return workbook(STRINGS_HEAD + b"<!DOCTYPE sst [" + entities + b"]><sst " + MAIN
                    + b"><si><t>name</t></si><si><t>&e99999;</t></si></sst>")


def nested_elements() -> bytes:
    """100,000 elements, each inside the one before."""
    return workbook([STRINGS_HEAD, b"<sst " + MAIN + b"><si><t>name</t></si><si>", b"<r>" * 100_000,
                     b"</r>" * 100_000, b"</si></sst>"])


def one_huge_string() -> bytes:
    """One 100 MB string in a file of about 100 KB (the audit's had 400 MB in
    410 KB and took 1.9 GB to open; the bound is the same)."""
    return workbook([STRINGS_HEAD, b"<sst " + MAIN + b"><si><t>name</t></si><si><t>", *[b"A" * MB] * 100,
                     b"</t></si></sst>"])


def one_long_string() -> bytes:
    """One 200,000-character string that hardly compresses: within the size
    limits, longer than any spreadsheet cell."""
    text = "".join(random.Random(7).choices(string.ascii_letters, k=200_000)).encode()
    return workbook(STRINGS_HEAD + b"<sst " + MAIN + b"><si><t>name</t></si><si><t>" + text + b"</t></si></sst>")


def many_small_strings() -> bytes:
    """100 MB of small strings in about 250 KB."""
    chunk = b"<si><t>a</t></si>" * 61_681  # about 1 MB
    return workbook([STRINGS_HEAD, b"<sst " + MAIN + b"><si><t>name</t></si>", *[chunk] * 100, b"</sst>"])


def tightly_packed() -> bytes:
    """15 MB of one repeated string: under the size limit, but packed a
    thousand times tighter than a real sheet."""
    chunk = b"<si><t>Ann Lee</t></si>" * 43_690
    return workbook([STRINGS_HEAD, b"<sst " + MAIN + b"><si><t>name</t></si>", *[chunk] * 15, b"</sst>"])


def too_many_cells() -> bytes:
    """300,000 cells, each a little different so that they do not pack tightly."""
    rows = (b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>%d</v></c>' % (col, r, r * 7 + i)
                                          for i, col in enumerate((b"A", b"B", b"C", b"D", b"E", b"F")))
            + b"</row>" for r in range(1, 50_001))
    return workbook(sheet=[b'<?xml version="1.0"?><worksheet ' + MAIN + b"><sheetData>", *rows,
                           b"</sheetData></worksheet>"])


def too_many_parts() -> bytes:
    return workbook(extra=[(f"xl/media/image{i}.png", b"") for i in range(600)])


CRAFTED = {
    "billion laughs": ("laughs.xlsx", billion_laughs, "entity or document-type declarations"),
    "nested entities": ("nested.xlsx", nested_entities, "entity or document-type declarations"),
    "nested elements": ("deep.xlsx", nested_elements, "nested more than 100 levels deep"),
    "one huge string": ("huge.xlsx", one_huge_string, "The workbook unpacks to 100 MB; the limit is 20 MB."),
    "one long string": ("long.xlsx", one_long_string, "holds more than 32,767 characters"),
    "many small strings": ("many.xlsx", many_small_strings, "the limit is 20 MB"),
    "tightly packed": ("packed.xlsx", tightly_packed, "packed more than 100 times tighter"),
    "too many cells": ("cells.xlsx", too_many_cells, "more than 200,000 cells"),
    "too many parts": ("parts.xlsx", too_many_parts, "The workbook holds 606 parts"),
    "not a zip": ("list.xlsx", lambda: b"name,email\nAnn Lee,ann@example.org\n",
                  "could not be read as an Excel workbook (.xlsx)"),
    "a broken zip": ("list.xlsx", lambda: workbook()[:-40], "could not be read as an Excel workbook"),
    "an enormous csv field": ("big-field.csv", lambda: b'name\n"' + b"x" * (1_500_000) + b'"\n',
                              "A cell near line 2 holds more than 32,767 characters"),
    "a long csv field": ("long-field.csv", lambda: csv_bytes([["x" * 40_000]], header=["name"]),
                         "A cell on line 2 holds more than 32,767 characters"),
    "too many csv cells": ("wide.csv", lambda: b"name\n" + b"Ann" + b"," * 1_500_000 + b"\n",
                           "more than 200,000 cells"),
    "too many csv rows": ("long.csv", lambda: b"name\n" + b"Ann\n" * 300_000, "more than 1,000 rows"),
}


@pytest.mark.parametrize("case", list(CRAFTED))
def test_a_crafted_spreadsheet_is_refused_with_a_clear_message(client, workshop, organiser, case):
    filename, build, message = CRAFTED[case]
    data = build()
    assert len(data) < 2 * MB  # under the upload limit: the bounds below are what refuses it
    before = counts()
    response = upload(client, workshop, filename, data)
    page = text_of(response)
    assert response.status_code == 422, page[:2000]
    assert message in page, page[page.find('class="form-summary"'):][:600]
    assert "Nothing has been imported." in page
    assert counts() == before


def test_the_hand_built_workbook_itself_imports(client, workshop, organiser):
    """The crafted files differ from this one only in what they craft."""
    response = upload(client, workshop, "good.xlsx", workbook())
    assert response.status_code == 200 and "All 1 rows are ready" in text_of(response)


def test_openpyxl_parses_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML
    from openpyxl.xml.functions import iterparse

    assert DEFUSEDXML is True and iterparse.__module__.startswith("defusedxml")


def test_a_real_workbook_of_the_largest_size_allowed_is_read_well_within_the_bounds():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "email", "country", "sector", "role", "status", "affiliation", "serving_official",
                  "consent"])
    for i in range(1000):
        sheet.append([f"Participant {i}", f"p{i}@example.org", "Lao PDR", "academia", "participant",
                      "no-show", f"Institute {i} " + "x" * 150, "no", "yes"])
    out = io.BytesIO()
    book.save(out)
    table = spreadsheets.read_table("full.xlsx", out.getvalue(), max_bytes=2 * MB, max_rows=1000)
    assert len(table.rows) == 1000
