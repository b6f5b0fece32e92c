"""The app under gunicorn for the tests that need real processes: a
migrated database (a SQLite file, or a database on the throwaway
PostgreSQL server), a small world in it, an organiser with an API token,
and a gunicorn of several workers on a free port of 127.0.0.1 that a test
may stop, kill (SIGKILL, the whole process group it started) and start
again. Plain HTTP from the standard library: what a browser or a script
sends, nothing of Flask's test client."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.factories import Factories
from workshops.api.operations import create_token
from workshops.extensions import db

from .conftest import free_port
from .helpers import app_on, dispose

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Lantern-Orchard-Basalt-71"


@dataclass
class Setup:
    url: str
    recommendation_id: int
    workshop_id: int
    theme_ids: list[int]
    body_id: int
    email: str
    token: str


def prepare(url: str, instance: Path) -> Setup:
    """Migrate, then a network with a workshop and a recommendation, and
    its organiser (who logs in with PASSWORD and holds an API token)."""
    app = app_on(url, instance, with_user=False)
    with app.app_context():
        make = Factories()
        network = make.network(acronym="NADI", name="Network of ASEAN Defence and Security Institutions")
        themes = [make.theme(name="HADR"), make.theme(name="Maritime security")]
        body = make.track1_body(name="ASEAN Defence Ministers' Meeting", acronym="ADMM")
        workshop = make.workshop(network=network, title="NADI workshop on disaster relief",
                                 start_date=dt.date(2025, 3, 4), themes=themes)
        rec = make.recommendation(workshop=workshop, title="A shared HADR logistics picture",
                                  themes=themes, targets=[body])
        user = make.user(role="organiser", networks=[network], password=PASSWORD, email="organiser@example.org")
        token = create_token(user, user, "concurrency tests")[1]
        setup = Setup(url=url, recommendation_id=rec.id, workshop_id=workshop.id,
                      theme_ids=[t.id for t in themes], body_id=body.id, email=user.email, token=token)
    dispose(app)
    return setup


class Gunicorn:
    """gunicorn serving wsgi:app with its own process group (so a kill
    takes the master and every worker), stopped by its own ids."""

    def __init__(self, url: str, instance: Path, workers: int = 3):
        self.url, self.instance, self.workers = url, instance, workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = instance / f"gunicorn-{self.port}.log"

    def start(self, timeout: float = 60) -> None:
        env = {**os.environ, "DATABASE_URL": self.url, "INSTANCE_PATH": str(self.instance),
               "SECRET_KEY": "reliability-under-gunicorn", "WORKSHOPS_ENV": "development", "DEMO_LOGIN": "0",
               "PYTHONPATH": str(ROOT)}
        env.pop("TEST_DATABASE_URL", None)
        log = open(self.log_path, "a")  # noqa: SIM115  (handed to the child, closed with it)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "60", "--graceful-timeout", "5", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log()[-3000:]}")
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to the master and its workers: no clean-up of any kind."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 60) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def api(port: int, token: str, method: str, path: str, payload: dict) -> tuple[int, dict]:
    status, _, body = request(port, method, "/api/v1" + path, json.dumps(payload).encode(),
                              {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return status, json.loads(body) if body else {}


class Browser:
    """A logged-in browser: keeps the session cookie, reads CSRF tokens."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict | None = None) -> dict:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, headers: dict) -> None:
        raw = headers.get("set-cookie")
        if raw:
            for part in re.split(r",\s*(?=[A-Za-z_]+=)", raw):
                name, _, rest = part.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]

    def get(self, path: str) -> tuple[int, str]:
        status, headers, body = request(self.port, "GET", path, headers=self._headers())
        self._keep(headers)
        return status, body.decode("utf-8", "replace")

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(fields).encode()
        status, headers, answer = request(self.port, "POST", path, body, self._headers(
            {"Content-Type": "application/x-www-form-urlencoded"}))
        self._keep(headers)
        return status, headers, answer.decode("utf-8", "replace")

    def log_in(self, email: str, password: str) -> None:
        _, page = self.get("/login")
        status, headers, _ = self.post("/login", [("csrf_token", csrf_token(page)), ("email", email),
                                                  ("password", password)])
        assert status == 302 and "/login" not in headers.get("location", ""), "the login failed"


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def form_value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or \
        re.search(rf'value="([^"]*)"[^>]*name="{name}"', page)
    assert match, f"no field {name} on the page"
    return match.group(1)


def integrity_problems(url: str) -> list[str]:
    """What a database check finds wrong: SQLite's integrity and foreign key
    checks; on PostgreSQL, every foreign key of the schema looked up."""
    engine = create_engine(url)
    problems: list[str] = []
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                if result != ["ok"]:
                    problems += result
                problems += [str(tuple(r)) for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
            else:
                for table in db.metadata.sorted_tables:
                    for fk in table.foreign_key_constraints:
                        child = ", ".join(f'c."{c.name}"' for c in fk.columns)
                        parent = fk.referred_table.name
                        join = " AND ".join(f'p."{e.column.name}" = c."{e.parent.name}"' for e in fk.elements)
                        not_null = " AND ".join(f'c."{c.name}" IS NOT NULL' for c in fk.columns)
                        # Names from the metadata, never from input.
                        query = (f'SELECT count(*) FROM "{table.name}" c WHERE {not_null} AND NOT EXISTS '  # noqa: S608
                                 f'(SELECT 1 FROM "{parent}" p WHERE {join})')
                        orphans = conn.execute(text(query)).scalar()
                        if orphans:
                            problems.append(f"{orphans} rows of {table.name} point to no {parent} ({child})")
            tables = set(inspect(conn).get_table_names())
            missing = {t.name for t in db.metadata.sorted_tables} - tables
            problems += [f"table {name} is missing" for name in sorted(missing)]
    finally:
        engine.dispose()
    return problems


@pytest.fixture(params=["sqlite", "postgresql"])
def served_database(request, tmp_path) -> str:
    """A fresh database for a served app: a SQLite file, or a database of
    its own on the throwaway PostgreSQL server (never the shared one)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'served.sqlite3'}"
    server = request.getfixturevalue("throwaway_postgres")
    return server.create_database(f"served_{uuid.uuid4().hex[:12]}")
