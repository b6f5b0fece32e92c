"""How fast is a workshop agenda, compared with a trivial route of the same app?

Run from the repository root:

    .venv/bin/python bench/agenda_bench.py

It builds a fresh SQLite database under a temporary folder holding 1,000
workshops (each with an agenda and participants; the measured one is a
3-day workshop with 45 items and 80 participants), starts the app under
gunicorn on 127.0.0.1 at a free port, and sends the same bounded number of
requests to /healthz and to the agenda page from a few client threads,
alternating rounds so both see the same machine load. It prints requests
per second for each and the ratio agenda / healthz (target: at least 0.5).
It does this twice: with the rendered-page cache (as deployed) and with the
cache switched off (a plain render each time), so the gain is visible.

Options: --requests N (per route and round set, default 600), --threads N
(default 4), --workers N (gunicorn workers, default 2), --only cached|plain,
--database-url URL (a PostgreSQL database to fill instead of SQLite; it must
be empty). Nothing is left behind but what --database-url points at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORKSHOPS = 1000
TARGET_SLUG = "bench-target-workshop"
ZONES = ["Asia/Jakarta", "Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Bangkok", "Asia/Manila", "Asia/Tokyo"]


# --- The database ------------------------------------------------------------------


def build_database(url: str, instance: Path) -> None:
    """Migrate and bulk-insert: bypasses the unit of work on purpose (a
    benchmark's fixture, not the institution's data, so no audit trail)."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from workshops import create_app
    from workshops.extensions import db
    from workshops.models import (
        AgendaItem,
        AgendaItemPerson,
        MemberInstitute,
        Network,
        Participation,
        Person,
        Series,
        Workshop,
        WorkshopInstitute,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(instance)})
    rng = random.Random(2025)
    now = dt.datetime.now(dt.UTC)
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(insert(Network), [
                {"id": i, "slug": f"net{i}", "acronym": f"NET{i}", "name": f"Network {i}", "description": "",
                 "website": "", "version": 1} for i in range(1, 4)
            ])
            conn.execute(insert(MemberInstitute), [
                {"id": i, "name": f"Institute {i}", "acronym": f"INS{i}", "country": "SG", "city": "Singapore",
                 "website": "", "version": 1} for i in range(1, 21)
            ])
            conn.execute(insert(Series), [
                {"id": i, "network_id": i % 3 + 1, "slug": f"series-{i}", "name": f"Series {i}",
                 "kind": "workshop_series", "description": "", "version": 1} for i in range(1, 31)
            ])
            conn.execute(insert(Person), [
                {"id": i, "full_name": f"Person {i:05d}", "honorific": rng.choice(["", "Dr", "Amb.", "Col."]),
                 "email": f"person{i}@example.org", "phone": "", "affiliation": f"Institute {i % 20 + 1}",
                 "country": rng.choice(["SG", "MY", "ID", "TH", "VN", "PH", "JP"]), "sector": "academia",
                 "notes": "", "created_at": now, "version": 1} for i in range(1, 5001)
            ])
            workshops, items, participations, roles = [], [], [], []
            item_id = participation_id = role_id = 0
            start = dt.date(2022, 1, 10)
            for w in range(1, WORKSHOPS + 1):
                target = w == WORKSHOPS // 2
                days, per_day, people = (3, 15, 80) if target else (2, 6, 20)
                zone = ZONES[w % len(ZONES)]
                first = start + dt.timedelta(days=3 * w)
                workshops.append({
                    "id": w, "slug": TARGET_SLUG if target else f"workshop-{w}", "title": f"Workshop {w}",
                    "series_id": w % 30 + 1, "network_id": (w % 30 + 1) % 3 + 1, "venue": "Conference centre",
                    "city": "Singapore", "country": "SG", "timezone": zone, "start_date": first,
                    "end_date": first + dt.timedelta(days=days - 1), "format": "in_person",
                    "visibility": "public", "status": "published", "chatham_house": True, "objectives": "",
                    "rules": "", "secret_token": uuid.uuid4().hex, "created_at": now, "updated_at": now,
                    "version": 1,
                })
                people_ids = rng.sample(range(1, 5001), people)
                first_participation = participation_id + 1
                for person_id in people_ids:
                    participation_id += 1
                    participations.append({
                        "id": participation_id, "workshop_id": w, "person_id": person_id, "role": "participant",
                        "status": "confirmed", "sector": "academia", "country": "SG",
                        "affiliation": f"Institute {person_id % 20 + 1}", "serving_official": False,
                        "consent_to_list": rng.random() < 0.8, "personal_token": uuid.uuid4().hex,
                        "created_at": now, "version": 1,
                    })
                for day in range(days):
                    for slot in range(per_day):
                        item_id += 1
                        begins = dt.datetime.combine(first + dt.timedelta(days=day), dt.time(8),
                                                     ZoneInfo(zone)) + dt.timedelta(minutes=35 * slot)
                        items.append({
                            "id": item_id, "workshop_id": w, "uid": str(uuid.uuid4()), "kind": "panel",
                            "title": f"Session {day + 1}.{slot + 1}: maritime security and disaster relief",
                            "description": "Discussion of the region's cooperation at sea and in disasters.",
                            "room": f"Room {slot % 3 + 1}", "starts_at": begins.astimezone(dt.UTC),
                            "ends_at": (begins + dt.timedelta(minutes=30)).astimezone(dt.UTC),
                            "status": "scheduled", "updated_at": now, "version": 1,
                        })
                        for position, offset in enumerate(rng.sample(range(people), 4)):
                            role_id += 1
                            roles.append({
                                "id": role_id, "agenda_item_id": item_id,
                                "participation_id": first_participation + offset,
                                "role": "chair" if position == 0 else "speaker", "position": position,
                            })
            conn.execute(insert(Workshop), workshops)
            conn.execute(insert(WorkshopInstitute), [
                {"workshop_id": w["id"], "institute_id": w["id"] % 20 + 1, "role": "host"} for w in workshops])
            conn.execute(insert(Participation), participations)
            conn.execute(insert(AgendaItem), items)
            conn.execute(insert(AgendaItemPerson), roles)
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:  # ids were given explicitly: move the sequences on
                for table in ("network", "member_institute", "series", "person", "workshop", "participation",
                              "agenda_item", "agenda_item_person"):
                    # table names from the fixed list above, never from input
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                    )
        with db.engine.begin() as conn:  # planner statistics, as autovacuum would gather them in time
            conn.exec_driver_sql("ANALYZE")
        db.engine.dispose()
    print(f"database: {WORKSHOPS} workshops, {len(items)} agenda items, {len(participations)} participations")


