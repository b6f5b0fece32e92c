"""An uptake event's sources, attribution and confirmation through the API:
what goes in comes back out, an uploaded file goes in as base64 and comes
back as a document to download, and a refused source is named by its index
with nothing saved (no event, no file)."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from sqlalchemy import func, select

from workshops.documents.models import Document
from workshops.extensions import db
from workshops.models import UptakeEvent, UptakeEventReference

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture
def rec(world, make):
    return make.recommendation(workshop=world.workshop, title="Standing HADR cell")


@pytest.fixture
def caller(api, world):
    return api.as_role("organiser", networks=[world.network])


def _event(**extra) -> dict:
    return {"stage": "acknowledged", "occurred_on": "2025-08-01", "evidence_kind": "statement",
            "title": "ARF Chairman's Statement, para. 12", **extra}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_sources_attribution_and_confirmation_go_in_and_come_back_out(caller, rec):
    sources = [
        {"url": "https://asean.org/arf-chairmans-statement", "label": "Chairman's Statement"},
        {"label": "ARF/32/CS"},
        {"file": {"filename": "statement.pdf", "content": b64(PDF)}, "label": "Our copy"},
    ]
    response = caller.post(f"/recommendations/{rec.id}/events",
                           json=_event(attribution="explicit", references=sources))
    assert response.status_code == 201, response.get_data(as_text=True)
    (event,) = response.get_json()["events"]
    assert event["attribution"] == "explicit" and event["confirmed"] is True
    first, second, third = event["references"]
    assert first == {"url": "https://asean.org/arf-chairmans-statement", "label": "Chairman's Statement",
                     "document_id": None, "document": None}
    assert second == {"url": None, "label": "ARF/32/CS", "document_id": None, "document": None}
    document = third["document"]
    assert third["url"] is None and third["label"] == "Our copy" and third["document_id"] == document["id"]
    assert document["filename"] == "statement.pdf" and document["content_type"] == "application/pdf"
    assert document["size"] == len(PDF)
    assert document["download_url"] == f"http://localhost/documents/{document['id']}/statement.pdf"
    assert db.session.get(Document, document["id"]).content == PDF

    # Read again, and sent back as read (the file by its document_id): the same sources.
    read = caller.get(f"/recommendations/{rec.id}").get_json()["events"][0]
    assert read["references"] == event["references"]
    again = [{k: r[k] for k in ("url", "label", "document_id") if r[k] is not None} for r in read["references"]]
    response = caller.post(f"/recommendations/{rec.id}/events", json=_event(references=again))
    assert response.status_code == 201, response.get_data(as_text=True)
    copy = response.get_json()["events"][1]
    assert [(r["url"], r["label"], r["document_id"]) for r in copy["references"]] == \
        [(r["url"], r["label"], r["document_id"]) for r in event["references"]]
    assert copy["attribution"] is None
    assert _count(Document) == 1  # the second event points at the same file


def test_an_unconfirmed_event_is_kept_but_moves_no_stage(caller, rec):
    response = caller.post(f"/recommendations/{rec.id}/events",
                           json=_event(stage="adopted", confirmed=False, attribution="thematic"))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["stage"] == "proposed" and body["last_event_on"] is None
    (event,) = body["events"]
    assert event["confirmed"] is False and event["attribution"] == "thematic" and event["stage"] == "adopted"
    response = caller.post(f"/recommendations/{rec.id}/events", json=_event(stage="transmitted"))
    assert response.get_json()["stage"] == "transmitted"


@pytest.mark.parametrize("sources, field, words", [
    ([{"url": "https://asean.org/a"}, {"url": "asean.org/statement"}], "references[1].url", "goes in the label"),
    ([{"url": "https://asean.org/a"}, {"url": "javascript:alert(1)"}], "references[1].url", "Only http"),
    ([{"label": "ARF/1"}, {"file": {"filename": "statement.pdf", "content": b64(PNG)}}],
     "references[1].file", "is not a PDF"),
    ([{"url": "https://asean.org/a", "file": {"filename": "s.pdf", "content": b64(PDF)}}],
     "references[0].url", "not both"),
    ([{"document_id": 987654}], "references[0].document_id", "no uploaded document"),
    ([{"label": "x" * 501}], "references[0].label", "500"),
    ([{"file": {"filename": "s.pdf", "content": "not base64!"}}], "references[0].file.content", "base64"),
    ([{"file": {"filename": "s.pdf", "content": "QUJ"}}], "references[0].file.content", "base64"),
    ([{"url": "https://asean.org/a", "colour": "red"}], "references[0].colour", "Unknown field"),
    ([{"label": "ARF/1"}] * 21, "references", "At most 20"),
])
def test_a_refused_source_is_named_by_its_index_and_nothing_is_saved(caller, rec, sources, field, words):
    before = rec.version
    response = caller.post(f"/recommendations/{rec.id}/events", json=_event(references=sources))
    assert response.status_code == 422, response.get_data(as_text=True)
    problem = response.get_json()
    assert field in problem["errors"], problem
    assert words in problem["errors"][field], problem
    db.session.expire_all()
    assert _count(UptakeEvent) == _count(UptakeEventReference) == _count(Document) == 0
    assert db.session.get(type(rec), rec.id).version == before


def test_a_good_file_is_not_kept_when_another_source_is_refused(caller, rec):
    sources = [{"file": {"filename": "statement.pdf", "content": b64(PDF)}}, {"url": "ftp://files.example.org/a"}]
    response = caller.post(f"/recommendations/{rec.id}/events", json=_event(references=sources))
    assert response.status_code == 422 and "references[1].url" in response.get_json()["errors"]
    assert _count(Document) == 0


def test_attribution_and_confirmed_are_checked(caller, rec):
    response = caller.post(f"/recommendations/{rec.id}/events",
                           json=_event(attribution="rumoured", confirmed="yes"))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"attribution", "confirmed"}
    assert errors["confirmed"] == "Give true or false."


def test_a_docx_and_an_xlsx_go_in_with_their_own_types(caller, rec):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    response = caller.post(f"/recommendations/{rec.id}/events", json=_event(references=[
        {"file": {"filename": "memo.docx", "content": b64(out.getvalue())}}]))
    assert response.status_code == 201, response.get_data(as_text=True)
    document = response.get_json()["events"][0]["references"][0]["document"]
    assert document["content_type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_openapi_document_describes_the_sources(api):
    document = api.anonymous.get("/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert set(schemas["ReferenceIn"]["properties"]) == {"url", "label", "document_id", "file"}
    assert "base64" in schemas["FileIn"]["properties"]["content"]["description"]
    created = schemas["UptakeEventCreate"]["properties"]
    assert {"attribution", "confirmed", "references"} <= set(created)
    assert "reference" not in created
