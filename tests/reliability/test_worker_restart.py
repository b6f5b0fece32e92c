"""A worker replaced during a database outage does not take the server down.

gunicorn replaces a worker that crashed, timed out or reached
--max-requests. If the database is away at that moment, the new worker used
to stop at its start-up check with "App failed to load" (exit code 4), and
the master then shut the whole server down for good: nothing answered once
the database was back. Now: both workers of a two-worker gunicorn are
killed while the database is away (the SQLite file's folder moved, or the
throwaway PostgreSQL server stopped); the master stays, the new workers
answer 503 (/healthz and pages), and once the database is back the same
processes serve and save again, without a restart."""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

import pytest

from .server import Gunicorn, api, prepare, request


def _workers(master: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                found.add(int(entry.name))
    return found


def _wait_for(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _answer(port: int, path: str) -> tuple[int, bytes]:
    try:
        status, _, body = request(port, "GET", path, timeout=30)
    except OSError:
        return 0, b""
    return status, body


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_workers_replaced_during_an_outage_answer_503_and_recover(engine, tmp_path, request):
    if engine == "sqlite":
        folder = tmp_path / "data"
        folder.mkdir()
        url = f"sqlite:///{folder / 'served.sqlite3'}"
        away = tmp_path / "data-away"
        go_away, come_back = (lambda: folder.rename(away)), (lambda: away.rename(folder))
    else:
        postgres = request.getfixturevalue("throwaway_postgres")
        url = postgres.create_database(f"restart_{uuid.uuid4().hex[:12]}")
        go_away, come_back = postgres.stop, postgres.start
    setup = prepare(url, tmp_path / "instance")
    server = Gunicorn(url, tmp_path / "instance", workers=2)
    server.start()
    master = server.process.pid
    try:
        workers = _wait_for(lambda: w if len(w := _workers(master)) == 2 else None, "two workers")
        go_away()
        try:
            for worker in sorted(workers):
                before = _workers(master)
                os.kill(worker, signal.SIGKILL)
                _wait_for(lambda b=before, w=worker: w not in (now := _workers(master)) and len(now) == 2
                          and now != b - {w}, "a new worker")
                # The new worker imports the app and runs its start-up check; then it answers,
                # or (as before the fix) exits, and the master with it.
                _wait_for(lambda: server.process.poll() is not None or _answer(server.port, "/healthz")[0] == 503,
                          "an answer or the end of the master")
                assert server.process.poll() is None, f"the master stopped:\n{server.log()[-3000:]}"
            assert not workers & _workers(master)  # every worker is one started during the outage

            status, body = _answer(server.port, "/healthz")
            assert status == 503 and b"The database cannot be reached" in body, (status, body[:300])
            status, body = _answer(server.port, "/")
            assert status == 503 and b"The database is unavailable" in body
            assert server.process.poll() is None
        finally:
            come_back()

        _wait_for(lambda: _answer(server.port, "/healthz")[0] == 200, "/healthz to answer 200 again")
        status, answer = api(server.port, setup.token, "POST", f"/recommendations/{setup.recommendation_id}/events",
                             {"stage": "transmitted", "occurred_on": "2025-04-01", "evidence_kind": "document",
                              "title": "Sent after the outage"})
        assert status == 201, answer
        assert server.process.pid == master and server.process.poll() is None
        assert "App failed to load" not in server.log()
    finally:
        server.stop()
