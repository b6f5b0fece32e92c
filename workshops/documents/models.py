"""Uploaded documents (a PDF, DOCX or XLSX file), kept in the database so
that several app machines see the same files and a backup carries them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class Document(Base):
    """One uploaded file, checked by its content (documents/operations.py)
    and only ever served as a download (documents/views.py). It never
    changes: a new file is a new document."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # Deferred: lists of documents never load the files themselves.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    @property
    def label(self) -> str:
        return self.filename

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].lower()

    @property
    def kind_label(self) -> str:
        return {"pdf": "PDF", "docx": "Word", "xlsx": "Excel"}.get(self.extension, self.extension.upper())

    @property
    def size_label(self) -> str:
        """"820 KB", "1.4 MB"."""
        if self.size < 1024 * 1024:
            return f"{max(1, round(self.size / 1024))} KB"
        return f"{self.size / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"
