"""Browser tests: the app served on a free local port with the demo data,
driven by Playwright in Debian's Chromium (/usr/bin/chromium).

Without Chromium (or Node's tools for axe-core and the Nu Html Checker)
these tests skip with the reason; under CI=true a missing one fails the run.

Playwright's sync API runs its asyncio loop in a greenlet: while it is
started, the main thread looks as if it were inside a running event loop, so
a second sync_playwright() fails ("using Playwright Sync API inside the
asyncio loop") and so does any later asyncio.run(). The browser is therefore
package-scoped (stopped when the last test in tests/browser is done) and
started outside any loop another test may have left marked as running.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
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
        # Commits that do not wait for the disk, as on the rest of the suite's database (tests/conftest.py).
        conn.execute(text(f'ALTER DATABASE "{browser_db}" SET synchronous_commit = off'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{browser_db}" WITH (FORCE)'))
        admin.dispose()

    return f"{base}/{browser_db}", drop


@pytest.fixture(scope="package")
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


@contextmanager
def outside_any_event_loop():
    """Run the block with no asyncio loop marked as running in this thread.

    Only a loop left behind counts here (the tests are synchronous): another
    greenlet-based library suspended inside its loop, or a test that never
    finished its own. It is put back afterwards."""
    left_behind = asyncio.events._get_running_loop()
    if left_behind is not None:
        asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        if left_behind is not None:
            asyncio.events._set_running_loop(left_behind)


@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed")
    with outside_any_event_loop(), sync_playwright() as p:
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


_SESSIONS: dict[tuple[str, str], list[dict]] = {}


def log_in(page, base: str, email: str = "organiser@example.org") -> None:
    """Log in as a demo user; the page is then at the home page.

    The first time for a user it goes through the login form; later the
    cookies of that login are given to the new browser context (hashing the
    password is slow on purpose), as long as the server still honours them."""
    saved = _SESSIONS.get((base, email))
    if saved:
        page.context.add_cookies(saved)
        page.goto(f"{base}/")
        if page.locator("button", has_text="Log out").count():  # in a phone's closed menu too
            return
        page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:2000]
    _SESSIONS[(base, email)] = page.context.cookies(base)


def act(page, name: str, exact: bool = False):
    """The link or button with this name: a link may look like a button
    (role="button"), and which one it is does not matter to the user."""
    return (page.get_by_role("link", name=name, exact=exact)
            .or_(page.get_by_role("button", name=name, exact=exact)).first)


def run_axe(page) -> list[dict]:
    """Serious and critical accessibility violations on the current page."""
    if not AXE.exists():
        missing("axe-core is not installed (npm ci --prefix tests/browser)")
    # Evaluated through the DevTools protocol, which the page's strict
    # Content-Security-Policy (no inline script) does not block.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target)}))""")


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


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
    # A short run: the client compiler alone and the serial collector start
    # faster and use about half the CPU; the checker needs a large stack.
    java = ["java", "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU)]
    done = subprocess.run([*java, "--format", "json", "--exit-zero-always", *files],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or "{}").get("messages", [])
    return [f"{Path(m.get('url', '')).stem}:{m.get('lastLine')}: {m['message']}"
            for m in messages if m.get("type") == "error"]


def screenshot(page, name: str) -> Path:
    """Take a screenshot of a main page. Only when asked (SCREENSHOTS=1, as
    `make screenshots` does) does it replace the README's copy in
    docs/screenshots/; otherwise it goes to a temporary folder, so running
    the tests leaves a clone's tracked files as they were."""
    folder = SCREENSHOTS if os.environ.get("SCREENSHOTS", "") == "1" else _scratch_screenshots()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


@functools.cache
def _scratch_screenshots() -> Path:
    import tempfile

    return Path(tempfile.mkdtemp(prefix="workshops-screenshots-"))


def no_sideways_scroll(page) -> bool:
    """Nothing is wider than the viewport. Compared with the viewport the
    context was given: a mobile browser widens its layout viewport to fit
    content that overflows, which would hide the overflow from innerWidth."""
    # Measured once the page and its stylesheets have loaded: a click on a link
    # returns when the new page is committed, and a layout measured before a
    # page's own stylesheet arrives can overflow where the styled page does not.
    page.wait_for_load_state("load")
    width = page.viewport_size["width"]
    return page.evaluate("w => document.documentElement.scrollWidth <= w + 1", width)


UNREACHABLE = """() => {
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  // Not shown: display none, the content of a closed <details>, text for screen readers only.
  const shown = e => e.checkVisibility({visibilityProperty: true}) && !e.closest('.visually-hidden, .skip-link');
  // A phone's "Menu" (a closed <details> in the main navigation) is opened as a user would, if its summary is shown.
  const menus = [...document.querySelectorAll('nav[aria-label=Main] details:not([open])')]
    .filter(d => d.querySelector(':scope > summary') && shown(d.querySelector(':scope > summary')));
  menus.forEach(d => { d.open = true; });
  const name = e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} "${(e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 40)}"`;
  const missing = [...document.querySelectorAll('nav[aria-label=Main] a, nav[aria-label=Main] button')]
    .filter(e => !shown(e)).map(e => `${name(e)} (navigation, not shown)`);
  const blocked = [];
  for (const e of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
    if (e.type === 'hidden' || !shown(e)) continue;
    e.scrollIntoView({block: 'center', inline: 'center'});
    const label = e.labels && e.labels[0];
    let hit = null, reached = false;
    // A link that wraps has a box per line: any of them will do.
    for (const r of e.getClientRects()) {
      if (r.width < 1 || r.height < 1 || r.right <= 0 || r.left >= vw) continue;
      const x = Math.min(Math.max(r.left + Math.min(r.width / 2, 8), 0), vw - 1);
      const y = Math.min(Math.max(r.top + r.height / 2, 0), vh - 1);
      hit = document.elementFromPoint(x, y);
      if (hit && (e.contains(hit) || hit.contains(e) || (label && label.contains(hit)))) { reached = true; break; }
    }
    if (!reached) blocked.push(`${name(e)} (under ${hit ? hit.tagName.toLowerCase() + (hit.className ? '.' + hit.className : '') : 'nothing'})`);
  }
  menus.forEach(d => { d.open = false; });
  window.scrollTo(0, 0);
  return [...missing, ...blocked];
}"""


def unreachable_actions(page) -> list[str]:
    """Links, buttons and fields a user cannot reach: each one the page
    shows is scrolled into view (its table scrolled sideways if need be)
    and must then be the element under the pointer at its place. Links of
    the main navigation must all be shown, once its "Menu" is opened where
    the page has one."""
    return page.evaluate(UNREACHABLE)


def page_problems(wide, narrow, url: str, name: str, documents: dict[str, str]) -> list[str]:
    """What a main page must pass, read at desktop width (`wide`) and on a
    390px phone (`narrow`): it answers 200, axe-core finds no serious or
    critical violation, every control is labelled, and on the phone nothing
    scrolls sideways and every action can be reached. The desktop HTML is
    kept in `documents` for one batched check_html run."""
    response = wide.goto(url)
    if response.status != 200:
        return [f"{name}: HTTP {response.status}"]
    documents[name] = wide.content()  # before axe is injected
    problems = [f"{name}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}" for v in run_axe(wide)]
    problems += [f"{name}: no label for {control}" for control in unlabelled_controls(wide)]
    narrow.goto(url)
    if not no_sideways_scroll(narrow):
        problems.append(f"{name}: the page scrolls sideways at {narrow.viewport_size['width']}px")
    problems += [f"{name}: cannot reach {action}" for action in unreachable_actions(narrow)]
    return problems


def unlabelled_controls(page) -> list[str]:
    """Form controls on the page without an accessible label: no <label>,
    aria-label or aria-labelledby (buttons count their text)."""
    return page.evaluate("""() => [...document.querySelectorAll('input, select, textarea, button')]
      .filter(e => !['hidden'].includes(e.type) && !e.closest('[hidden]'))
      .filter(e => {
        if (e.labels && [...e.labels].some(l => l.textContent.trim())) return false;
        if ((e.getAttribute('aria-label') || '').trim()) return false;
        const by = (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
        if (by.some(id => (document.getElementById(id)?.textContent || '').trim())) return false;
        if (e.tagName === 'BUTTON' && e.textContent.trim()) return false;
        if (['submit', 'reset', 'button'].includes(e.type) && (e.value || '').trim()) return false;
        return true;
      })
      .map(e => `${e.tagName.toLowerCase()}#${e.id || '?'}[name=${e.name || ''}]`)""")


def focus_ring(page) -> str:
    """The outline drawn around the focused element ('' when none)."""
    return page.evaluate("""() => {
      const s = getComputedStyle(document.activeElement);
      return s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0
        ? '' : `${s.outlineWidth} ${s.outlineStyle} ${s.outlineColor}`;
    }""")


def error_at_field(page, label: str) -> str:
    """The message shown at the field with this label: the text of the
    .field-error its aria-describedby points to; the field must be marked
    aria-invalid."""
    control = page.get_by_label(label)
    assert control.get_attribute("aria-invalid") == "true", f"{label} is not marked invalid"
    ids = (control.get_attribute("aria-describedby") or "").split()
    texts = [page.locator(f"[id='{i}']").inner_text() for i in ids
             if page.locator(f"[id='{i}'].field-error").count()]
    return " ".join(texts)
