"""The API's common types: bounded ids, days, versions and texts, the base
models of bodies, queries and answers, a page of a list, problem details,
the short references one record makes to another, and the reference lists.

Bodies are strict JSON (a string is not a number, unknown fields are
refused); query parameters arrive as text and are converted. Every number
has bounds and every string a length, so no input can overflow a column or
an integer, and no text may hold NUL (PostgreSQL refuses it).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .. import vocab
from ..core.cleaning import column_limit
from ..db import MAX_INTEGER

API_PREFIX = "/api/v1"
API_VERSION = "1.0.0"
MAX_ID = MAX_INTEGER
MAX_PER_PAGE = 100
EARLIEST_DAY, LATEST_DAY = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
NO_NUL = r"^[^\u0000]*$"
BASE64 = r"^[A-Za-z0-9+/=\s]*$"

# ----------------------------------------------------------------- types

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=MAX_ID, description=(
    "The record's `version` as you last read it; a save over a newer version is refused with 409."))]
Year = Annotated[int, Field(ge=1900, le=2200)]
Day = Annotated[dt.date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
Clock = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
IdList = Annotated[list[Id], Field(max_length=200)]


def text(limit, description: str | None = None):
    """A string without NUL of at most `limit` characters: a String(N)
    column's N (core.cleaning.column_limit, as the web forms read it) or,
    for a Text column, a number."""
    max_length = limit if isinstance(limit, int) else column_limit(limit)
    return Annotated[str, StringConstraints(max_length=max_length, pattern=NO_NUL),
                     Field(description=description)]


def choice(values: tuple[str, ...]):
    return Literal[values]


class Body(BaseModel):
    """A request body: strict JSON, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    """Query parameters: text converted to numbers and dates, unknown ones refused."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(1, ge=1, le=1_000_000, description="The page to return, from 1.")
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE, description="Items per page.")


class Filters(BaseModel):
    """Query parameters of an answer that is not a list."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """A response body."""


T = TypeVar("T")


class Page(Out, Generic[T]):
    items: list[T]
    total: int = Field(description="How many items match, over all pages.")
    page: int
    per_page: int
    pages: int = Field(description="How many pages there are (at least 1).")
    next: str | None = Field(description="The URL of the next page, or null on the last one.")
    prev: str | None = Field(description="The URL of the previous page, or null on the first one.")


class Problem(Out):
    """An error, as RFC 9457 problem details (application/problem+json)."""

    type: str = Field(description="A URI naming the kind of problem; `about:blank` for the plain HTTP meaning.")
    title: str
    status: int
    detail: str
    errors: dict[str, str] | None = Field(None, description=(
        "For 400 and 422: the field (or query parameter) at fault and what is wrong with it. "
        "Nested fields are written with dots, list items with their index in brackets: "
        "`references[1].url`."))
    current_version: int | None = Field(None, description="For 409: the record's version now.")
    error_id: str = Field(description="The request's id, also in the X-Request-Id header and the server log.")


# ----------------------------------------------------------- references


class NetworkRef(Out):
    id: int
    acronym: str
    name: str


class SeriesRef(Out):
    id: int
    slug: str
    name: str


class InstituteRef(Out):
    id: int
    name: str
    acronym: str
    country: str


class ThemeOut(Out):
    id: int
    slug: str
    name: str


class WorkshopRef(Out):
    id: int
    slug: str
    title: str
    start_date: dt.date
    end_date: dt.date
    date_precision: str = Field(description="day, month or year (core/partial_dates.py).")
    approximate: bool


class Track1BodyRef(Out):
    id: int
    name: str
    acronym: str


class PersonRef(Out):
    id: int
    name: str = Field(description="The name with honorific; empty for an erased person.")


class FileIn(Body):
    """An uploaded file inside a JSON body (documents/operations.py checks it)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"filename": "ARF-chairs-statement.pdf", "content": "JVBERi0xLjcK"}]})

    filename: text(200, "The file's name; its extension (.pdf, .docx, .xlsx) must match its content.")
    content: Annotated[str, StringConstraints(pattern=BASE64), Field(description=(
        "The file's bytes in base64 (RFC 4648). A PDF, a Word document (.docx) or an Excel workbook "
        "(.xlsx), within the size limit (DOCUMENT_MAX_MB, 4 MB by default) and the request limit."))]


class DocumentOut(Out):
    """An uploaded file: download it (logged in, in a browser) at `download_url`."""

    id: int
    filename: str
    content_type: str
    size: int = Field(description="In bytes.")
    sha256: str
    download_url: str


class ThemePage(Page[ThemeOut]):
    pass


class InstitutePage(Page[InstituteRef]):
    pass


class InstituteQuery(Query):
    network: Id | None = Field(None, description="Only the member institutes of this network (id).")


class Me(Out):
    """The user a token acts for."""

    id: int
    name: str
    email: str
    role: choice(vocab.USER_ROLES)
    networks: list[NetworkRef] = Field(description="The networks an organiser may change records of.")
