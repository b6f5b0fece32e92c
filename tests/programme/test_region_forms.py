"""The new-workshop form fits the region (issue 15, item 4): the series
starts on "No series", country and format agree, the zone list holds
current zones only with the region's first and a device-zone button, and
themes are check boxes. The rules are the operation's (one home), so the
API and the archive import refuse the same things (tests/api/test_write.py,
tests/archive/test_zone_aliases.py)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from workshops.audit.operations import Invalid
from workshops.extensions import db
from workshops.models import Workshop
from workshops.programme.operations import create_workshop

from .helpers import count, field_errors
from .test_workshops import edit_form, workshop_form

ONLINE_HAS_NONE = "An online meeting has no country"
NEEDS_ONE = "Pick a country. A meeting in person or hybrid takes place in one"


def _selected(page: str, name: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html)


def test_the_series_starts_on_no_series_not_the_first_series(client, make, auth):
    make.series(name="AAA first in the alphabet")
    auth.login(role="admin")
    page = client.get("/workshops/new").get_data(as_text=True)
    options = re.search(r'<select[^>]*name="series"[^>]*>(.*?)</select>', page, re.S).group(1)
    first = re.search(r"<option([^>]*)>([^<]*)</option>", options)
    assert first.group(2) == "No series — a one-off meeting" and 'value="0"' in first.group(1)
    assert "selected" in first.group(1) and options.count("selected") == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"format": "online", "country": "ID"}, ONLINE_HAS_NONE),
    ({"format": "in_person", "country": ""}, NEEDS_ONE),
    ({"format": "hybrid", "country": ""}, NEEDS_ONE),
])
def test_country_and_format_must_agree_the_form_says_so_at_the_country(client, make, auth, changes, message):
    series = make.series()
    auth.login(role="admin")
    response = client.post("/workshops/new", data=workshop_form(series, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert [e for e in field_errors(page) if message in e]
    assert re.search(r'id="country-error"[^>]*>[^<]*' + re.escape(message.replace("'", "&#39;")), page), page
    assert count(Workshop) == 0


def test_the_new_form_does_not_contradict_itself_on_format_and_country(client, make, auth):
    """The format starts on In person, so the country starts on a request to choose one, not on
    "online"; submitting it untouched says so at the country, and nothing else is wrong."""
    series = make.series()
    auth.login(role="admin")
    page = client.get("/workshops/new").get_data(as_text=True)
    assert _selected(page, "format") in ([("in_person", "")], [("", "in_person")])
    country = re.search(r'<select[^>]*name="country"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.match(r'\s*<option (selected )?value=""( selected)?>Choose a country \(none if online\)</option>',
                    country), country[:200]
    assert "(online)" not in country.replace("(none if online)", "")
    assert "Required for a meeting in person or hybrid; leave it empty for an online meeting." in page
    # Likewise the lead network of a one-off meeting (the default series): a request to choose one.
    network = re.search(r'<select[^>]*name="network"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.match(r'\s*<option (selected )?value="0"( selected)?>Choose a network \(none needed with a series\)<',
                    network), network[:200]

    response = client.post("/workshops/new", data=workshop_form(series, format="in_person", country=""))
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert len(errors) == 1 and errors[0].startswith(NEEDS_ONE), errors
    assert count(Workshop) == 0


def test_an_online_meeting_with_a_country_is_told_to_leave_it_empty(client, make, auth):
    series = make.series()
    auth.login(role="admin")
    response = client.post("/workshops/new", data=workshop_form(series, format="online", country="ID"))
    assert field_errors(response.get_data(as_text=True)) == [
        "An online meeting has no country: leave Country empty, or choose In person or Hybrid as the format."]


@pytest.mark.parametrize(("fmt", "country", "stored"), [("online", "", None), ("hybrid", "TH", "TH"),
                                                        ("in_person", "VN", "VN")])
def test_agreeing_country_and_format_are_saved(client, make, auth, fmt, country, stored):
    series = make.series()
    auth.login(role="admin")
    response = client.post("/workshops/new", data=workshop_form(series, format=fmt, country=country))
    assert response.status_code == 302
    assert db.session.scalar(select(Workshop.country)) == stored


def test_an_online_meeting_with_a_country_is_refused_by_the_operation_itself(make):
    series = make.series()
    data = {"title": "Online dialogue", "start_date": "2025-06-03", "timezone": "Asia/Manila",
            "format": "online", "country": "PH", "series": series.id}
    with pytest.raises(Invalid) as refused:
        create_workshop(make.user(role="admin"), data)
    assert set(refused.value.errors) == {"country"} and ONLINE_HAS_NONE in refused.value.errors["country"]
    assert count(Workshop) == 0


def test_an_edit_to_online_that_keeps_the_country_is_refused(client, make, auth):
    workshop = make.workshop(series=make.series(), country="SG", format="in_person")
    auth.login(role="admin")
    response = client.post(f"/workshops/{workshop.id}/edit", data=edit_form(workshop, format="online"))
    assert response.status_code == 422
    assert any(ONLINE_HAS_NONE in e for e in field_errors(response.get_data(as_text=True)))
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).format == "in_person"


# ---------------------------------------------------------------- time zones


def test_the_zone_list_offers_the_region_first_current_names_only_and_the_device_button(client, auth):
    auth.login(role="admin")
    page = client.get("/workshops/new").get_data(as_text=True)
    zone_select = re.search(r'<select[^>]*name="timezone"[^>]*>(.*?)</select>', page, re.S).group(1)
    groups = re.findall(r'<optgroup label="([^"]+)">', zone_select)
    assert groups == ["Asia and the Pacific", "All other zones"]
    region = zone_select.split('<optgroup label="All other zones">')[0]
    for name in ("Asia/Singapore", "Asia/Ho_Chi_Minh", "Asia/Kolkata", "Asia/Yangon", "Asia/Kuala_Lumpur"):
        assert f'value="{name}"' in region, name
    for alias in ("Asia/Saigon", "Asia/Calcutta", "Asia/Rangoon", "US/Pacific", "Etc/GMT+7"):
        assert f'value="{alias}"' not in zone_select, alias
    assert _selected(page, "timezone") == [("", "Asia/Singapore")] or \
        _selected(page, "timezone") == [("Asia/Singapore", "")]
    # The device's zone in one tap: a button shown by a self-hosted module (no inline script).
    assert re.search(r'<button type="button" hidden data-zone-button data-zone-for="timezone"', page)
    assert '<script type="module" src="/static/zone_button.js"></script>' in page
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page)


def test_a_record_with_an_alias_zone_shows_and_saves_its_current_name(client, make, auth):
    workshop = make.workshop(series=make.series(), timezone="Asia/Saigon", country="VN")
    item = make.agenda_item(workshop=workshop, start="09:00", end="10:00")
    auth.login(role="admin")
    page = client.get(f"/workshops/{workshop.id}/edit").get_data(as_text=True)
    assert set(_selected(page, "timezone")) <= {("Asia/Ho_Chi_Minh", ""), ("", "Asia/Ho_Chi_Minh")}
    assert _selected(page, "timezone")
    response = client.post(f"/workshops/{workshop.id}/edit",
                           data=edit_form(workshop, timezone="Asia/Ho_Chi_Minh", title="Renamed"))
    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    db.session.expire_all()
    saved = db.session.get(Workshop, workshop.id)
    assert saved.timezone == "Asia/Ho_Chi_Minh" and saved.title == "Renamed"
    assert item.local_start(saved.zone).strftime("%H:%M") == "09:00"  # same rules: the agenda did not move


def test_a_fixed_offset_record_keeps_its_zone_on_the_form(client, make, auth):
    workshop = make.workshop(series=make.series(), timezone="Etc/GMT-7", country="TH")
    auth.login(role="admin")
    page = client.get(f"/workshops/{workshop.id}/edit").get_data(as_text=True)
    assert _selected(page, "timezone") in ([("Etc/GMT-7", "")], [("", "Etc/GMT-7")])
    response = client.post(f"/workshops/{workshop.id}/edit", data=edit_form(workshop, title="Kept zone"))
    assert response.status_code == 302


def test_an_alias_posted_to_the_form_is_not_on_the_list(client, make, auth):
    series = make.series()
    auth.login(role="admin")
    response = client.post("/workshops/new", data=workshop_form(series, timezone="Asia/Calcutta"))
    assert response.status_code == 422
    assert "Pick from the list." in field_errors(response.get_data(as_text=True))


# ---------------------------------------------------------------- themes


def test_themes_are_check_boxes_and_save_several(client, make, auth):
    series = make.series()
    hadr, cyber, sea = make.theme(name="HADR"), make.theme(name="Cyber security"), make.theme(name="Sea")
    auth.login(role="admin")
    page = client.get("/workshops/new").get_data(as_text=True)
    assert "<select multiple" not in page and "Ctrl" not in page
    boxes = re.findall(r'<input id="themes-\d+" name="themes" type="checkbox" value="(\d+)"', page)
    assert sorted(map(int, boxes)) == sorted([hadr.id, cyber.id, sea.id])
    response = client.post("/workshops/new", data=workshop_form(series, themes=[hadr.id, sea.id]))
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert sorted(t.name for t in workshop.themes) == ["HADR", "Sea"]
    page = client.get(f"/workshops/{workshop.id}/edit").get_data(as_text=True)
    checked = re.findall(r'<input checked id="themes-\d+" name="themes" type="checkbox" value="(\d+)"', page)
    assert sorted(map(int, checked)) == sorted([hadr.id, sea.id])


def test_a_theme_not_on_the_list_is_refused_at_the_field(client, make, auth):
    series = make.series()
    auth.login(role="admin")
    response = client.post("/workshops/new", data=workshop_form(series, themes=["999999", "x"]))
    assert response.status_code == 422
    assert "Pick only from the list." in field_errors(response.get_data(as_text=True))
    assert count(Workshop) == 0
