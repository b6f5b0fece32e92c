"""The demo's uptake events with several sources, an uploaded document,
attributions and one event not yet confirmed (issue 13). Every event already
has its web address (loader.py); this adds to a few of them, and adds one
unconfirmed event, which changes no stage and no report figure."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..documents.operations import store_document
from ..outcomes.models import Recommendation, Track1Body, UptakeEvent, UptakeEventReference


def demo_pdf(title: str) -> bytes:
    """A one-page PDF saying `title` (ASCII), with a correct cross-reference table."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def add_sources(session, uploader) -> None:
    """Several sources on the hotline's acknowledgement, attributions on a few
    events, and an ARF statement not yet confirmed to take up the incident database."""
    recs = {r.title: r for r in session.scalars(select(Recommendation))}
    hotline = recs["Hotline among coast guards"]
    statement = next(e for e in hotline.events if e.stage == "acknowledged")
    statement.attribution = "explicit"
    pdf = store_document(session, uploader, "ARF-31-chairmans-statement.pdf",
                         demo_pdf("31st ARF Chairman's Statement, paragraph 41 (demo copy)"))
    statement.references += [
        UptakeEventReference(position=1, label="ARF/31/CS"),
        UptakeEventReference(position=2, document_id=pdf.id, label="Chairman's Statement (PDF kept by CSCAP)"),
    ]
    statement.references[0].label = "31st ARF Chairman's Statement"
    next(e for e in hotline.events if e.stage == "adopted").attribution = "paraphrase"
    database = recs["Shared incident database"]
    database.events.append(UptakeEvent(
        stage="acknowledged", occurred_on=dt.date(2024, 7, 26), evidence_kind="statement",
        track1_body=session.scalar(select(Track1Body).where(Track1Body.acronym == "ARF")),
        title="ARF Chairman's Statement mentions maritime incident data", attribution="thematic", confirmed=False,
        excerpt="…encouraged information sharing on incidents at sea…", recorded_by=uploader,
        references=[UptakeEventReference(url="https://asean.org/documents/2024/arf-31-chairs-statement",
                                         label="31st ARF Chairman's Statement")],
    ))
