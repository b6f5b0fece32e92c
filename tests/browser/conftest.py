"""Browser tests: the app served on a free local port with the demo data,
driven by Playwright in Debian's Chromium (/usr/bin/chromium).

Without Chromium (or Node's tools for axe-core and the Nu Html Checker)
these tests skip with the reason; under CI=true a missing one fails the run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from workshops import create_app
from workshops.extensions import db

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-gpu"]
IN_CI = os.environ.get("CI", "").lower() == "true"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
VNU = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
DEMO_PASSWORD = "demo-password-2026"


def missing(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


def _browser_database(tmp_path_factory) -> tuple[str, callable]:
    """A database of its own: the rest of the suite empties its tables."""
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not url.startswith("postgresql"):
        return f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.sqlite3'}", lambda: None
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    base, _, name = url.rpartition("/")
    browser_db = f"{name}_browser"
    admin = create_engine(f"{base}/{name}", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{browser_db}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{browser_db}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{browser_db}" WITH (FORCE)'))
        admin.dispose()

    return f"{base}/{browser_db}", drop


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app with the demo data, served by a threaded WSGI server."""
    url, drop = _browser_database(tmp_path_factory)
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "browser-test-secret",
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("browser-instance")),
        "DEMO_LOGIN": True,
        "LOGIN_MAX_ATTEMPTS": 1000,
    })
    with app.app_context():
        from flask_migrate import upgrade

        from workshops.demo import load

        upgrade()
        load()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()
    drop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                              device_scale_factor=2, accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    yield page
    ctx.close()


def log_in(page, base: str, email: str = "organiser@example.org") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:2000]


def run_axe(page) -> list[dict]:
    """Serious and critical accessibility violations on the current page."""
    if not AXE.exists():
        missing("axe-core is not installed (npm ci --prefix tests/browser)")
    # Evaluated through the DevTools protocol, which the page's strict
    # Content-Security-Policy (no inline script) does not block.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


def check_html(documents: dict[str, str], tmp_path: Path) -> list[str]:
    """Errors the Nu Html Checker finds in each named HTML document."""
    if not VNU.exists():
        missing("vnu-jar is not installed (npm ci --prefix tests/browser)")
    if not shutil.which("java"):
        missing("Java is not installed (apt-get install default-jre-headless)")
    files = []
    for name, html in documents.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    done = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or "{}").get("messages", [])
    return [f"{Path(m.get('url', '')).stem}:{m.get('lastLine')}: {m['message']}"
            for m in messages if m.get("type") == "error"]


def screenshot(page, name: str) -> None:
    """Keep a screenshot of a main page in docs/screenshots/ for the README."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
