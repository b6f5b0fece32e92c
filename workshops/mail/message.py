"""An outbox row as a proper mail (Python's email.message.EmailMessage):
plain text with an HTML alternative, Message-ID (kept from the row, so a
retry is the same message), Date, List-Unsubscribe on notices, attachments;
and MAIL_URL read and shown with its password masked."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from urllib.parse import unquote, urlsplit

from ..config import ConfigError


def build_message(row, sender: str) -> EmailMessage:
    """`row`: an outbox row (a mapping or an OutboxMessage); `sender`: MAIL_FROM."""
    get = row.get if hasattr(row, "get") else lambda key: getattr(row, key)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = get("to_address")
    message["Subject"] = get("subject")
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = get("message_id")
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (get("headers") or {}).items():
        message[name] = value
    message.set_content(get("text_body"))
    if get("html_body"):
        message.add_alternative(get("html_body"), subtype="html")
    for attachment in get("attachments") or []:
        maintype, _, subtype = attachment["content_type"].partition("/")
        message.add_attachment(base64.b64decode(attachment["data"]), maintype=maintype,
                               subtype=subtype or "octet-stream", filename=attachment["filename"])
    return message


def envelope_sender(sender: str) -> str:
    """The bare address of MAIL_FROM ("Workshops <w@example.org>" → w@example.org)."""
    return parseaddr(sender)[1] or sender


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    implicit_tls: bool
    username: str | None
    password: str | None

    def __str__(self) -> str:
        return mask_mail_url(self)


def parse_mail_url(url: str) -> MailServer:
    """smtp://user:password@host:587 (STARTTLS when the server offers it) or
    smtps://user:password@host:465 (TLS from the start); the user and
    password percent-encoded."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError("MAIL_URL is not understood; write smtp://user:password@host:587 "
                          "or smtps://user:password@host:465 (or leave it unset to write mail to the log).")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 587)
    except ValueError as exc:
        raise ConfigError("MAIL_URL has a port that is not a number.") from exc
    return MailServer(
        host=parts.hostname, port=port, implicit_tls=parts.scheme == "smtps",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


def mask_mail_url(server: MailServer) -> str:
    """The server as it may be logged: the password never shown."""
    scheme = "smtps" if server.implicit_tls else "smtp"
    user = f"{server.username}:***@" if server.username else ""
    return f"{scheme}://{user}{server.host}:{server.port}"


def valid_sender(sender: str) -> bool:
    try:
        Address(addr_spec=envelope_sender(sender))
    except (ValueError, IndexError, TypeError):
        return False
    return "@" in envelope_sender(sender)
