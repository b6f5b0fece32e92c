"""The browser can reach the app, log in and see the home page."""

from .conftest import log_in, no_sideways_scroll, run_axe


def test_an_organiser_logs_in_and_sees_the_home_page(page, live_server):
    log_in(page, live_server)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Track-2 workshops")
    assert page.get_by_role("button", name="Log out").is_visible()
    assert run_axe(page) == []


def test_the_login_page_fits_a_phone(phone, live_server):
    phone.goto(f"{live_server}/login")
    assert no_sideways_scroll(phone)
    assert phone.get_by_role("button", name="Log in").is_visible()
