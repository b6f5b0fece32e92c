"""Production settings that keep a deployment safe: no demo accounts with a
published password, and only the site's own host names in the links the app
writes (a forged Host header gets 400)."""

import pytest
from sqlalchemy import func, select

from workshops.auth.models import User
from workshops.config import Config, ConfigError
from workshops.extensions import db
from workshops.programme.models import Network


@pytest.fixture
def production_app(make_app, monkeypatch):
    """The app as the README deploys it: WORKSHOPS_ENV=production."""
    monkeypatch.setenv("WORKSHOPS_ENV", "production")
    monkeypatch.setenv("TRUSTED_HOSTS", "workshops.example.org")
    app = make_app()
    assert app.config["PRODUCTION"]
    return app


# --- load-demo ---------------------------------------------------------------------

def test_load_demo_refuses_in_production_and_writes_nothing(production_app):
    with production_app.app_context():  # as `flask --app wsgi load-demo` runs it
        result = production_app.test_cli_runner().invoke(args=["load-demo"])
        assert result.exit_code == 1
        message = result.output.strip()
        assert message.count("\n") == 0  # one sentence, on one line
        assert message.startswith("Error: The demo data is not loaded in production")
        assert "published password" in message
        assert db.session.scalar(select(func.count(User.id))) == 0
        assert db.session.scalar(select(func.count(Network.id))) == 0


def test_load_demo_still_works_in_development(app):
    result = app.test_cli_runner().invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Loaded the demo data")
    assert db.session.scalar(select(func.count(User.id))) >= 4


# --- trusted hosts ---------------------------------------------------------------------

def _public_agenda(make):
    workshop = make.workshop(title="Maritime Dialogue")
    make.agenda_item(workshop=workshop, title="Opening")
    return f"/agenda/{workshop.slug}"


def test_a_forged_host_gets_400_not_a_page_with_its_links(client, make):
    path = _public_agenda(make)
    for url in (path, path + "/agenda.ics", "/api/v1/openapi.json", "/login"):
        response = client.get(url, headers={"Host": "evil.example"})
        assert response.status_code == 400, url
        assert "evil.example" not in response.get_data(as_text=True), url
    api = client.get("/api/v1/workshops", headers={"Host": "evil.example"})
    assert api.status_code == 400 and api.mimetype == "application/problem+json"
    assert api.json["detail"] == "This site is not served under that host name."


def test_development_answers_on_this_machine_at_any_port(client, make):
    path = _public_agenda(make)
    for host in ("localhost", "localhost:5000", "127.0.0.1:8123"):
        assert client.get(path, headers={"Host": host}).status_code == 200, host
    page = client.get(path, headers={"Host": "127.0.0.1:8123"}).get_data(as_text=True)
    assert "webcal://127.0.0.1:8123/agenda/" in page


def test_production_answers_only_its_own_host(production_app, make):
    client = production_app.test_client()
    with production_app.app_context():
        path = _public_agenda(make)
    assert client.get(path, headers={"Host": "localhost"}).status_code == 400
    assert client.get(path, headers={"Host": "evil.example"}).status_code == 400
    page = client.get(path, headers={"Host": "workshops.example.org"})
    assert page.status_code == 200
    assert "webcal://workshops.example.org/agenda/" in page.get_data(as_text=True)


def test_trusted_hosts_come_from_the_environment(monkeypatch, tmp_path):
    base = {"SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)}
    monkeypatch.setenv("WORKSHOPS_ENV", "production")
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    monkeypatch.delenv("SERVER_NAME", raising=False)
    with pytest.raises(ConfigError, match="TRUSTED_HOSTS is not set; in production set it"):
        Config(base)
    monkeypatch.setenv("SERVER_NAME", "workshops.example.org")
    assert Config(base).TRUSTED_HOSTS == ["workshops.example.org"]
    monkeypatch.setenv("TRUSTED_HOSTS", "Workshops.Example.org, .rsis.example.sg")
    assert Config(base).TRUSTED_HOSTS == ["workshops.example.org", ".rsis.example.sg"]
    monkeypatch.setenv("TRUSTED_HOSTS", "*")
    assert Config(base).TRUSTED_HOSTS is None
    monkeypatch.setenv("WORKSHOPS_ENV", "development")
    monkeypatch.delenv("TRUSTED_HOSTS")
    monkeypatch.delenv("SERVER_NAME")
    assert Config(base).TRUSTED_HOSTS == ["localhost", "127.0.0.1"]


def test_a_subdomain_entry_takes_its_subdomains(make_app):
    client = make_app(TRUSTED_HOSTS=[".example.org"]).test_client()
    assert client.get("/login", headers={"Host": "workshops.example.org"}).status_code == 200
    assert client.get("/login", headers={"Host": "example.org.evil.example"}).status_code == 400


def test_the_readme_documents_the_deployment_settings():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in ("TRUSTED_HOSTS", "TRUSTED_PROXIES", "LOGIN_MAX_ATTEMPTS_PER_ADDRESS",
                 "LOGIN_MAX_ATTEMPTS_PER_ACCOUNT", "SERVER_NAME"):
        assert f"| `{name}` |" in text, name
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
