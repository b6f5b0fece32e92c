"""The site's main navigation at a phone's width and a desktop's: below
768 px the site's name and a "Menu" (a <details>, no script) that opens the
whole list in the page's flow, the current page marked and the follow-up
count on the closed control; from 768 px the whole list as before, without
a control; printed, neither (static/app.css, templates/base.html)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in, no_sideways_scroll, unreachable_actions

pytestmark = pytest.mark.browser

LINKS = ("Agendas", "Workshops", "Series", "People", "Recommendations", "Follow-up", "Reports", "Search")


def link(nav, name: str):
    """A link of the navigation by its name, its count ("Follow-up 9 waiting") aside."""
    return nav.get_by_role("link", name=re.compile(rf"^{re.escape(name)}( \d+ waiting)?$"))


def header_height(page) -> float:
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


@pytest.fixture
def organiser_at(browser, live_server):
    contexts = []

    def at(width: int, height: int = 844):
        ctx = browser.new_context(viewport={"width": width, "height": height}, has_touch=width < 768)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        log_in(page, live_server)
        return page

    yield at
    for ctx in contexts:
        ctx.close()


def test_on_a_phone_the_menu_is_closed_to_a_line_and_opens_to_every_link(organiser_at, live_server):
    page = organiser_at(390)
    page.goto(live_server + "/follow-up")
    nav = page.get_by_role("navigation", name="Main")
    menu = nav.locator("summary", has_text="Menu")

    # Closed: the site's name and "Menu" on one line, with the follow-up count in sight.
    assert header_height(page) < 120
    expect(nav.get_by_role("link", name="Track-2 Workshops")).to_be_visible()
    expect(menu).to_be_visible()
    expect(menu.locator(".badge")).to_be_visible()
    assert re.fullmatch(r"Menu \d+ waiting in Follow-up", " ".join(menu.inner_text().split()))
    for name in LINKS:
        expect(link(nav, name)).to_be_hidden()
    expect(nav.get_by_role("button", name="Log out")).to_be_hidden()

    # Opened with the keyboard: every link and "Log out" in sight, the current page marked.
    menu.focus()
    page.keyboard.press("Enter")
    for name in LINKS:
        expect(link(nav, name)).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    current = nav.locator("a[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Follow-up")
    expect(current.locator(".badge")).to_be_visible()
    assert header_height(page) > 300
    assert no_sideways_scroll(page)
    assert unreachable_actions(page) == []

    # The list pushes the page down: nothing of the page is under it.
    menu_bottom = page.evaluate("document.querySelector('.nav-menu').getBoundingClientRect().bottom")
    main_top = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
    assert main_top >= menu_bottom

    # A link in it goes where it says, and the next page starts closed again.
    link(nav, "Workshops").click()
    page.wait_for_load_state()
    assert page.url.endswith("/workshops")
    assert header_height(page) < 120

    # Printed: no menu control, no navigation.
    page.emulate_media(media="print")
    expect(menu).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()


def test_on_a_desktop_every_link_shows_without_a_menu(organiser_at, live_server):
    page = organiser_at(1280, 900)
    page.goto(live_server + "/follow-up")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.locator("summary")).to_be_hidden()
    for name in LINKS:
        expect(link(nav, name)).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    expect(nav.locator("a[aria-current=page]")).to_contain_text("Follow-up")
    # The same at the breakpoint itself.
    page.set_viewport_size({"width": 768, "height": 900})
    expect(nav.locator("summary")).to_be_hidden()
    expect(link(nav, "Reports")).to_be_visible()


def test_signed_out_the_two_links_stay_beside_the_name_on_a_phone(phone, live_server):
    for path in ("/login", "/agenda/cscap-maritime-2024"):
        phone.goto(live_server + path)
        nav = phone.get_by_role("navigation", name="Main")
        expect(nav.locator("summary")).to_have_count(0)
        expect(nav.get_by_role("link", name="Log in")).to_be_visible()
        expect(nav.get_by_role("link", name="Agendas")).to_be_visible()
        assert header_height(phone) < 120, path
        assert no_sideways_scroll(phone)
