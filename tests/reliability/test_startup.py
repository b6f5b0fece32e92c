"""Start-up stops with one clear sentence when the database is missing,
malformed, unreachable or at another migration; `flask db …` commands are
not stopped (they are how an old schema gets fixed)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workshops import create_app
from workshops.core.health import create_app_or_stop, startup_problem

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
def test_gunicorn_stops_when_the_database_cannot_be_reached(tmp_path):
    from .conftest import free_port

    env = _env(tmp_path, DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing")
    result = _start("gunicorn", ["--bind", f"127.0.0.1:{free_port()}", "--workers", "1", "wsgi:app"], env)
    assert result.returncode == 4  # gunicorn's "App failed to load": no restart loop
    assert "The database cannot be reached" in _one_sentence(result.stderr)
    assert "App failed to load" in result.stderr
