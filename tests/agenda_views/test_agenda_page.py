"""The agenda page: days and sessions in order with their people, the time
zone named in visible text, the viewer's own zone (remembered, and right
across a daylight-saving change), the personal agenda, and pages that stay
clear when there is nothing, or something strange, to show."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from .conftest import change


def text_of(html: str) -> str:
    """What a reader sees: inline tags dropped, block tags as spaces, spaces collapsed."""
    html = re.sub(r"</?(time|span|strong|small|a|code|em|b)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def item_classes(html: str, item) -> str:
    return re.search(rf'<li class="([^"]*)" id="item-{item.uid}"', html).group(1)


@pytest.fixture
def singapore_in_march(make):
    """A workshop in Singapore across the weekend the United Kingdom moves
    its clocks forward (Sunday 30 March 2025, 01:00 GMT)."""
    workshop = make.workshop(title="Maritime Security at the Turn of the Season", timezone="Asia/Singapore",
                             start_date=dt.date(2025, 3, 28), end_date=dt.date(2025, 3, 31),
                             city="Singapore", country="SG", visibility="public")
    chair = make.participation(workshop=workshop, person=make.person(full_name="Mei Ling Tan", honorific="Dr"),
                               affiliation="RSIS", consent_to_be_named=True)
    speaker = make.participation(workshop=workshop, person=make.person(full_name="Arjun Rao"),
                                 affiliation="ORF", consent_to_be_named=True)
    friday = make.agenda_item(workshop=workshop, day=0, start="09:00", end="10:30", title="Opening panel",
                              room="Hall 1", description="Why the season matters at sea.",
                              people=[(chair, "chair"), (speaker, "speaker")])
    monday = make.agenda_item(workshop=workshop, day=3, start="09:00", end="10:30", title="Closing roundtable",
                              room="Hall 2")
    return workshop, friday, monday, chair, speaker


def test_the_agenda_shows_days_sessions_rooms_people_and_the_zone(client, singapore_in_march):
    workshop, *_ = singapore_in_march

    response = client.get(f"/agenda/{workshop.slug}")

    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "All times in Asia/Singapore, UTC+08:00" in page
    assert page.index("Friday 28 March 2025") < page.index("Opening panel") < page.index("Monday 31 March 2025")
    assert page.index("Monday 31 March 2025") < page.index("Closing roundtable")
    assert "09:00–10:30 Opening panel" in page
    assert "Room: Hall 1" in page
    assert "Chair: Dr Mei Ling Tan (RSIS)" in page
    assert "Speaker: Arjun Rao (ORF)" in page
    assert "Why the season matters at sea." in page
    assert "Last updated" in page


def test_times_follow_the_viewer_zone_across_a_daylight_saving_change(client, singapore_in_march):
    workshop, *_ = singapore_in_march

    response = client.get(f"/agenda/{workshop.slug}?tz=Europe/London")

    page = text_of(response.get_data(as_text=True))
    # 09:00 in Singapore is 01:00 in London on Friday (GMT), 02:00 on Monday (BST).
    friday = page[page.index("Friday 28 March 2025"):page.index("Monday 31 March 2025")]
    monday = page[page.index("Monday 31 March 2025"):]
    assert "Times in Europe/London, UTC+00:00" in friday
    assert "01:00–02:30" in friday
    assert "Times in Europe/London, UTC+01:00" in monday
    assert "02:00–03:30" in monday
    assert "whose offset from UTC changes during the workshop: UTC+00:00, then UTC+01:00" in page
    # The workshop's own time stays beside each session.
    assert "Workshop time 09:00–10:30" in friday and "Workshop time 09:00–10:30" in monday


def test_a_day_on_which_the_clocks_change_names_both_offsets(client, make):
    workshop = make.workshop(timezone="Asia/Singapore", start_date=dt.date(2025, 3, 30),
                             end_date=dt.date(2025, 3, 30), visibility="public")
    make.agenda_item(workshop=workshop, start="08:00", end="08:30", title="Before the change")  # 00:00 GMT
    make.agenda_item(workshop=workshop, start="10:00", end="11:00", title="After the change")  # 03:00 BST

    page = text_of(client.get(f"/agenda/{workshop.slug}?tz=Europe/London").get_data(as_text=True))

    assert "UTC+00:00, then UTC+01:00 (the clocks change this day)" in page
    assert "00:00–00:30 Workshop time 08:00–08:30 Before the change" in page
    assert "03:00–04:00 Workshop time 10:00–11:00 After the change" in page


def test_the_chosen_zone_is_remembered_and_can_be_forgotten(client, singapore_in_march):
    workshop, *_ = singapore_in_march

    chosen = client.get(f"/agenda/{workshop.slug}?tz=Asia/Jakarta")
    assert "agenda_tz=Asia/Jakarta" in chosen.headers["Set-Cookie"]

    later = text_of(client.get(f"/agenda/{workshop.slug}").get_data(as_text=True))
    assert "All times in Asia/Jakarta, UTC+07:00" in later
    assert "08:00–09:30 Workshop time 09:00–10:30 Opening panel" in later

    back = client.get(f"/agenda/{workshop.slug}?tz=")
    assert "agenda_tz=;" in back.headers["Set-Cookie"]
    assert "All times in Asia/Singapore, UTC+08:00" in text_of(back.get_data(as_text=True))


def test_an_unknown_zone_gets_a_message_and_the_workshop_zone(client, singapore_in_march):
    workshop, *_ = singapore_in_march

    for zone in ("Mars/Olympus_Mons", "../../etc/passwd", "<script>alert(1)</script>", "\u202eEurope/London",
                 "x" * 5000, "Europe/London\x00"):
        response = client.get(f"/agenda/{workshop.slug}", query_string={"tz": zone})

        assert response.status_code == 200, zone
        html = response.get_data(as_text=True)
        assert "is not a time zone we know" in html
        assert "<script>alert(1)</script>" not in html
        assert "All times in Asia/Singapore, UTC+08:00" in text_of(html)
        assert "agenda_tz=" not in response.headers.get("Set-Cookie", "")


def test_a_garbled_zone_cookie_is_dropped_quietly(client, singapore_in_march):
    workshop, *_ = singapore_in_march
    client.set_cookie("agenda_tz", "Nowhere/Land", path="/agenda")

    response = client.get(f"/agenda/{workshop.slug}")

    assert response.status_code == 200
    assert "All times in Asia/Singapore, UTC+08:00" in text_of(response.get_data(as_text=True))
    assert "agenda_tz=;" in response.headers["Set-Cookie"]


def test_the_zone_chooser_works_without_javascript(client, singapore_in_march):
    workshop, *_ = singapore_in_march

    html = client.get(f"/agenda/{workshop.slug}").get_data(as_text=True)

    form = html[html.index('<form method="get"'):html.index("</form>")]
    assert f'action="/agenda/{workshop.slug}"' in form
    assert '<label for="tz">' in form and 'name="tz"' in form
    assert "<option>Europe/London</option>" in form and "<option>Asia/Jakarta</option>" in form
    # The device-zone button is hidden until static/zone_button.js shows it: without it, the list.
    assert re.search(r'<button type="button" hidden data-zone-button data-zone-for="tz" data-zone-submit', form)
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="/static/zone_button.js">']


def test_a_personal_link_marks_the_persons_sessions_and_offers_their_feed(client, singapore_in_march):
    workshop, friday, monday, chair, speaker = singapore_in_march
    change(chair, personal_token="personal-token-of-the-chair-0001")

    html = client.get(f"/agenda/{workshop.slug}/p/personal-token-of-the-chair-0001").get_data(as_text=True)

    page = text_of(html)
    assert "Personal agenda of Dr Mei Ling Tan" in page
    assert "You have a role in 1 session" in page
    assert "agenda-item-mine" in item_classes(html, friday)
    assert "agenda-item-mine" not in item_classes(html, monday)
    opening = html[html.index(f'id="item-{friday.uid}"'):html.index(f'id="item-{monday.uid}"')]
    assert "You are the chair in this session." in text_of(opening)
    feed = f"webcal://localhost/agenda/{workshop.slug}/p/personal-token-of-the-chair-0001/agenda.ics"
    assert f'href="{feed}"' in html


def test_cancelled_sessions_stay_on_the_agenda_marked_cancelled(client, singapore_in_march):
    workshop, friday, *_ = singapore_in_march
    change(friday, status="cancelled")

    html = client.get(f"/agenda/{workshop.slug}").get_data(as_text=True)

    assert "agenda-item-cancelled" in item_classes(html, friday)
    assert "Opening panel Cancelled" in text_of(html[html.index(f'id="item-{friday.uid}"'):])


def test_a_workshop_without_an_agenda_yet_says_so(client, make):
    workshop = make.workshop(visibility="public", timezone="Asia/Manila")

    response = client.get(f"/agenda/{workshop.slug}")

    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "No agenda yet" in page
    assert "All times in Asia/Manila, UTC+08:00" in page
    for suffix in ("/agenda.ics", "/schedule.xml", "/schedule.json", "/agenda.pdf"):
        assert client.get(f"/agenda/{workshop.slug}{suffix}").status_code == 200


def test_strange_text_is_shown_as_text(client, make):
    workshop = make.workshop(visibility="public", title="<script>alert('t')</script>\u202eRTL title")
    make.agenda_item(workshop=workshop, title="Panel\x07 with a bell", room="<b>Room</b>",
                     description="Line one\nLine two <img src=x onerror=alert(1)>")

    response = client.get(f"/agenda/{workshop.slug}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert('t')</script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    for suffix in ("/agenda.ics", "/schedule.xml", "/schedule.json", "/agenda.pdf"):
        assert client.get(f"/agenda/{workshop.slug}{suffix}").status_code == 200


def test_the_page_has_no_inline_styles_or_scripts(client, singapore_in_march):
    workshop, *_ = singapore_in_march

    html = client.get(f"/agenda/{workshop.slug}").get_data(as_text=True)

    assert "style=" not in html and "<style" not in html
    # One script, self-hosted and empty in the page (the CSP allows no inline script).
    assert re.findall(r"<script[^>]*>(.*?)</script>", html, re.S) == [""]
    assert '<script type="module" src="/static/zone_button.js"></script>' in html
    assert "agenda.css" in html


def test_the_index_lists_public_agendas_upcoming_first_then_past(client, make):
    today = dt.date.today()
    soon = make.workshop(title="Soon", visibility="public", start_date=today + dt.timedelta(days=3))
    later = make.workshop(title="Later", visibility="public", start_date=today + dt.timedelta(days=40))
    past = make.workshop(title="Long ago", visibility="public", start_date=today - dt.timedelta(days=400))
    make.workshop(title="Closed meeting", visibility="participants", start_date=today + dt.timedelta(days=5))
    make.workshop(title="Private meeting", visibility="private", start_date=today + dt.timedelta(days=5))
    make.workshop(title="Still a draft", visibility="public", status="draft",
                  start_date=today + dt.timedelta(days=5))

    html = client.get("/agenda/").get_data(as_text=True)

    assert html.index("Soon") < html.index("Later") < html.index("Past") < html.index("Long ago")
    for hidden in ("Closed meeting", "Private meeting", "Still a draft"):
        assert hidden not in html
    assert f'href="/agenda/{soon.slug}"' in html
    assert later.slug in html and past.slug in html
