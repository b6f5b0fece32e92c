"""Spreadsheets in and out: CSV and XLSX tables, safe to open in Excel.

Writing: every text cell goes through `neutralise`, so a name such as
"=HYPERLINK(...)" arrives as text, never as a formula (formula injection).
Reading: `read_table` turns an uploaded CSV or XLSX file into rows of text,
or raises `SpreadsheetError` with one message an organiser can act on.

An upload is untrusted. An XLSX file is a zip archive of XML, so before
openpyxl opens it `_check_xlsx_archive` measures it without unpacking it
into memory: the number of members, each member's uncompressed size and
compression ratio (a small file that unpacks to hundreds of megabytes is
refused), and every XML member is read once, streamed, by defusedxml's
parser, which refuses a document type or entity declaration (the "billion
laughs"); it also bounds the nesting depth, the number of cells and the
length of one string (only the callback interface, ContentHandler, comes
from xml.sax). openpyxl itself parses with defusedxml too, because
defusedxml is installed (requirements.txt). CSV cells and rows have the
same bounds. Each refusal is a SpreadsheetError, shown as a 422.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.handler import ContentHandler  # nosec B406

from defusedxml.common import DefusedXmlException
from defusedxml.expatreader import create_parser
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .cleaning import NOT_IN_XML

# A cell starting with one of these is read as a formula by Excel,
# LibreOffice or Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value that a spreadsheet shows as text: strings beginning with
    = + - @ (or a tab or carriage return) get a leading single quote. Other
    values (numbers, dates, None) are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _text_cell(value):
    value = neutralise(value)
    if isinstance(value, str):
        value = NOT_IN_XML.sub("", value)  # XLSX cannot hold them (openpyxl refuses them)
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A CSV file in UTF-8 with a byte-order mark (so Excel reads accents right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else _text_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet1") -> bytes:
    """An XLSX workbook with one sheet: a bold header row, then the rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    bold = Font(bold=True)
    cells = []
    for h in header:
        cell = WriteOnlyCell(sheet, value=_text_cell(h))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([_text_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", NOT_IN_XML.sub("", title)).strip()
    return (cleaned or "Sheet1")[:31]


# ---- reading uploads ----------------------------------------------------

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(ValueError):
    """The upload cannot be read as a table; the message says what to do."""


@dataclass
class Table:
    """An uploaded table: the header cells and the data rows, each with the
    row number a person sees in their spreadsheet program."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"


def read_table(filename: str, data: bytes, *, max_bytes: int, max_rows: int) -> Table:
    """The header and rows of an uploaded .csv or .xlsx file, as text.

    Raises SpreadsheetError for a wrong file type, a file over `max_bytes`,
    a wrong encoding, an empty file, an unreadable workbook, or more than
    `max_rows` data rows."""
    name = (filename or "").strip()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xls":
        raise SpreadsheetError(
            "This is an old Excel 97–2003 file (.xls). Save it as an Excel workbook (.xlsx) "
            "or as “CSV UTF-8”, then upload it again."
        )
    if extension not in ("csv", "xlsx"):
        shown = f"“{name[:80]}”" if name else "this file"
        raise SpreadsheetError(
            f"Only .csv and .xlsx files can be imported, and {shown} is neither. In Excel or "
            "Google Sheets, save or download the sheet as “CSV UTF-8” or as an Excel workbook (.xlsx)."
        )
    if len(data) > max_bytes:
        raise SpreadsheetError(
            f"The file is {_megabytes(len(data))}; the limit is {_megabytes(max_bytes)}. "
            "Split it into smaller files and import them one after the other."
        )
    if not data.strip():
        raise SpreadsheetError("The file is empty: it has no header row and no rows.")
    lines = _read_xlsx(data, max_rows) if extension == "xlsx" else _read_csv(data, max_rows)
    if not lines:
        raise SpreadsheetError("The file is empty: it has no header row and no rows.")
    (_, header), rows = lines[0], lines[1:]
    if not rows:
        raise SpreadsheetError("The file has a header row but no rows below it.")
    return Table(header=header, rows=rows)


# Bounds of an upload, far above any real participant list (a template has
# nine columns; 1,000 rows of them unpack to well under a megabyte).
MAX_CELL_CHARS = 32_767  # the most Excel itself holds in one cell
MAX_CELLS = 200_000
MAX_COLUMNS = 50
MAX_XLSX_MEMBERS = 500
MAX_XLSX_UNPACKED = 20 * 1024 * 1024  # all members together, uncompressed
MAX_COMPRESSION_RATIO = 100  # for a member of more than RATIO_CHECKED_FROM bytes
RATIO_CHECKED_FROM = 1024 * 1024
MAX_XML_DEPTH = 100  # a worksheet nests about 7 deep
_CHUNK = 64 * 1024

_SAVE_AGAIN = "Open it in Excel and save it again as .xlsx, or save it as “CSV UTF-8”."


def _too_many(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"The file has more than {max_rows:,} rows. Import at most {max_rows:,} rows at a time."
    )


def _read_csv(data: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:  # \x00 everywhere: UTF-16 text
        raise SpreadsheetError(
            "The file is not saved as UTF-8 text, so names with accents would be garbled. "
            "In Excel choose Save as → “CSV UTF-8 (comma delimited)”; in other programs choose "
            "the UTF-8 encoding, then upload it again."
        )
    if data[:4] == b"PK\x03\x04":
        raise SpreadsheetError(
            "This file is an Excel workbook with a .csv name. Rename it to .xlsx, or save it as "
            "“CSV UTF-8” in Excel, then upload it again."
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)  # Excel in many locales writes ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    cell_count = 0
    try:
        for cells in reader:
            if any(len(c) > MAX_CELL_CHARS for c in cells):
                raise _cell_too_long(f"on line {reader.line_num}")
            cell_count += len(cells)
            if cell_count > MAX_CELLS:
                raise _too_many_cells()
            cells = [c.strip() for c in cells]
            if any(cells):
                if len(lines) > max_rows:  # the header plus max_rows rows
                    raise _too_many(max_rows)
                lines.append((reader.line_num, cells))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # the csv module's own bound (131,072)
            raise _cell_too_long(f"near line {reader.line_num}") from exc
        raise SpreadsheetError(
            f"The file could not be read as CSV near line {reader.line_num} ({exc}). "
            "Open it in a spreadsheet program and save it again as “CSV UTF-8”."
        ) from exc
    return lines


def _cell_too_long(where: str) -> SpreadsheetError:
    return SpreadsheetError(
        f"A cell {where} holds more than {MAX_CELL_CHARS:,} characters, more than a spreadsheet cell can. "
        "Check that the file is the participant list, shorten that cell, then upload it again."
    )


def _too_many_cells() -> SpreadsheetError:
    return SpreadsheetError(
        f"The file has more than {MAX_CELLS:,} cells. A participant list needs at most "
        f"{MAX_COLUMNS} columns: delete the other columns and sheets, then upload it again."
    )


class _XmlBounds(ContentHandler):
    """Counts while defusedxml's parser streams one XML member: nesting
    depth, cells (<c> elements) and the length of one text."""

    def __init__(self, cells: int):
        super().__init__()
        self.depth = 0
        self.cells = cells
        self.text = 0

    def startElement(self, name, attrs):  # noqa: N802  (the SAX interface)
        self.depth += 1
        self.text = 0
        if self.depth > MAX_XML_DEPTH:
            raise SpreadsheetError(
                f"The workbook's content is nested more than {MAX_XML_DEPTH} levels deep, which no "
                f"spreadsheet program writes, so it was not read. {_SAVE_AGAIN}"
            )
        if name == "c" or name.endswith(":c"):
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise _too_many_cells()

    def endElement(self, name):  # noqa: N802
        self.depth -= 1
        self.text = 0

    def characters(self, content):
        self.text += len(content)
        if self.text > MAX_CELL_CHARS:
            raise _cell_too_long("of the workbook")


def _check_xlsx_archive(data: bytes) -> None:
    """Refuse a workbook that would take too much memory or time to open,
    before openpyxl opens it (see the module's docstring)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SpreadsheetError(
            f"The file could not be read as an Excel workbook (.xlsx). {_SAVE_AGAIN}"
        ) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_XLSX_MEMBERS:
            raise SpreadsheetError(
                f"The workbook holds {len(members):,} parts; a participant list has a few dozen. {_SAVE_AGAIN}"
            )
        unpacked = sum(m.file_size for m in members)
        if unpacked > MAX_XLSX_UNPACKED:
            raise SpreadsheetError(
                f"The workbook unpacks to {_megabytes(unpacked)}; the limit is {_megabytes(MAX_XLSX_UNPACKED)}. "
                "Delete the other sheets, pictures and unused rows, or save it as “CSV UTF-8”, "
                "then upload it again."
            )
        for member in members:
            if (member.file_size > RATIO_CHECKED_FROM
                    and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)):
                raise SpreadsheetError(
                    f"The workbook is packed more than {MAX_COMPRESSION_RATIO} times tighter than a spreadsheet "
                    f"can be ({_megabytes(member.compress_size)} unpacks to {_megabytes(member.file_size)}), "
                    f"so it was not opened. {_SAVE_AGAIN}"
                )
        bounds = _XmlBounds(cells=0)
        for member in members:
            if member.filename.lower().endswith((".xml", ".rels", ".vml")):
                _check_xml_member(archive, member, bounds)


def _check_xml_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, bounds: _XmlBounds) -> None:
    parser = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(bounds)
    bounds.depth = bounds.text = 0
    read = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                if read > MAX_XLSX_UNPACKED:  # zipfile holds a member to its stated size; this is a second guard
                    raise SpreadsheetError(f"The workbook unpacks to more than {_megabytes(MAX_XLSX_UNPACKED)}.")
                parser.feed(chunk)
            parser.close()
    except SpreadsheetError:
        raise
    except DefusedXmlException as exc:
        raise SpreadsheetError(
            "The workbook contains XML entity or document-type declarations, which spreadsheet programs "
            f"never write and which can make a file expand without end, so it was not read. {_SAVE_AGAIN}"
        ) from exc
    except Exception as exc:  # noqa: BLE001  (a damaged archive or XML fails in many ways)
        raise SpreadsheetError(
            f"The Excel workbook is damaged and could not be read. {_SAVE_AGAIN}"
        ) from exc


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    _check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise SpreadsheetError(
            "The file could not be read as an Excel workbook (.xlsx). Open it in Excel and save it "
            "again as .xlsx, or save it as “CSV UTF-8”."
        ) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise SpreadsheetError("The workbook has no sheet.")
        lines = []
        blank_run = 0
        # Only the first 50 columns: a template has nine, and a damaged file
        # claiming a million columns must not fill the memory.
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            text = [_cell_text(v) for v in cells]
            if any(len(t) > MAX_CELL_CHARS for t in text):
                raise _cell_too_long(f"in row {number}")
            while text and not text[-1]:
                text.pop()
            if not text:
                blank_run += 1
                if blank_run > 1000:  # formatted but empty rows to the bottom of the sheet
                    break
                continue
            blank_run = 0
            if len(lines) > max_rows:  # the header plus max_rows rows
                raise _too_many(max_rows)
            lines.append((number, text))
        return lines
    except SpreadsheetError:
        raise
    except Exception as exc:  # noqa: BLE001  (a damaged workbook fails in many ways)
        raise SpreadsheetError(
            "The Excel workbook is damaged and could not be read. Open it in Excel and save it "
            "again, or save it as “CSV UTF-8”."
        ) from exc
    finally:
        workbook.close()
