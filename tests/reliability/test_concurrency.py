"""Twenty clients at once, against gunicorn with three workers, on SQLite
(WAL, busy timeout) and on PostgreSQL: each edits the same recommendation
through the web form, with the version it read, and adds an uptake event
through the API.

Every edit is either saved (a redirect) or refused with the conflict notice
(409); no answer is a server error or "database is locked"; nothing is lost
silently: every saved edit is in the audit trail with its own version, the
record holds the last of them, and every event the API confirmed is stored
with its audit entry.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, select

from workshops.audit.models import AuditEntry
from workshops.outcomes.models import Recommendation, UptakeEvent

from . import server
from .server import Browser, Gunicorn, api, csrf_token, form_value, prepare

served_database = server.served_database  # the fixture: a SQLite file, then PostgreSQL

CLIENTS = 20
CONFLICT_NOTICE = "Someone else changed this record while you were editing it. Nothing was saved."


@pytest.mark.slow
def test_twenty_clients_edit_one_recommendation_and_add_events_at_once(served_database, tmp_path):
    setup = prepare(served_database, tmp_path / "instance")
    server = Gunicorn(served_database, tmp_path / "instance", workers=3)
    server.start()
    try:
        rec_id = setup.recommendation_id
        browsers = []
        for _ in range(CLIENTS):
            browser = Browser(server.port)
            browser.log_in(setup.email, "Lantern-Orchard-Basalt-71")
            browsers.append(browser)
        start = threading.Barrier(CLIENTS)

        def client(n: int) -> dict:
            browser = browsers[n]
            status, page = browser.get(f"/recommendations/{rec_id}/edit")
            assert status == 200, page[:500]
            fields = [("csrf_token", csrf_token(page)), ("version", form_value(page, "version")),
                      ("title", f"Edited by client {n}"), ("text", f"Text as client {n} wrote it."),
                      ("priority", "high"), *[("theme_ids", str(t)) for t in setup.theme_ids],
                      ("target_ids", str(setup.body_id))]
            start.wait(timeout=60)
            edit_status, headers, answer = browser.post(f"/recommendations/{rec_id}/edit", fields)
            event_status, event = api(server.port, setup.token, "POST", f"/recommendations/{rec_id}/events", {
                "stage": "acknowledged", "occurred_on": "2025-05-0" + str(n % 9 + 1), "evidence_kind": "statement",
                "title": f"Statement noted by client {n}"})
            return {"n": n, "version": int(dict(fields)["version"]), "edit": edit_status,
                    "conflict": CONFLICT_NOTICE in answer, "event": event_status, "answer": answer[:300],
                    "event_answer": event}

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            results = list(pool.map(client, range(CLIENTS)))
    finally:
        server.stop()

    for r in results:
        assert r["edit"] in (302, 409), (r, server.log()[-2000:])
        assert r["edit"] != 409 or r["conflict"], f"a refusal without the conflict notice: {r}"
        assert r["event"] == 201, (r, server.log()[-2000:])
    saved = {f"Edited by client {r['n']}" for r in results if r["edit"] == 302}
    assert saved, "no edit was saved"
    assert "database is locked" not in server.log()

    engine = create_engine(served_database)
    with engine.connect() as conn:
        entries = conn.execute(select(AuditEntry.object_version, AuditEntry.changes).where(
            AuditEntry.object_type == "Recommendation", AuditEntry.object_id == rec_id,
            AuditEntry.action == "update").order_by(AuditEntry.id)).all()
        rec = conn.execute(select(Recommendation.title, Recommendation.version)
                           .where(Recommendation.id == rec_id)).one()
        events = set(conn.execute(select(UptakeEvent.title).where(UptakeEvent.recommendation_id == rec_id)).scalars())
        event_ids = set(conn.execute(select(UptakeEvent.id)).scalars())
        audited_events = set(conn.execute(select(AuditEntry.object_id).where(
            AuditEntry.object_type == "UptakeEvent", AuditEntry.action == "create")).scalars())
    engine.dispose()

    # Every saved edit has its audit entry, one version after the other.
    titles = [changes["title"][1] for _, changes in entries]
    assert set(titles) == saved and len(titles) == len(saved)
    versions = [version for version, _ in entries]
    assert versions == sorted(set(versions)), versions
    # The record holds the last saved edit; each edit and each event added
    # raised its version by one (none lost to a concurrent one).
    assert rec.title == titles[-1]
    assert rec.version == 1 + len(saved) + CLIENTS, (rec.version, len(saved))
    # Every event the API confirmed is stored, with its audit entry.
    assert events == {f"Statement noted by client {n}" for n in range(CLIENTS)}
    assert event_ids == audited_events
