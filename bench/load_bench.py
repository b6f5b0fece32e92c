"""Load: a mixed workload at 50 concurrent connections against gunicorn,
on SQLite and on PostgreSQL. Run from the repository root:

    .venv/bin/python bench/load_bench.py

It runs by itself and stops by itself: for each database it builds a fresh
one with the demo data (`flask load-demo`), starts gunicorn (4 workers, as
the README deploys it) on 127.0.0.1 at a free port, drives the workload for
60 seconds, stops gunicorn and removes what it made. The PostgreSQL
database is created for the run and dropped afterwards, on the server of
--postgres-server (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).

The workload, each connection picking at random with these weights: public
agendas (page and iCalendar feed), the organisers' lists (workshops,
recommendations, people, series, follow-up), workshop and recommendation
pages, API reads, the annual report page, and a few writes (uptake events
added through the API, about 4%). Each request opens its own connection, as
gunicorn's sync workers close it after the answer.

It prints, per database: requests per second, p50 and p99 latency (all
requests and per kind) and the errors (target: none). An error is any
answer other than the expected status (200, or 201 for a write), or a
connection that failed or timed out. The exit status is 1 when there were
errors.

Options: --seconds N (default 60; shorter for a quick look), --connections N
(default 50), --workers N (gunicorn workers, default 4), --only sqlite|postgresql,
--postgres-server URL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  (the demo data's published password)
SETUP_LIMIT = 300  # seconds for building a database and starting gunicorn


# --- The database -------------------------------------------------------------------


@dataclass
class Targets:
    """What the workload asks for, read from the demo data."""

    public_slugs: list[str]
    workshop_ids: list[int]
    recommendation_ids: list[int]
    writable_recommendation_ids: list[int]
    year: int
    token: str


def build(url: str, instance: Path) -> Targets:
    """Migrate, load the demo data, and make an API token for the demo organiser."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from workshops import create_app
    from workshops.api.operations import create_token
    from workshops.auth.models import User
    from workshops.demo import load
    from workshops.extensions import db
    from workshops.models import Recommendation, Series, Workshop

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-bench", "INSTANCE_PATH": str(instance)})
    with app.app_context():
        upgrade()
        load()
        organiser = db.session.scalar(select(User).where(User.email == "organiser@example.org"))
        token = create_token(organiser, organiser, "load benchmark")[1]
        mine = [n.id for n in organiser.networks]
        targets = Targets(
            public_slugs=list(db.session.scalars(select(Workshop.slug).where(
                Workshop.visibility == "public", Workshop.status == "published"))),
            workshop_ids=list(db.session.scalars(select(Workshop.id))),
            recommendation_ids=list(db.session.scalars(select(Recommendation.id))),
            # An uptake event dated today is valid for a workshop that has begun.
            writable_recommendation_ids=list(db.session.scalars(
                select(Recommendation.id).join(Workshop).join(Series)
                .where(Series.network_id.in_(mine), Workshop.start_date <= dt.date.today()))),
            year=max(w.start_date.year for w in db.session.scalars(select(Workshop))
                     if w.status != "cancelled" and w.start_date <= dt.date.today()),
            token=token,
        )
        db.session.remove()
        db.engine.dispose()
    if not (targets.public_slugs and targets.workshop_ids and targets.writable_recommendation_ids):
        raise SystemExit("the demo data has no public agenda or no recommendation the organiser may add to")
    return targets


def create_postgres_database(server_url: str) -> tuple[str, str]:
    from sqlalchemy import create_engine

    name = f"load_bench_{os.getpid()}_{int(time.time())}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()
    parts = urllib.parse.urlsplit(server_url)
    return name, urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def drop_postgres_database(server_url: str, name: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        engine.dispose()


# --- The server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn serving wsgi:app in a process group of its own; stopped by its id."""

    def __init__(self, url: str, instance: Path, workers: int):
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "load-bench",
               "WORKSHOPS_ENV": "development", "DEMO_LOGIN": "0", "PYTHONPATH": str(ROOT)}
        self.log_path = instance / "gunicorn.log"
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
                 "--backlog", "256", "--log-level", "warning", "wsgi:app"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start:\n{self.log_path.read_text()[-2000:]}")
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz within 60 seconds")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)


