"""Uploaded documents: accepted only when the content is what the name says,
within the size cap, and only ever sent back as a download."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from workshops.audit.operations import unit_of_work
from workshops.core.spreadsheets import xlsx_bytes
from workshops.documents.models import Document
from workshops.documents.operations import DOCX_MIME, clean_filename, document_problem, store_document
from workshops.errors import Invalid
from workshops.extensions import db

from ..conftest import audit_entries, count

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def zipped(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx(**extra: bytes) -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", **extra})


def store(user, filename, data) -> Document:
    with unit_of_work(user) as session:
        return store_document(session, user, filename, data)


def refusal(user, filename, data) -> str:
    with pytest.raises(Invalid) as refused:
        store(user, filename, data)
    assert count(Document) == 0
    return refused.value.errors["file"]


def test_a_pdf_a_docx_and_an_xlsx_are_stored_with_the_type_their_extension_names(app, make):
    user = make.user()
    pdf = store(user, "ARF chair's statement.pdf", PDF)
    word = store(user, "memo.DOCX", docx())
    sheet = store(user, "figures.xlsx", xlsx_bytes(["a"], [["1"]]))
    db.session.expire_all()
    assert (pdf.content_type, pdf.size, pdf.sha256) == ("application/pdf", len(PDF), hashlib.sha256(PDF).hexdigest())
    assert pdf.content == PDF and pdf.uploaded_by_id == user.id
    assert word.content_type == DOCX_MIME
    assert sheet.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    # The audit trail records the upload, the file's size but not its bytes.
    created = audit_entries("Document", "create")
    assert len(created) == 3
    assert created[0].changes["content"] == [None, f"({len(PDF):,} bytes)"]
    assert created[0].changes["filename"] == [None, "ARF chair's statement.pdf"]


def test_a_png_named_pdf_is_refused(app, make):
    message = refusal(make.user(), "statement.pdf", PNG)
    assert "is not a PDF, whatever its name says" in message


def test_a_file_above_the_cap_is_refused_with_both_sizes(app, make):
    app.config["DOCUMENT_MAX_BYTES"] = 1024 * 1024
    message = refusal(make.user(), "big.pdf", PDF + b"0" * (1024 * 1024 + 512 * 1024))
    assert message.startswith("The file is 1.5 MB, more than the limit of 1 MB. ")
    assert store(make.user(), "just.pdf", PDF + b"0" * (1024 * 1024 - len(PDF))).size == 1024 * 1024


def test_a_docx_that_is_a_renamed_zip_of_something_else_is_refused(app, make):
    user = make.user()
    holiday = zipped({"photo.jpg": b"\xff\xd8\xff" + b"x" * 100, "notes.txt": b"hello"})
    assert "is not a Word document" in refusal(user, "memo.docx", holiday)
    # A workbook is not a Word document either, nor a Word document a workbook.
    assert "is not a Word document" in refusal(user, "memo.docx", xlsx_bytes(["a"], [["1"]]))
    assert "is not an Excel workbook" in refusal(user, "sheet.xlsx", docx())


@pytest.mark.parametrize("filename, data, words", [
    ("memo.docx", b"PK\x03\x04 broken", "is not a Word document"),
    ("memo.docx", PDF, "is not a Word document"),
    ("memo.docx", b"junk in front" + docx(), "is not a Word document"),
    ("memo.docx", docx(**{"word/vbaProject.bin": b"macro"}), "contains macros"),
    ("memo.doc", PDF, "only a PDF, a Word document (.docx) or an Excel workbook (.xlsx) can"),
    ("run.exe", b"MZ", "cannot be attached"),
    ("noextension", PDF, "cannot be attached"),
    ("empty.pdf", b"", "The file is empty"),
    ("page.pdf", b"<html><script>alert(1)</script>", "is not a PDF"),
])
def test_other_files_are_refused_with_a_clear_message(app, make, filename, data, words):
    assert words in refusal(make.user(), filename, data)


def test_a_zip_bomb_is_refused_without_unpacking_it(app, make):
    bomb = docx(**{"word/media/padding.xml": b"\x00" * (40 * 1024 * 1024)})
    assert len(bomb) < 200_000
    assert "unpacks to" in refusal(make.user(), "memo.docx", bomb)


def test_a_file_name_is_cleaned_of_paths_and_hidden_characters():
    assert clean_filename("C:\\fakepath\\memo.pdf") == "memo.pdf"
    assert clean_filename("../../etc/report.pdf") == "report.pdf"
    assert clean_filename("statement\u202efdp.exe") == "statementfdp.exe"
    assert clean_filename('a"b\x00.pdf') == "a'b.pdf"
    long = clean_filename("x" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")
    assert document_problem("statement\u202efdp.exe", PDF).startswith("“statementfdp.exe” cannot be attached")


def test_the_download_is_an_attachment_with_the_stored_type_never_inline(app, client, auth, make):
    user = make.user(role="viewer")
    document = store(make.user(), "Chair’s statement <2024>.pdf", PDF)
    url = f"/documents/{document.id}/{document.filename}"
    assert client.get(url).status_code == 302  # logged out: to the login page
    auth.login(user)  # any logged-in user, a viewer too
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "inline" not in disposition
    assert "filename*=UTF-8''Chair%E2%80%99s%20statement%20%3C2024%3E.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response.headers["Cache-Control"]
    word = store(user, "memo.docx", docx())
    response = client.get(f"/documents/{word.id}/memo.docx")
    assert response.headers["Content-Type"] == DOCX_MIME
    assert response.headers["Content-Disposition"] == 'attachment; filename=memo.docx'


def test_a_document_has_one_address(app, client, auth, make):
    auth.login()
    document = store(make.user(), "memo.pdf", PDF)
    assert client.get(f"/documents/{document.id}/other.pdf").status_code == 404
    assert client.get(f"/documents/{document.id + 1}/memo.pdf").status_code == 404
    assert client.get(f"/documents/{document.id}/memo.pdf").status_code == 200
