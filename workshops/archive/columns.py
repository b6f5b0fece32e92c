"""The archive spreadsheet's columns: their guide (the import page, the
README and the template read it), how a header row is read, and the
downloadable template and example.

One row is one recommendation with its source (a meeting, a written
output, or both) and at most one of its uptake events. A recommendation
taken up several times takes one row per event, repeating its reference;
a meeting or an output without recommendations takes a row of its own."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..core.cleaning import clean_text
from ..core.partial_dates import EXAMPLES as DATE_EXAMPLES
from ..core.spreadsheets import Table, csv_bytes, xlsx_bytes
from ..errors import Invalid


@dataclass(frozen=True)
class Column:
    name: str
    group: str
    what: str
    when_empty: str


LIST_SEPARATOR = " | "
_DATE_HINT = f"A date as records write it: {DATE_EXAMPLES}, “2009/2010”."

COLUMNS: tuple[Column, ...] = (
    Column("network", "Source", "The network's acronym or name (CSCAP, NADI, ASEAN-ISIS); it must be registered.",
           "The row is refused."),
    Column("co_networks", "Source", "Other networks that co-organised the meeting, separated by “ | ”.",
           "The meeting is the network's own."),
    Column("series", "Meeting", "The series' name, when the meeting belongs to one (registered under the network).",
           "A meeting outside any series."),
    Column("meeting_title", "Meeting", "The meeting's title. With its date and network it names the meeting: "
           "a meeting already recorded is used, not created again.", "No meeting: the output is the source."),
    Column("meeting_date", "Meeting", "The first day. " + _DATE_HINT, "Refused when there is a meeting title."),
    Column("meeting_end_date", "Meeting", "The last day, for a meeting known to the day.", "The first day."),
    Column("city", "Meeting", "The city.", "None."),
    Column("country", "Meeting", "A country name or ISO code (Singapore, SG, Viet Nam).",
           "Refused when the row creates a meeting: it is recorded as in person, in its country."),
    Column("timezone", "Meeting", "The venue's IANA time zone (Asia/Jakarta); an older name (Asia/Saigon) is "
           "kept as the current one (Asia/Ho_Chi_Minh).",
           "The country's usual zone, else UTC."),
    Column("hosts", "Meeting", "Host institutes (acronym or name, registered), separated by “ | ”.", "None."),
    Column("co_organisers", "Meeting", "Co-organising institutes, separated by “ | ”.", "None."),
    Column("funders", "Meeting", "Sponsoring or funding institutes, separated by “ | ”.", "None."),
    Column("chairs", "Meeting", "Who chaired it: full names, separated by “ | ”. A person recorded under that "
           "name is used; a new name becomes a new person, unless a similar name is recorded (write it as "
           "recorded) or several people share it (ambiguous).", "None."),
    Column("output_kind", "Output", "memorandum, study group report, recommendation paper, chair's statement, "
           "policy brief or other.", "No output: the meeting is the source."),
    Column("output_title", "Output", "The output's title. With its kind, date and network it names the output.",
           "No output."),
    Column("output_date", "Output", "When it was issued. " + _DATE_HINT, "Refused when there is an output."),
    Column("output_link", "Output", "A web address of the output (https://…).", "None."),
    Column("recommendation_ref", "Recommendation", "Its reference (CSCAP-MEMO-15-2). With it, or with its source "
           "and title, a recommendation already recorded is used.", "Found by its source and title."),
    Column("recommendation_title", "Recommendation", "A short title.",
           "No recommendation: the row records the meeting or output only."),
    Column("recommendation_text", "Recommendation", "The recommendation's text.", "Its title."),
    Column("priority", "Recommendation", "high, medium or low.", "medium."),
    Column("event_stage", "Uptake event", "transmitted, acknowledged, adopted or implemented.",
           "No uptake event on this row."),
    Column("event_date", "Uptake event", "When it happened. " + _DATE_HINT, "Refused when there is a stage."),
    Column("track1_body", "Uptake event", "The Track-1 body's acronym or name (ARF ISM on CTTC, ASEAN SOM); "
           "it must be registered.", "No body named."),
    Column("evidence_kind", "Uptake event", "document, statement, meeting or press.", "document."),
    Column("event_title", "Uptake event", "The document's or statement's name.",
           "The stage and the body, e.g. “Acknowledged by ARF SOM”."),
    Column("references", "Uptake event", "Web addresses or document symbols of the sources, several separated "
           "by “ | ” or on separate lines in the cell.", "No sources."),
    Column("attribution", "Uptake event", "explicit (the Track-1 text cites it), paraphrase or thematic.",
           "Not stated."),
    Column("confirmed", "Uptake event", "yes or no: is the stage confirmed?", "yes."),
    Column("excerpt", "Uptake event", "The words of the source that show the uptake.", "None."),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
HEADER_ALIASES = {
    "meeting": "meeting_title", "workshop": "meeting_title", "workshop_title": "meeting_title",
    "date": "meeting_date", "start_date": "meeting_date", "end_date": "meeting_end_date",
    "host": "hosts", "host_institute": "hosts", "co_organiser": "co_organisers", "co_organizers": "co_organisers",
    "funder": "funders", "sponsors": "funders", "sponsor": "funders", "output": "output_title",
    "reference": "recommendation_ref", "recommendation": "recommendation_title", "text": "recommendation_text",
    "stage": "event_stage", "occurred_on": "event_date", "body": "track1_body", "track_1_body": "track1_body",
    "sources": "references", "source": "references", "co_network": "co_networks",
}


def clean_line(value) -> str:
    return clean_text(value or "")


def key_of(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def read_header(header: list[str]) -> list[str | None]:
    """The column each header cell names (None for an empty cell), or
    Invalid({"file": …}) when the header does not match the template."""
    columns: list[str | None] = []
    unknown: list[str] = []
    for cell in header:
        key = key_of(clean_line(cell))
        key = HEADER_ALIASES.get(key, key)
        if key and key not in COLUMN_NAMES:
            unknown.append(clean_line(cell)[:40])
        columns.append(key or None)
    present = [c for c in columns if c]
    repeated = sorted({c for c in present if present.count(c) > 1})
    problems = []
    if unknown:
        problems.append("these columns are not understood: " + ", ".join(f"“{u}”" for u in unknown[:8]))
    if repeated:
        problems.append("these columns appear twice: " + ", ".join(repeated))
    if "network" not in present:
        problems.append("the column “network” is missing")
    if problems:
        raise Invalid({"file": (
            "The header row does not match the template: " + "; ".join(problems) + ". The first row must "
            "name the columns, in any order, as the column guide below says. Download the template to start from."
        )})
    return columns


def read_rows(table: Table) -> list[tuple[int, dict[str, str]]]:
    """The table's rows as (spreadsheet row number, {column: text}); a
    cell keeps its line breaks (several references in one cell)."""
    columns = read_header(table.header)
    rows = []
    for number, cells in table.rows:
        row = dict.fromkeys(COLUMN_NAMES, "")
        for column, cell in zip(columns, cells, strict=False):
            if column:
                row[column] = clean_text(cell, multiline=True)
        rows.append((number, row))
    return rows


def split_list(text: str) -> list[str]:
    """“RSIS | ISIS Malaysia” or one per line → ["RSIS", "ISIS Malaysia"]."""
    return [clean_line(part) for part in re.split(r"\s*\|\s*|[\r\n]+", text or "") if clean_line(part)]


# ------------------------------------------------------------------ template and example

EXAMPLE_ROWS: tuple[dict[str, str], ...] = (
    {"network": "CSCAP", "output_kind": "memorandum", "output_title": "CSCAP Memorandum No. 15: Safety and "
     "Security in the Malacca and Singapore Straits", "output_date": "June 2008",
     "recommendation_ref": "CSCAP-MEMO-15-1", "recommendation_title": "A cooperative mechanism for the Straits",
     "recommendation_text": "Littoral and user states should set up a standing mechanism for cooperation "
     "in the Straits.", "event_stage": "transmitted", "event_date": "July 2008", "track1_body": "ARF SOM",
     "references": "https://www.cscap.org/memoranda/15 | ARF/SOM/2008/4", "attribution": "explicit"},
    {"network": "CSCAP", "output_kind": "memorandum", "output_title": "CSCAP Memorandum No. 15: Safety and "
     "Security in the Malacca and Singapore Straits", "output_date": "June 2008",
     "recommendation_ref": "CSCAP-MEMO-15-1", "event_stage": "acknowledged", "event_date": "2009?",
     "track1_body": "ARF ISM-MS", "evidence_kind": "statement",
     "event_title": "Co-chairs' summary, ARF ISM on Maritime Security", "attribution": "paraphrase",
     "confirmed": "no"},
    {"network": "NADI", "series": "NADI Annual Meeting", "meeting_title": "NADI Annual Meeting 2010",
     "meeting_date": "c. 2010", "city": "Hanoi", "country": "Viet Nam", "hosts": "IDS Vietnam",
     "recommendation_ref": "NADI-2010-2", "recommendation_title": "Regular HADR table-top exercises",
     "event_stage": "adopted", "event_date": "before March 2011", "track1_body": "ADMM",
     "references": "https://admm.asean.org/ | ADMM/2011/JD", "attribution": "thematic"},
    {"network": "ASEAN-ISIS", "co_networks": "CSCAP", "meeting_title": "Seminar on Preventive Diplomacy",
     "meeting_date": "2009/2010", "country": "Malaysia", "hosts": "ISIS Malaysia", "co_organisers": "RSIS",
     "funders": "RSIS"},
)


def template_file(fmt: str, *, example: bool = False) -> bytes:
    """The header row (and, for the example, realistic rows) as CSV or XLSX."""
    rows = [[row.get(c, "") for c in COLUMN_NAMES] for row in EXAMPLE_ROWS] if example else []
    if fmt == "xlsx":
        return _as_text_columns(xlsx_bytes(COLUMN_NAMES, rows, title="Archive"))
    return csv_bytes(COLUMN_NAMES, rows)


def _as_text_columns(data: bytes) -> bytes:
    """Every column of the workbook formatted as text: Excel then keeps
    "June 2007" as typed instead of turning it into the date 1 June 2007
    (which would read as a day, not a month)."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    for index in range(1, len(COLUMN_NAMES) + 1):
        sheet.column_dimensions[get_column_letter(index)].number_format = "@"
        sheet.column_dimensions[get_column_letter(index)].width = 22
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
