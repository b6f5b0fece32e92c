"""The organiser's week in the app (issue 14), in Chromium on the demo
data: an organiser invites three participants by mail, one confirms on
their phone with consent and a dietary need, one declines, and the organiser
sees both answers and the counts on the participants page."""

from __future__ import annotations

import re

import pytest

from .conftest import act, log_in, no_sideways_scroll, run_axe

pytestmark = pytest.mark.browser

SLUG = "nadi-hadr-2026"  # the demo's coming NADI workshop, published
ANSWER = re.compile("^(Answer the invitation|Change your answer)$")  # some demo participants answered already


def _participants_page(page, base: str) -> None:
    # From the workshops to the workshop, then its participants, as an organiser goes.
    page.goto(f"{base}/workshops")
    page.get_by_role("link", name=re.compile("NADI Workshop on HADR: logistics")).first.click()
    act(page, "Participants").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Participants").is_visible()


def _link_of(page, base: str, name: str) -> str:
    page.goto(f"{base}/agenda/{SLUG}/links")
    return page.locator("tr", has_text=name).locator("input.links-url").input_value()


def test_an_organiser_invites_three_and_sees_who_comes(browser, page, phone, live_server):
    log_in(page, live_server, "organiser@example.org")
    _participants_page(page, live_server)
    # Each row's checkbox is named by the participant's full name.
    boxes = page.locator("table.people-participants tbody input[name=participation_id]")
    chosen = [boxes.nth(i).get_attribute("aria-label").removeprefix("Choose ") for i in range(3)]
    for i in range(3):
        boxes.nth(i).check()
    # The demo's participants were invited a fortnight ago: this sends their invitation again.
    page.get_by_label("Send again to those already invited").check()
    page.get_by_role("button", name="Invite the ticked participants").click()
    page.wait_for_load_state()
    assert re.search(r"(Sent|Resent) 3 invitations", page.locator("body").inner_text())

    # The outbox shows the three invitations waiting for the sender.
    page.goto(f"{live_server}/outbox")
    outbox = page.locator("body").inner_text()
    assert outbox.count("Invitation: NADI Workshop on HADR") >= 3

    coming, not_coming = chosen[0], chosen[1]
    coming_link, declining_link = _link_of(page, live_server, coming), _link_of(page, live_server, not_coming)

    # One confirms on their phone, agrees to be listed and named, and says what they eat.
    phone.goto(coming_link)
    answer = phone.get_by_role("button", name=ANSWER)
    answer.scroll_into_view_if_needed()
    answer.tap()
    phone.get_by_label("Yes, I will take part").check()
    phone.get_by_label("List me among the participants shown to the other participants").check()
    phone.get_by_label("Name me on the public agenda where I chair or speak").check()
    phone.get_by_label("Dietary needs").fill("Vegetarian, no shellfish")
    assert no_sideways_scroll(phone)
    assert run_axe(phone) == []
    phone.get_by_role("button", name="Send my answer").tap()
    phone.wait_for_load_state()
    assert "You will take part." in phone.locator(".agenda-reply").inner_text()

    # Another declines.
    phone.goto(declining_link)
    phone.get_by_role("button", name=ANSWER).tap()
    phone.get_by_label("No, I cannot take part").check()
    phone.get_by_role("button", name="Send my answer").tap()
    phone.wait_for_load_state()
    assert "You will not take part." in phone.locator(".agenda-reply").inner_text()

    # The organiser sees both answers, the need and the counts.
    _participants_page(page, live_server)
    summary = page.locator(".participant-replies").inner_text()
    assert re.search(r"\d+ participants? confirmed and \d+ declined on their personal page", summary)
    assert re.search(r"[1-9]\d* participants? gave dietary needs", summary)
    row = page.locator("tr", has_text=coming)
    assert "Confirmed" in row.inner_text() and "Vegetarian, no shellfish" in row.inner_text()
    assert "Declined" in page.locator("tr", has_text=not_coming).locator(".participant-answer").inner_text()
