"""The API's bodies and answers for written outputs (outputs/models.py):
the same fields, limits and vocabularies as the output form."""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field

from .. import vocab
from ..outputs.models import Output
from .schemas_common import (
    Body,
    Id,
    IdList,
    NetworkRef,
    Out,
    Page,
    Query,
    SeriesRef,
    Version,
    Year,
    choice,
    text,
)

__all__ = ["OutputCreate", "OutputOut", "OutputPage", "OutputQuery", "OutputUpdate"]

DATE_TEXT = ("The date the output was issued. With `date_precision`, a day as YYYY-MM-DD (a month as its first "
             "day, a year as its 1 January); without it, also the loose notation of records: \"June 2007\", "
             "\"c. 2008\", \"2008?\", \"before March 2010\".")


class OutputOut(Out):
    id: int
    kind: choice(vocab.OUTPUT_KINDS)
    title: str
    date: dt.date = Field(description="The first possible day of what is known.")
    date_precision: choice(vocab.DATE_PRECISIONS)
    approximate: bool
    network: NetworkRef
    series: SeriesRef | None
    issuing_body: str
    url: str
    document_id: int | None = Field(description="An uploaded copy (GET /documents/{id}/{filename} on the site).")
    workshop_ids: list[int] = Field(description="The workshops that produced it.")
    recommendation_ids: list[int] = Field(description="The recommendations that come from it.")
    summary: str
    version: int


class OutputPage(Page[OutputOut]):
    pass


class OutputQuery(Query):
    network: Id | None = Field(None, description="Only this network's outputs (id).")
    kind: choice(vocab.OUTPUT_KINDS) | None = None
    year: Year | None = Field(None, description="Outputs dated in this year (by their first possible day).")


class OutputCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kind": "memorandum", "title": "CSCAP Memorandum No. 26", "date": "2007-06-01", "date_precision": "month",
        "network": 1, "issuing_body": "CSCAP Steering Committee", "url": "https://www.cscap.org/memo26.pdf"}]})

    kind: choice(vocab.OUTPUT_KINDS)
    title: text(Output.title)
    date: text(40, DATE_TEXT)
    date_precision: choice(vocab.DATE_PRECISIONS) | None = None
    approximate: bool = False
    network: Id = Field(description="The network that issued it (id).")
    series_id: Id | None = None
    issuing_body: text(Output.issuing_body, "E.g. CSCAP Steering Committee.") = ""
    url: text(Output.url, "A full https:// link.") = ""
    document_id: Id | None = Field(None, description="An uploaded document (id).")
    workshop_ids: IdList = Field(default_factory=list, description="The workshops that produced it.")
    summary: text(20000) = ""


class OutputUpdate(Body):
    """Only the fields given change."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1, "date": "2007", "date_precision": "year",
                                                               "approximate": True}]})

    version: Version
    kind: choice(vocab.OUTPUT_KINDS) = None
    title: text(Output.title) = None
    date: text(40, DATE_TEXT) = None
    date_precision: choice(vocab.DATE_PRECISIONS) | None = None
    approximate: bool = None
    network: Id = None
    series_id: Id | None = None
    issuing_body: text(Output.issuing_body) = None
    url: text(Output.url) = None
    document_id: Id | None = None
    workshop_ids: IdList = None
    summary: text(20000) = None