# --- The server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


class Server:
    """gunicorn running the app; stopped (by its own pid) when done."""

    def __init__(self, url: str, instance: Path, workers: int, cache: bool):
        self.port = free_port()
        factory = "workshops:create_app()" if cache else "workshops:create_app({'AGENDA_CACHE_SIZE': 0})"
        env = {**os.environ, "DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "bench",
               "WORKSHOPS_ENV": "development", "PYTHONPATH": str(ROOT)}
        self.log = open(instance / f"gunicorn-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", factory],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start; see {self.log.name}")
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz within 60 seconds")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


# --- The client ----------------------------------------------------------------------------


def hammer(port: int, path: str, requests: int, threads: int) -> float:
    """Send `requests` GETs from `threads` threads; return the seconds taken.
    Every answer must be 200 with a body, or the run stops."""
    remaining = [requests]
    lock = threading.Lock()
    failures: list[str] = []

    def worker():
        while True:
            with lock:
                if remaining[0] <= 0 or failures:
                    return
                remaining[0] -= 1
            status, size = get(port, path)
            if status != 200 or size == 0:
                failures.append(f"{path} answered {status} ({size} bytes)")

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    began = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if failures:
        raise SystemExit(failures[0])
    return time.perf_counter() - began


def measure(port: int, requests: int, threads: int, rounds: int = 4) -> tuple[float, float]:
    agenda = f"/agenda/{TARGET_SLUG}"
    for path in ("/healthz", agenda):  # warm every worker up
        hammer(port, path, 20, threads)
    per_round = max(requests // rounds, 1)
    spent = {"/healthz": 0.0, agenda: 0.0}
    for _ in range(rounds):
        for path in spent:
            spent[path] += hammer(port, path, per_round, threads)
    total = per_round * rounds
    return total / spent["/healthz"], total / spent[agenda]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=("cached", "plain"))
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="agenda-bench-"))
    try:
        url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        build_database(url, folder)
        size = get_size(url, folder)
        print(f"agenda page: {size} bytes; {args.requests} requests per route, {args.threads} client threads, "
              f"{args.workers} gunicorn workers")
        for label, cache in (("cached", True), ("plain", False)):
            if args.only and args.only != label:
                continue
            server = Server(url, folder, args.workers, cache)
            try:
                trivial, agenda = measure(server.port, args.requests, args.threads)
            finally:
                server.stop()
            print(f"{label:>6}: /healthz {trivial:7.1f} req/s   agenda {agenda:7.1f} req/s   "
                  f"ratio {agenda / trivial:.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def get_size(url: str, folder: Path) -> int:
    """The agenda page rendered once in-process: checks it works before timing it."""
    from workshops import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(folder)})
    response = app.test_client().get(f"/agenda/{TARGET_SLUG}")
    if response.status_code != 200:
        raise SystemExit(f"the agenda page answered {response.status_code}")
    return len(response.data)


if __name__ == "__main__":
    main()
