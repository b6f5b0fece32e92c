"""The shared spreadsheet helpers: formula injection is neutralised on the
way out; uploads are read, or refused with one clear message."""

from __future__ import annotations

import io

import openpyxl
import pytest

from workshops.core.spreadsheets import SpreadsheetError, csv_bytes, neutralise, read_table, xlsx_bytes

MB = 1024 * 1024


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                   '=HYPERLINK("http://evil.example","click")'])
def test_cells_that_a_spreadsheet_would_run_as_formulas_get_a_leading_quote(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Ann Lee", "", "a=b", "Lee-Smith", "3 + 4", 42, -5, None])
def test_other_values_are_left_alone(value):
    assert neutralise(value) == value


def test_a_csv_file_carries_text_not_formulas():
    body = csv_bytes(["Name"], [["=cmd|' /C calc'!A0"], ["Ann"]]).decode("utf-8-sig")
    assert body.splitlines() == ["Name", "'=cmd|' /C calc'!A0", "Ann"]


def test_an_xlsx_file_carries_text_not_formulas_and_drops_control_characters():
    body = xlsx_bytes(["Name", "Note"], [["=1+1", "bell\x07here"], ["-2", 3]])
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert [(c.value, c.data_type) for c in sheet[2]] == [("'=1+1", "s"), ("bellhere", "s")]
    assert sheet["A3"].value == "'-2" and sheet["B3"].value == 3
    assert sheet["A1"].font.bold


def test_read_table_reads_csv_with_a_byte_order_mark_and_semicolons():
    table = read_table("list.csv", "\ufeffname;email\nAnn;ann@example.org\n\nBob;\n".encode(),
                       max_bytes=MB, max_rows=10)
    assert table.header == ["name", "email"]
    assert table.rows == [(2, ["Ann", "ann@example.org"]), (4, ["Bob", ""])]


def test_read_table_reads_xlsx_numbers_as_text():
    workbook = openpyxl.Workbook()
    workbook.active.append(["name", "phone"])
    workbook.active.append(["Ann", 6512345678])
    out = io.BytesIO()
    workbook.save(out)
    table = read_table("list.xlsx", out.getvalue(), max_bytes=MB, max_rows=10)
    assert table.rows == [(2, ["Ann", "6512345678"])]


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("list.pdf", b"%PDF-1.4", "Only .csv and .xlsx files"),
    ("list", b"name\nAnn", "Only .csv and .xlsx files"),
    ("list.xls", b"\xd0\xcf\x11\xe0", "old Excel 97–2003 file"),
    ("list.csv", b"", "The file is empty"),
    ("list.csv", b"\n \n", "The file is empty"),
    ("list.csv", b"name,email\n", "header row but no rows"),
    ("list.csv", "name\nJosé\n".encode("latin-1"), "not saved as UTF-8"),
    ("list.csv", "name\nAnn\n".encode("utf-16"), "not saved as UTF-8"),
    ("list.xlsx", b"this is not a workbook", "could not be read as an Excel workbook"),
    ("list.csv", b"x" * (MB + 1), "the limit is 1 MB"),
])
def test_read_table_refuses_a_bad_upload_with_one_clear_message(filename, data, message):
    with pytest.raises(SpreadsheetError) as caught:
        read_table(filename, data, max_bytes=MB, max_rows=10)
    assert message in str(caught.value)


def test_read_table_refuses_more_rows_than_the_limit():
    data = ("name\n" + "".join(f"Person {i}\n" for i in range(11))).encode()
    with pytest.raises(SpreadsheetError, match="more than 10 rows"):
        read_table("list.csv", data, max_bytes=MB, max_rows=10)
    assert len(read_table("list.csv", data.rsplit(b"Person 10", 1)[0], max_bytes=MB, max_rows=10).rows) == 10
