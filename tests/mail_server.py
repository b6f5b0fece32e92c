"""A real SMTP server on loopback for the mail tests (aiosmtpd), collecting
what it receives. Use the fixture `smtp_server` (import it into a test
module or conftest: `from tests.mail_server import smtp_server  # noqa: F401`):

    app.config["MAIL_URL"] = smtp_server.url
    send_waiting()
    [message] = smtp_server.messages      # email.message.EmailMessage

`refuse_next` answers the next DATA with 451 (try later), `drop_next`
closes the connection after the message was sent but before answering
(the server kept nothing), `stop()` / `start()` take it down and back on
the same port."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self, server: MailServer):
        self.server = server

    async def handle_DATA(self, smtp, session, envelope):
        box = self.server
        if box.delay:
            await asyncio.sleep(box.delay)  # a slow server: concurrent senders overlap
        if box.drop_next:
            box.drop_next -= 1
            box.dropped += 1
            smtp.transport.abort()  # no answer: the client cannot know it arrived, and it did not
            return "421 4.3.0 closing"
        if box.refuse_next:
            box.refuse_next -= 1
            box.refused += 1
            return "451 4.3.0 Try again later"
        message = message_from_bytes(envelope.content, policy=default)
        box.messages.append(message)
        box.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


class MailServer:
    def __init__(self):
        self.port = free_port()
        self.messages: list = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse_next = 0
        self.drop_next = 0
        self.refused = 0
        self.dropped = 0
        self.delay = 0.0
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_server():
    server = MailServer()
    server.start()
    yield server
    server.stop()
