"""SIGKILL while clients write: gunicorn (master and workers) is killed in
the middle of a stream of API writes, started again on the same database,
and then:

- the database passes its integrity checks (SQLite's integrity_check and
  foreign_key_check; on PostgreSQL every foreign key is looked up);
- every write the server had confirmed (a 2xx received) is there;
- nothing is half-written: every uptake event has its audit entry and no
  audit entry names an event that is not there; every recommendation
  written with its themes and target has all of them;
- the app serves and saves again, without any repair.
"""

from __future__ import annotations

import http.client
import threading
import time

import pytest
from sqlalchemy import create_engine, func, select

from workshops.audit.models import AuditEntry
from workshops.outcomes.models import Recommendation, UptakeEvent, recommendation_target, recommendation_theme

from . import server
from .server import Gunicorn, api, integrity_problems, prepare

served_database = server.served_database  # the fixture: a SQLite file, then PostgreSQL

WRITERS = 6


@pytest.mark.slow
def test_a_killed_server_keeps_every_confirmed_write_and_no_half_written_one(served_database, tmp_path):
    setup = prepare(served_database, tmp_path / "instance")
    server = Gunicorn(served_database, tmp_path / "instance", workers=3)
    server.start()
    confirmed_events: set[str] = set()
    confirmed_recs: set[int] = set()
    unexpected: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(w: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if n % 4 == 0:  # a recommendation with its themes and target: one transaction
                    status, body = api(server.port, setup.token, "POST", f"/workshops/{setup.workshop_id}/recommendations",
                                       {"title": f"Crash test {w}-{n}", "text": "Written while the server dies.",
                                        "theme_ids": setup.theme_ids, "target_ids": [setup.body_id]})
                    if status == 201:
                        with lock:
                            confirmed_recs.add(body["id"])
                else:
                    title = f"Event {w}-{n}"
                    status, body = api(server.port, setup.token, "POST", f"/recommendations/{setup.recommendation_id}/events",
                                    {"stage": "transmitted", "occurred_on": "2025-04-01", "evidence_kind": "document",
                                     "title": title})
                    if status == 201:
                        with lock:
                            confirmed_events.add(title)
                if status != 201:
                    unexpected.append(f"writer {w}: {status} {body if n % 4 == 0 else ''}")
            except (OSError, http.client.HTTPException, ValueError):
                # The server died under this request: nothing was confirmed.
                time.sleep(0.05)

    threads = [threading.Thread(target=writer, args=(w,), daemon=True) for w in range(WRITERS)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(confirmed_events) < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # mid-stream: requests are in flight
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        server.kill()
    assert len(confirmed_events) >= 30, f"too few writes before the kill:\n{server.log()[-2000:]}"
    assert not unexpected, unexpected[:5]  # every answer before the kill was a success

    problems = integrity_problems(served_database)
    assert not problems, problems

    server.start()  # the same database, no repair step
    try:
        engine = create_engine(served_database)
        with engine.connect() as conn:
            stored = set(conn.execute(select(UptakeEvent.title)).scalars())
            event_ids = set(conn.execute(select(UptakeEvent.id)).scalars())
            audited = set(conn.execute(select(AuditEntry.object_id).where(
                AuditEntry.object_type == "UptakeEvent", AuditEntry.action == "create")).scalars())
            rec_ids = set(conn.execute(select(Recommendation.id).where(
                Recommendation.title.like("Crash test %"))).scalars())
            themes = dict(conn.execute(select(recommendation_theme.c.recommendation_id, func.count())
                                       .group_by(recommendation_theme.c.recommendation_id)).all())
            targets = dict(conn.execute(select(recommendation_target.c.recommendation_id, func.count())
                                        .group_by(recommendation_target.c.recommendation_id)).all())
            audited_recs = set(conn.execute(select(AuditEntry.object_id).where(
                AuditEntry.object_type == "Recommendation", AuditEntry.action == "create")).scalars())
        engine.dispose()
        assert confirmed_events <= stored, f"confirmed but lost: {sorted(confirmed_events - stored)[:10]}"
        assert event_ids == audited, "an event without its audit entry, or the reverse"
        assert confirmed_recs <= rec_ids
        for rec_id in rec_ids:
            assert themes.get(rec_id) == len(setup.theme_ids) and targets.get(rec_id) == 1, \
                f"recommendation {rec_id} saved without all its themes and target"
            assert rec_id in audited_recs

        # And the app works on: a new write is saved and read back.
        status, body = api(server.port, setup.token, "POST", f"/recommendations/{setup.recommendation_id}/events",
                           {"stage": "acknowledged", "occurred_on": "2025-04-02", "evidence_kind": "statement",
                            "title": "After the restart"})
        assert status == 201, body
        assert "After the restart" in {e["title"] for e in body["events"]}
    finally:
        server.stop()
