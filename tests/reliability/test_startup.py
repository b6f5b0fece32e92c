"""Start-up stops with one clear sentence when the database is missing,
malformed or at another migration; `flask db …` commands are not stopped
(they are how an old schema gets fixed). A database that cannot be reached
does not stop it: the server starts, answers 503, and serves once it is back."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workshops import create_app
from workshops.core.health import startup_problem
from workshops.startup import create_app_or_stop

from .helpers import app_on, settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _env(tmp_path, **variables) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "WORKSHOPS_ENV", "SECRET_KEY")}
    env.update({"INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "startup-tests"}, **variables)
    return env


def _start(tool: str, args: list[str], env: dict) -> subprocess.CompletedProcess:
    """Starts a server that should refuse to start; a bounded wait."""
    return subprocess.run([str(BIN / tool), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=90)


def _one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("Track-2 Workshops cannot start: ")]
    assert len(lines) == 1, stderr[-3000:]
    assert "Traceback" not in stderr
    return lines[0]


def test_a_database_at_head_is_ready(tmp_path):
    app = app_on(f"sqlite:///{tmp_path / 'ok.sqlite3'}", tmp_path / "instance", with_user=False)
    assert startup_problem(app) is None


def test_an_older_migration_is_named_with_the_fix(tmp_path):
    app = app_on(f"sqlite:///{tmp_path / 'old.sqlite3'}", tmp_path / "instance", revision="0001",
                 with_user=False)
    problem = startup_problem(app)
    assert problem.startswith("The database is at migration 0001 but this code needs ")
    assert problem.endswith("run: flask --app wsgi db upgrade")


def test_an_empty_database_is_named_with_the_fix(tmp_path):
    app = create_app(settings(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path / "instance"))
    assert startup_problem(app) == "The database has no tables yet; run: flask --app wsgi db upgrade"


def test_production_needs_an_explicit_database_url(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(settings(f"sqlite:///{tmp_path / 'p.sqlite3'}", tmp_path / "instance", PRODUCTION=True))
    assert startup_problem(app).startswith("DATABASE_URL is not set; in production set it")


@pytest.mark.parametrize("url, sentence", [
    ("mysql://u@h/db", "DATABASE_URL is not understood"),
    ("postgres://u@h/db", "DATABASE_URL starts with postgres://"),
    ("postgresql+psycopg://u@h:notaport/db", "DATABASE_URL is malformed"),
])
def test_a_malformed_url_stops_start_up_with_one_sentence(monkeypatch, capsys, url, sentence):
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "startup-tests")
    with pytest.raises(SystemExit) as stopped:
        create_app_or_stop()
    assert stopped.value.code == 1
    assert sentence in _one_sentence(capsys.readouterr().err)


@pytest.mark.slow
def test_flask_run_stops_on_a_malformed_url(tmp_path):
    result = _start("flask", ["--app", "wsgi", "run", "--port", "1"],
                    _env(tmp_path, DATABASE_URL="postgresql+psycopg://u@h:notaport/db"))
    assert result.returncode == 1
    assert "DATABASE_URL is malformed" in _one_sentence(result.stderr)


@pytest.mark.slow
def test_flask_run_stops_on_an_old_migration_but_flask_db_still_works(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app_on(url, tmp_path / "instance", revision="0001", with_user=False)
    env = _env(tmp_path, DATABASE_URL=url)
    refused = _start("flask", ["--app", "wsgi", "run", "--port", "1"], env)
    assert refused.returncode == 1
    assert "The database is at migration 0001" in _one_sentence(refused.stderr)
    current = _start("flask", ["--app", "wsgi", "db", "current"], env)
    assert current.returncode == 0, current.stderr
    assert "0001" in current.stdout


@pytest.mark.slow
def test_gunicorn_stops_on_an_old_migration(tmp_path):
    from .conftest import free_port

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app_on(url, tmp_path / "instance", revision="0001", with_user=False)
    result = _start("gunicorn", ["--bind", f"127.0.0.1:{free_port()}", "--workers", "1", "wsgi:app"],
                    _env(tmp_path, DATABASE_URL=url))
    assert result.returncode == 4  # gunicorn's "App failed to load": no restart loop
    assert "The database is at migration 0001" in _one_sentence(result.stderr)
    assert "App failed to load" in result.stderr


@pytest.mark.slow
def test_gunicorn_starts_without_its_database_and_answers_503(tmp_path):
    from .conftest import free_port
    from .server import request

    port = free_port()
    env = _env(tmp_path, DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing")
    process = subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1", "wsgi:app"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        answers = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None and len(answers) < 2:
            try:
                answers = [request(port, "GET", "/healthz", timeout=20), request(port, "GET", "/", timeout=20)]
            except OSError:
                time.sleep(0.2)
        assert process.poll() is None, process.communicate(timeout=30)[1][-3000:]
        (health_status, _, health), (page_status, _, page) = answers
        assert health_status == 503 and b"The database cannot be reached" in health
        assert page_status == 503 and b"The database is unavailable" in page
    finally:
        process.terminate()
        stderr = process.communicate(timeout=30)[1]
    assert "Track-2 Workshops starts without its database: The database cannot be reached" in stderr
    assert "Traceback" not in stderr


def test_back_at_an_old_migration_after_an_outage_is_a_503_until_upgraded(tmp_path, monkeypatch):
    """Started while the database was away, a worker checks the schema on
    its first request once the database is back, as start-up would have."""
    from flask_migrate import upgrade

    folder = tmp_path / "data"
    url = f"sqlite:///{folder / 'workshops.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "startup-tests")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setattr("workshops.core.health.serving", lambda: True)
    app = create_app_or_stop()  # the folder does not exist: the database cannot be reached
    client = app.test_client()
    assert client.get("/").status_code == 503

    folder.mkdir()
    app_on(url, tmp_path / "instance2", revision="0001", with_user=False)
    refused = client.get("/")
    assert refused.status_code == 503 and "being upgraded" in refused.get_data(as_text=True)
    assert "migration 0001" in client.get("/healthz").get_json()["database"]

    with app.app_context():
        upgrade()
    assert client.get("/healthz").status_code == 200
    assert client.get("/login").status_code == 200
