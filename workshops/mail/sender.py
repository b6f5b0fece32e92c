"""Sending the outbox: `flask --app wsgi send-mail --once | --loop`.

Each pass claims due rows (waiting and due, or `sending` under a claim
older than MAIL_LEASE_SECONDS: a sender that crashed), marks them `sending`
and commits, sends them, then marks each `sent`, or `waiting` again with an
exponential backoff (MAIL_RETRY_SECONDS doubled each time, at most a day),
or `failed` after MAIL_MAX_ATTEMPTS or a permanent refusal (5xx).

On PostgreSQL the claim reads with `FOR UPDATE SKIP LOCKED`, so several
senders on several machines each take different rows; on every engine the
claim is also a compare-and-set (`UPDATE … WHERE status = 'waiting' …`),
so a row is claimed once. On SQLite run one sender (the database is one
file on one machine; two would only wait for each other).

A mail the server accepted but whose `sent` mark was lost (the sender
crashed between the two) is sent again after the lease: at least once,
with the same Message-ID, never silently lost."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, or_, select, true, update

from ..db import db, utcnow
from .message import build_message, envelope_sender, mask_mail_url, parse_mail_url
from .models import OutboxMessage

log = logging.getLogger("workshops.mail")
BATCH = 20
MAX_BACKOFF = dt.timedelta(days=1)
table = OutboxMessage.__table__


class Unreachable(Exception):
    """No connection to the mail server could be made (refused, timed out,
    TLS or login refused): the pass stops, the rest waits for the next."""


class LogTransport:
    """Without MAIL_URL (development): the mail is written to the log."""

    name = "the log (MAIL_URL is not set)"

    def send(self, message, sender: str, recipient: str) -> None:
        body = message.get_body(("plain",))
        log.info("mail not sent (MAIL_URL is not set), written here instead (links are masked in the log; "
                 "the outbox page shows the text in development):\nFrom: %s\nTo: %s\nSubject: %s\n"
                 "Message-ID: %s\n\n%s", message["From"], recipient, message["Subject"], message["Message-ID"],
                 body.get_content() if body is not None else "")

    def close(self) -> None:
        pass


class SmtpTransport:
    """One connection kept for a pass; dropped after any error, so the next
    mail opens a fresh one."""

    def __init__(self, url: str, timeout: int):
        self.server = parse_mail_url(url)
        self.name = mask_mail_url(self.server)
        self.timeout = timeout
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        if server.implicit_tls:
            connection = smtplib.SMTP_SSL(server.host, server.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(server.host, server.port, timeout=self.timeout)
            connection.ehlo()
            if connection.has_extn("starttls"):
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
        if server.username:
            connection.login(server.username, server.password or "")
        return connection

    def send(self, message, sender: str, recipient: str) -> None:
        try:
            if self.connection is None:
                try:
                    self.connection = self._connect()
                except (OSError, smtplib.SMTPException) as exc:
                    raise Unreachable(str(exc)) from exc
            self.connection.send_message(message, from_addr=sender, to_addrs=[recipient])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()


def transport_from_config():
    url = current_app.config.get("MAIL_URL") or ""
    return SmtpTransport(url, current_app.config.get("MAIL_TIMEOUT_SECONDS", 30)) if url else LogTransport()


def classify(exc: BaseException) -> tuple[bool, str]:
    """(worth trying again, what to show). Connection refused, timeouts, a
    dropped connection, 4xx answers and a refused login (the operator fixes
    the settings) are temporary; other 5xx answers are permanent."""
    if isinstance(exc, Unreachable) and exc.__cause__ is not None:
        return True, classify(exc.__cause__)[1]
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        text = "; ".join(f"{code} {_text(answer)}" for code, answer in exc.recipients.values())
        return all(400 <= code < 500 for code in codes), f"recipient refused: {text}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return True, f"the mail server refused the login in MAIL_URL: {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return not (500 <= exc.smtp_code < 600), f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True, f"the mail server closed the connection: {exc}".rstrip(": ")
    if isinstance(exc, TimeoutError):
        return True, "the mail server did not answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return True, "the mail server refused the connection (is it running?)"
    if isinstance(exc, (OSError, smtplib.SMTPException)):
        return True, f"{type(exc).__name__}: {exc}"
    return False, f"{type(exc).__name__}: {exc}"


def _text(answer) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


def backoff(attempts: int, base_seconds: int) -> dt.timedelta:
    """After the n-th failed attempt: base × 2^(n-1), at most a day."""
    return min(dt.timedelta(seconds=base_seconds * 2 ** max(0, attempts - 1)), MAX_BACKOFF)


def _due(now: dt.datetime, lease: dt.timedelta):
    return or_(
        and_(table.c.status == "waiting", table.c.next_attempt_at <= now),
        and_(table.c.status == "sending", table.c.claimed_at < now - lease),
    )


def claim(now: dt.datetime, size: int = BATCH, done: frozenset[int] = frozenset()) -> list[dict]:
    """Mark up to `size` due rows `sending` for this sender and commit;
    returns them. `done`: rows this pass has tried already."""
    lease = dt.timedelta(seconds=current_app.config.get("MAIL_LEASE_SECONDS", 600))
    query = select(table.c.id).where(_due(now, lease), table.c.id.not_in(done) if done else true()).order_by(table.c.next_attempt_at, table.c.id).limit(size)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    try:
        ids = list(db.session.scalars(query))
        won = [row_id for row_id in ids if db.session.execute(
            update(table).where(table.c.id == row_id, _due(now, lease))
            .values(status="sending", claimed_at=now, attempts=table.c.attempts + 1)).rowcount == 1]
        rows = [dict(r) for r in db.session.execute(
            select(table).where(table.c.id.in_(won)).order_by(table.c.id)).mappings()] if won else []
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return rows


def _finish(row: dict, **values) -> None:
    """Record the outcome, unless another sender took the row over meanwhile."""
    db.session.execute(update(table).where(
        table.c.id == row["id"], table.c.status == "sending", table.c.attempts == row["attempts"]).values(**values))
    db.session.commit()


@dataclass
class PassResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retrying} to be tried again, {self.failed} failed"


def send_waiting(transport=None, now: dt.datetime | None = None) -> PassResult:
    """One pass: send every mail due now, then return. `now` (tests) stands
    for the clock, so a retry's backoff can be passed without waiting."""
    config = current_app.config
    transport = transport or transport_from_config()
    sender = config.get("MAIL_FROM") or "workshops@localhost"
    max_attempts = max(1, config.get("MAIL_MAX_ATTEMPTS", 8))
    result = PassResult()
    done: set[int] = set()
    try:
        while True:
            rows = claim(now or utcnow(), done=frozenset(done))
            if not rows:
                return result
            for index, row in enumerate(rows):
                done.add(row["id"])
                if not _deliver(row, transport, sender, max_attempts, config.get("MAIL_RETRY_SECONDS", 60), result):
                    for rest in rows[index + 1:]:  # not tried: back to waiting, no attempt counted
                        _finish(rest, status="waiting", claimed_at=None, attempts=rest["attempts"] - 1)
                    return result
    finally:
        transport.close()


