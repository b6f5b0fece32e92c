"""The outbox: every mail the app sends is first a row here, written in the
same transaction as the change that causes it (mail/operations.py
queue_mail), then sent by `flask --app wsgi send-mail` (mail/sender.py).

A rolled-back change leaves no row, so nothing is sent; a mail server that
is down loses nothing, the row waits and is tried again with backoff."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow
from ..vocab import sql_in

# waiting: to be sent (at next_attempt_at); sending: claimed by a sender
# (claimed_at; a crashed sender's claim runs out after MAIL_LEASE_SECONDS);
# sent; failed: given up after MAIL_MAX_ATTEMPTS or refused for good.
MAIL_STATUSES = ("waiting", "sending", "sent", "failed")
MAIL_STATUS_LABELS = {"waiting": "Waiting", "sending": "Sending", "sent": "Sent", "failed": "Failed"}
# What each kind of mail is, for the outbox page (other kinds show as written).
MAIL_KIND_LABELS = {
    "password_reset": "Password reset",
    "user_invitation": "Invitation to an account",
    "participant_invitation": "Invitation to a workshop",
    "agenda_changed": "The agenda changed",
    "follow_up_digest": "Follow-up digest",
}


class OutboxMessage(Base):
    """One mail to one address. Its bodies are rendered when it is queued;
    the sender only turns the row into a message (mail/message.py)."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(sql_in("status", MAIL_STATUSES), name="status"),
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    # [{"filename": …, "content_type": "text/calendar", "data": base64}, …]
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    # Extra headers (List-Unsubscribe, List-Unsubscribe-Post) as a dict.
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Who may see it on the outbox page: organisers of this network (and
    # admins); None: admins only (password resets, account invitations).
    network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id", ondelete="SET NULL"), index=True)
    # A resend is a new row pointing at the one it repeats.
    resent_from_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id", ondelete="SET NULL"))

    @property
    def label(self) -> str:
        return f"{MAIL_KIND_LABELS.get(self.kind, self.kind)} to {self.to_address}"
