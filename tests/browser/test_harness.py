"""The harness itself. Playwright's sync API starts even when an asyncio
loop was left marked as running in this thread (by another greenlet-based
library or an unfinished test), and puts that state back; run in a process
of its own, away from the package's browser. The phone checks catch what
they are meant to catch."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT, no_sideways_scroll, unreachable_actions

pytestmark = pytest.mark.browser

LEFT_RUNNING = """
import asyncio
from playwright.sync_api import Error, sync_playwright
from tests.browser.conftest import outside_any_event_loop

loop = asyncio.new_event_loop()
asyncio.events._set_running_loop(loop)  # what a greenlet suspended in run_until_complete leaves
try:
    sync_playwright().start()
    print("started inside the loop")
except (Error, RuntimeError) as exc:
    print("refused:", str(exc).splitlines()[0])
with outside_any_event_loop():
    with sync_playwright() as p:
        print("started:", p.chromium.name)
print("put back:", asyncio.events._get_running_loop() is loop)
"""


def test_playwright_starts_outside_a_loop_left_running_and_puts_it_back(browser):
    # `browser`: skipped (or failed under CI) like every browser test without Playwright and Chromium.
    done = subprocess.run([sys.executable, "-c", LEFT_RUNNING], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("refused:") and "loop" in lines[0]
    assert lines[1:] == ["started: chromium", "put back: True"]


PHONE_PAGE = """<!doctype html><html lang="en"><head><title>t</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0; overflow-x:hidden">
<nav aria-label="Main"><a href="/a">Shown</a> <a href="/b" style="display:none">Hidden menu item</a></nav>
<div style="overflow-x:auto; max-width:100%"><table><tr><td style="min-width:900px">wide</td>
  <td><a href="/c">In a scrolling table</a></td></tr></table></div>
<button style="position:absolute; left:600px; top:40px">Off to the right</button>
<p style="position:relative"><button>Covered</button>
  <span style="position:absolute; inset:0; background:#fff">cover</span></p>
<label>Ticked <input type="checkbox"></label>
<details><summary>More</summary><button>Inside closed details</button></details>
<p style="height:2000px"></p><button>Far below</button>
</body></html>"""


def test_a_phone_page_with_actions_out_of_reach_is_caught(phone):
    phone.set_content(PHONE_PAGE)
    found = "\n".join(unreachable_actions(phone))
    assert "Hidden menu item" in found and "navigation" in found
    assert "Off to the right" in found
    assert "Covered" in found
    assert "In a scrolling table" not in found
    assert "Far below" not in found and "Ticked" not in found and "Shown" not in found
    assert "Inside closed details" not in found and "More" not in found


MENU_PAGE = """<!doctype html><html lang="en"><head><title>t</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<nav aria-label="Main"><details><summary>Menu</summary><a href="/a">Behind the menu</a></details>
<details><summary style="display:none">Gone</summary><a id="no-way" href="/b">No way to open</a></details></nav>
</body></html>"""


def test_links_behind_a_phone_menu_count_as_shown_only_when_the_menu_can_be_opened(phone):
    phone.set_content(MENU_PAGE)
    found = "\n".join(unreachable_actions(phone))
    assert "a#no-way" in found and "navigation" in found
    assert "Behind the menu" not in found and "Menu" not in found
    # The menu is left as the user had it: closed.
    assert phone.evaluate("[...document.querySelectorAll('details')].every(d => !d.open)")


def test_sideways_scrolling_is_caught_although_a_mobile_browser_widens_its_viewport(phone):
    head = '<!doctype html><html lang="en"><head><title>t</title><meta name="viewport" ' \
           'content="width=device-width, initial-scale=1"></head>'
    phone.set_content(head + '<body><div style="width:600px">A wide box</div></body></html>')
    # The layout viewport grew to fit the box: innerWidth alone would not tell.
    assert phone.evaluate("window.innerWidth") > 390
    assert not no_sideways_scroll(phone)
    phone.set_content(head + "<body><p>Fits</p></body></html>")
    assert no_sideways_scroll(phone)


class _FakePage:
    def screenshot(self, path: str, full_page: bool) -> None:
        with open(path, "wb") as out:
            out.write(b"\x89PNG")


def test_screenshots_replace_the_readme_copies_only_when_asked(monkeypatch, tmp_path):
    # `make test` must leave the tracked docs/screenshots/*.png alone; `make screenshots` sets SCREENSHOTS=1.
    from . import conftest

    monkeypatch.setattr(conftest, "SCREENSHOTS", tmp_path / "docs")
    monkeypatch.delenv("SCREENSHOTS", raising=False)
    shot = conftest.screenshot(_FakePage(), "home")
    assert shot.exists() and not (tmp_path / "docs").exists()

    monkeypatch.setenv("SCREENSHOTS", "1")
    assert conftest.screenshot(_FakePage(), "home") == tmp_path / "docs" / "home.png"
    assert (tmp_path / "docs" / "home.png").read_bytes() == b"\x89PNG"