# --- The clients ----------------------------------------------------------------------


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 60) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def log_in(port: int, email: str) -> str:
    """A logged-in session cookie (the login form with its CSRF token)."""
    status, headers, body = request(port, "GET", "/login")
    cookie = headers.get("Set-Cookie", "").split(";", 1)[0]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": DEMO_PASSWORD}).encode()
    status, headers, _ = request(port, "POST", "/login", form, {
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise SystemExit(f"the demo login of {email} failed ({status})")
    return headers.get("Set-Cookie", "").split(";", 1)[0]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if problem:
                self.errors.append(f"{kind}: {problem}")


def workload(targets: Targets, cookies: list[str]) -> list[tuple[str, int, callable]]:
    """(kind, weight, request maker): a maker gives (method, path, body, headers, expected status)."""
    rng = random.Random()
    api = {"Authorization": f"Bearer {targets.token}"}

    def staff(path):
        return lambda: ("GET", path() if callable(path) else path, None, {"Cookie": rng.choice(cookies)}, 200)

    def event():
        rec = rng.choice(targets.writable_recommendation_ids)
        body = json.dumps({"stage": "acknowledged", "occurred_on": dt.date.today().isoformat(),
                           "evidence_kind": "statement", "title": f"Load test statement {rng.random():.8f}"})
        return ("POST", f"/api/v1/recommendations/{rec}/events", body.encode(),
                {**api, "Content-Type": "application/json"}, 201)

    return [
        ("agenda (public page)", 22, lambda: ("GET", f"/agenda/{rng.choice(targets.public_slugs)}", None, {}, 200)),
        ("agenda (iCalendar)", 6, lambda: ("GET", f"/agenda/{rng.choice(targets.public_slugs)}/agenda.ics", None,
                                           {}, 200)),
        ("agenda list", 4, lambda: ("GET", "/agenda/", None, {}, 200)),
        ("workshops list", 8, staff("/workshops")),
        ("recommendations list", 8, staff("/recommendations")),
        ("people list", 5, staff("/people")),
        ("series list", 3, staff("/series")),
        ("follow-up list", 3, staff("/follow-up")),
        ("workshop page", 8, staff(lambda: f"/workshops/{rng.choice(targets.workshop_ids)}")),
        ("recommendation page", 8, staff(lambda: f"/recommendations/{rng.choice(targets.recommendation_ids)}")),
        ("API reads", 8, lambda: ("GET", rng.choice(["/api/v1/workshops", "/api/v1/recommendations?per_page=25",
                                                      f"/api/v1/workshops/{rng.choice(targets.workshop_ids)}"]),
                                  None, api, 200)),
        ("annual report", 3, staff(f"/reports/{targets.year}")),
        ("write: uptake event (API)", 4, event),
    ]


def drive(port: int, targets: Targets, connections: int, seconds: float) -> tuple[Results, float]:
    cookies = [log_in(port, email) for email in ("viewer@example.org", "organiser@example.org",
                                                 "admin@example.org")]
    kinds = workload(targets, cookies)
    names = [k for k, _, _ in kinds]
    weights = [w for _, w, _ in kinds]
    makers = {k: m for k, _, m in kinds}
    results = Results()
    began = time.monotonic()
    stop_at = began + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop_at:
            kind = rng.choices(names, weights)[0]
            method, path, body, headers, expected = makers[kind]()
            start = time.perf_counter()
            try:
                status, _, _ = request(port, method, path, body, headers)
                problem = None if status == expected else f"{status} for {method} {path}"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{type(exc).__name__} for {method} {path}"
            results.add(kind, time.perf_counter() - start, problem)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)  # a request still out after that is counted as lost
    elapsed = time.monotonic() - began
    stuck = sum(1 for t in threads if t.is_alive())
    if stuck:
        results.errors.append(f"{stuck} connections still waiting at the end")
    return results, elapsed


# --- Reporting --------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def report(label: str, results: Results, elapsed: float, connections: int, workers: int) -> None:
    everything = [v for values in results.latencies.values() for v in values]
    total = len(everything)
    print(f"\n== {label}: {connections} connections, {workers} gunicorn workers, {elapsed:.0f} s")
    print(f"   {total} requests, {total / elapsed:.1f} requests/s, p50 {percentile(everything, 50) * 1000:.0f} ms, "
          f"p99 {percentile(everything, 99) * 1000:.0f} ms, errors {len(results.errors)}")
    print(f"   {'kind':<28}{'requests':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for kind, values in sorted(results.latencies.items(), key=lambda kv: -len(kv[1])):
        print(f"   {kind:<28}{len(values):>9}{statistics.median(values) * 1000:>9.0f}"
              f"{percentile(values, 99) * 1000:>9.0f}")
    for problem in results.errors[:10]:
        print(f"   error: {problem}")


def run(label: str, url: str, folder: Path, args) -> int:
    began = time.monotonic()
    targets = build(url, folder)
    server = Gunicorn(url, folder, args.workers)
    try:
        if time.monotonic() - began > SETUP_LIMIT:
            raise SystemExit("setting up took too long; stopping")
        results, elapsed = drive(server.port, targets, args.connections, args.seconds)
    finally:
        server.stop()
    report(label, results, elapsed, args.connections, args.workers)
    return len(results.errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--postgres-server", default=os.environ.get(
        "BENCH_POSTGRES_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()

    errors = 0
    if args.only in (None, "sqlite"):
        folder = Path(tempfile.mkdtemp(prefix="load-bench-sqlite-"))
        try:
            errors += run("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}", folder, args)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if args.only in (None, "postgresql"):
        folder = Path(tempfile.mkdtemp(prefix="load-bench-pg-"))
        name, url = create_postgres_database(args.postgres_server)
        try:
            errors += run(f"PostgreSQL ({name}, dropped afterwards)", url, folder, args)
        finally:
            drop_postgres_database(args.postgres_server, name)
            shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