def _deliver(row: dict, transport, sender: str, max_attempts: int, retry_seconds: int, result: PassResult) -> bool:
    """Send one claimed row and record the outcome; False when the server
    cannot be reached (the pass stops there)."""
    try:
        message = build_message(row, sender)
        transport.send(message, envelope_sender(sender), row["to_address"])
    except Exception as exc:  # noqa: BLE001  (every failure is recorded on the row)
        temporary, text = classify(exc)
        text = text[:500]
        result.errors.append(f"#{row['id']} to {row['to_address']}: {text}")
        if temporary and row["attempts"] < max_attempts:
            _finish(row, status="waiting", claimed_at=None, last_error=text,
                    next_attempt_at=(row["claimed_at"] or utcnow()) + backoff(row["attempts"], retry_seconds))
            result.retrying += 1
            log.warning("mail %s to %s not sent (attempt %s of %s, tried again later): %s", row["id"],
                        row["to_address"], row["attempts"], max_attempts, text)
        else:
            _finish(row, status="failed", claimed_at=None, last_error=text)
            result.failed += 1
            log.error("mail %s to %s failed for good after %s attempt%s: %s", row["id"], row["to_address"],
                      row["attempts"], "s" if row["attempts"] != 1 else "", text)
        return not isinstance(exc, Unreachable)
    _finish(row, status="sent", claimed_at=None, sent_at=utcnow(), last_error=None)
    result.sent += 1
    log.info("mail %s (%s) sent to %s through %s", row["id"], row["kind"], row["to_address"], transport.name)
    return True


def send_loop(poll_seconds: int, stop=None, sleep=None) -> None:
    """`send-mail --loop`: a pass, then a pause of `poll_seconds`, until
    `stop()` (tests) or SIGTERM/SIGINT (systemd stopping it: the pass under
    way finishes first, so no claimed mail waits for its lease). A pass that
    fails (the database is away) is logged and tried again after the pause."""
    import signal
    import threading

    stopping = threading.Event()
    if stop is None and threading.current_thread() is threading.main_thread():
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: stopping.set())
    stop = stop or stopping.is_set
    sleep = sleep or stopping.wait
    log.info("sending mail through %s every %s s", transport_from_config().name, poll_seconds)
    while not stop():
        try:
            result = send_waiting()
            if result.sent or result.retrying or result.failed:
                log.info("mail pass: %s", result)
        except Exception:  # noqa: BLE001  (the loop outlives a database outage)
            db.session.rollback()
            log.exception("mail pass failed; trying again in %s s", poll_seconds)
        finally:
            db.session.remove()
        if not stop():
            sleep(poll_seconds)
    log.info("mail sender stopped")
