"""Queueing mail, inside the unit of work of the change that causes it.

    with unit_of_work(actor) as session:
        participation.invited_at = utcnow()
        text, html = render_mail("participant_invitation", person=person, link=link)
        queue_mail(session, kind="participant_invitation", to=person.email,
                   subject="Your agenda", text=text, html=html,
                   attachments=[Attachment("agenda.ics", "text/calendar", ics_bytes)],
                   network_id=workshop.network_id)

The row is added to that session: committed with the change, or rolled
back with it (nothing is sent). An OutboxMessage is audited like any row,
so a queue outside a unit of work is refused by the audit layer; its bodies
and headers are never copied into the trail (they hold links).
`flask --app wsgi send-mail` sends it (mail/sender.py)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from email.utils import make_msgid
from typing import NamedTuple

from flask import current_app, g, has_app_context, has_request_context, render_template
from sqlalchemy.orm import Session

from ..db import utcnow
from ..errors import Invalid
from .models import OutboxMessage

MAX_ADDRESS_LENGTH = 254
# One plain address, nothing a header could be smuggled through.
_ADDRESS = re.compile(r"^[^@\s,;<>()\"\\]{1,64}@[^@\s,;<>()\"\\\[\]]{1,252}\.[^@\s,;<>()\"\\\[\]]{1,63}$")


class Attachment(NamedTuple):
    filename: str
    content_type: str  # "text/calendar"
    data: bytes


def clean_address(address: str, field: str = "to") -> str:
    """The address lowercased and trimmed, or Invalid naming `field`."""
    value = (address or "").strip().lower()
    if not value or len(value) > MAX_ADDRESS_LENGTH or not _ADDRESS.match(value) \
            or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise Invalid({field: "Enter one email address such as name@example.org."})
    return value


def mail_domain() -> str:
    """The domain of MAIL_FROM, for Message-IDs."""
    sender = current_app.config.get("MAIL_FROM", "") if has_app_context() else ""
    domain = sender.rsplit("@", 1)[-1].strip(" >") if "@" in sender else ""
    return domain or "workshops.localhost"


def render_mail(name: str, **context) -> tuple[str, str]:
    """The text and HTML bodies of a mail, from templates/mail/<name>.txt and
    templates/mail/<name>.html (the HTML one extends mail/_layout.html)."""
    text = render_template(f"mail/{name}.txt", **context)
    html = render_template(f"mail/{name}.html", **context)
    return text.strip() + "\n", html


def queue_mail(session: Session, *, kind: str, to: str, subject: str, text: str, html: str = "",
               attachments: Iterable[Attachment | tuple[str, str, bytes]] = (),
               unsubscribe_url: str | None = None, network_id: int | None = None) -> OutboxMessage:
    """Add one mail to `session` (the current unit of work's): sent once the
    change commits. `unsubscribe_url` adds List-Unsubscribe (for notices, not
    for a password reset or an invitation). `network_id`: whose organisers
    may see it on the outbox page (None: admins only)."""
    address = clean_address(to)
    subject = " ".join((subject or "").split())[:300]
    headers = {}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message = OutboxMessage(
        kind=kind, to_address=address, subject=subject, text_body=text, html_body=html or "",
        attachments=[_encoded(Attachment(*a)) for a in attachments], headers=headers,
        message_id=make_msgid(domain=mail_domain()), status="waiting", attempts=0,
        next_attempt_at=utcnow(), network_id=network_id,
    )
    session.add(message)
    if has_request_context():
        g.mail_queued = True  # development without MAIL_URL: logged after the request (views.init_app)
    return message


def _encoded(attachment: Attachment) -> dict:
    return {"filename": attachment.filename, "content_type": attachment.content_type,
            "data": base64.b64encode(attachment.data).decode("ascii")}


def resend(session: Session, message: OutboxMessage) -> OutboxMessage:
    """A new row with the same content (and a new Message-ID), waiting; the
    old row keeps its history. Called inside the actor's unit of work, so the
    trail records who resent what."""
    copy = OutboxMessage(
        kind=message.kind, to_address=message.to_address, subject=message.subject,
        text_body=message.text_body, html_body=message.html_body, attachments=list(message.attachments or []),
        headers=dict(message.headers or {}), message_id=make_msgid(domain=mail_domain()), status="waiting",
        attempts=0, next_attempt_at=utcnow(), network_id=message.network_id, resent_from_id=message.id,
    )
    session.add(copy)
    return copy
