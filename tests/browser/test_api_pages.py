"""The API's pages in a real browser: a viewer creates a token on the
tokens page and it works at once; the documentation and tokens pages pass
axe-core and the Nu Html Checker and fit a 390px phone."""

from __future__ import annotations

import pytest

from .conftest import check_html, log_in, page_problems, run_axe

pytestmark = pytest.mark.browser


def test_a_viewer_creates_a_token_and_uses_it(page, live_server):
    log_in(page, live_server, "viewer@example.org")
    page.goto(f"{live_server}/profile/tokens")
    page.get_by_label("Name").fill("Analysis notebook")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator(".token-secret").inner_text().strip()
    assert secret.startswith("t2w_")
    headers = {"Authorization": f"Bearer {secret}"}
    answer = page.request.get(f"{live_server}/api/v1/me", headers=headers)
    assert answer.status == 200 and answer.json()["email"] == "viewer@example.org"

    page.goto(f"{live_server}/profile/tokens")
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke the token Analysis notebook").click()
    assert "no longer works" in page.locator(".flashes").inner_text()
    assert page.request.get(f"{live_server}/api/v1/me", headers=headers).status == 401
    # The browser is still logged in, but its cookie does not open the API.
    assert page.request.get(f"{live_server}/api/v1/me").status == 401


def test_the_api_pages_are_accessible_valid_and_fit_a_phone(browser, live_server, tmp_path):
    documents = {}
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    mobile = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        wide, narrow = desktop.new_page(), mobile.new_page()
        log_in(wide, live_server, "organiser@example.org")
        log_in(narrow, live_server, "organiser@example.org")
        for name, path in (("api_docs", "/api/v1/docs"), ("api_tokens", "/profile/tokens")):
            problems = page_problems(wide, narrow, live_server + path, name, documents)
            assert problems == [], "\n".join(problems)
        wide.get_by_label("Name").fill("Website")
        wide.get_by_role("button", name="Create token").click()
        documents["api_tokens_created"] = wide.content()
        assert run_axe(wide) == []
    finally:
        desktop.close()
        mobile.close()
    assert check_html(documents, tmp_path) == []
