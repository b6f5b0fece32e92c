"""Time zones have one home (workshops/core/zones.py): the valid names, the
grouped list of the select menus, the offset label, local↔UTC and the
wall-clock shift; nothing else in the app reads the tz database."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from workshops.core import zones
from workshops.core.zones import (
    ZoneInfo,
    is_zone,
    known_zones,
    offset_label,
    shift_wall_clock,
    to_local,
    to_utc,
    zone_groups,
    zone_of,
    zone_or_none,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
BANGKOK = ZoneInfo("Asia/Bangkok")
UTC = dt.UTC


def at(year, month, day, hour, minute=0, tz=UTC):
    return dt.datetime(year, month, day, hour, minute, tzinfo=tz)


# --- names ---------------------------------------------------------------------


def test_canonical_names_utc_and_legacy_aliases_are_zones():
    for name in ("Asia/Singapore", "Europe/London", "America/Argentina/Buenos_Aires", "UTC", "US/Pacific"):
        assert is_zone(name), name
        assert zone_or_none(name) == ZoneInfo(name)
    assert zone_of("Asia/Jakarta") == ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize("name", [
    None, "", " ", "Mars/Olympus_Mons", "asia/singapore", "Asia/Singapore ", "localtime", "Factory",
    "../../etc/passwd", "Europe/" + "x" * 100, "UTC\x00",
])
def test_bad_names_are_no_zone(name):
    assert is_zone(name) is False
    assert zone_or_none(name) is None


def test_the_server_zone_and_factory_are_not_offered_even_though_zoneinfo_has_them():
    assert "localtime" not in known_zones() and "Factory" not in known_zones()
    assert len(known_zones()) > 400


# --- the grouped list of the select menus ----------------------------------------


def test_menus_offer_the_regions_current_zones_first_then_all_others_with_utc_first():
    groups = zone_groups()
    assert [group for group, _ in groups] == [zones.REGION_NAME, zones.OTHER_ZONES] == \
        ["Asia and the Pacific", "All other zones"]
    (_, region), (_, others) = groups
    assert list(region) == sorted(region) and others[0] == "UTC" and list(others[1:]) == sorted(others[1:])
    assert not set(region) & set(others)
    assert {"Asia/Singapore", "Asia/Ho_Chi_Minh", "Asia/Kolkata", "Asia/Yangon", "Asia/Kuala_Lumpur",
            "Asia/Phnom_Penh", "Asia/Vientiane", "Asia/Manila", "Asia/Dili", "Asia/Tokyo", "Australia/Sydney",
            "Pacific/Auckland", "Pacific/Port_Moresby"} <= set(region)
    assert {"Europe/London", "America/New_York", "America/Argentina/Buenos_Aires", "Asia/Dubai",
            "Europe/Kyiv"} <= set(others)
    offered = {n for _, names in groups for n in names}
    assert offered == zones.current_zones() and all(is_zone(n) for n in offered)


# Backward-compatible names of the tz database (its `backward` file), and
# fixed offsets: still valid zones, never offered.
ALIASES = {"Asia/Saigon": "Asia/Ho_Chi_Minh", "Asia/Calcutta": "Asia/Kolkata", "Asia/Rangoon": "Asia/Yangon",
           "Asia/Katmandu": "Asia/Kathmandu", "Asia/Ujung_Pandang": "Asia/Makassar", "Asia/Dacca": "Asia/Dhaka",
           "Singapore": "Asia/Singapore", "Japan": "Asia/Tokyo", "US/Pacific": "America/Los_Angeles",
           "Europe/Kiev": "Europe/Kyiv", "Etc/UTC": "UTC", "GMT": "UTC", "Zulu": "UTC", "Etc/GMT": "UTC"}


def test_no_alias_is_offered_and_each_stands_for_a_current_zone():
    offered = {n for _, names in zone_groups() for n in names}
    for alias, current in ALIASES.items():
        assert is_zone(alias) and alias not in offered, alias
        assert zones.canonical_zone(alias) == current and current in offered, alias
    assert not offered & {"US/Pacific", "Etc/GMT+7", "GMT", "localtime", "Factory"}
    assert 400 < len(offered) < len(known_zones())


def test_a_current_zone_a_fixed_offset_and_a_non_zone_come_back_unchanged():
    for name in ("Asia/Singapore", "Asia/Kuala_Lumpur", "UTC", "Etc/GMT+7", "Mars/Olympus_Mons", "", None):
        assert zones.canonical_zone(name) == name


def test_the_workshop_form_offers_the_same_list_with_readable_labels():
    from workshops.programme.forms import timezone_choices, with_current_zone

    choices = timezone_choices()
    assert [c.value for c in choices] == [n for _, names in zone_groups() for n in names]
    assert (choices[0].value, choices[0].optgroup) == (zone_groups()[0][1][0], "Asia and the Pacific")
    buenos_aires = next(c for c in choices if c.value == "America/Argentina/Buenos_Aires")
    assert (buenos_aires.label, buenos_aires.optgroup) == ("America/Argentina/Buenos Aires", "All other zones")
    assert not {"Asia/Saigon", "Asia/Calcutta"} & {c.value for c in choices}
    # A record's own zone that no menu offers (a fixed offset) is shown first, so it can be kept.
    assert with_current_zone("Etc/GMT+7")[0].value == "Etc/GMT+7"
    assert with_current_zone("Asia/Bangkok") == list(choices)


# --- the offset label ------------------------------------------------------------


def test_offset_label_reads_the_offset_of_the_moment():
    assert offset_label(at(2025, 6, 3, 5, tz=BANGKOK)) == "UTC+07:00"
    assert offset_label(at(2025, 6, 3, 5, tz=ZoneInfo("America/St_Johns"))) == "UTC-02:30"
    assert offset_label(at(2025, 1, 3, 5, tz=ZoneInfo("America/St_Johns"))) == "UTC-03:30"
    assert offset_label(at(2025, 6, 3, 5, tz=ZoneInfo("Asia/Kathmandu"))) == "UTC+05:45"
    assert offset_label(at(2025, 6, 3, 5)) == "UTC+00:00"


def test_offset_label_follows_daylight_saving_across_march():
    assert offset_label(at(2025, 3, 29, 12, tz=LONDON)) == "UTC+00:00"
    assert offset_label(at(2025, 3, 31, 12, tz=LONDON)) == "UTC+01:00"
    assert offset_label(at(2025, 3, 8, 12, tz=NEW_YORK)) == "UTC-05:00"
    assert offset_label(at(2025, 3, 10, 12, tz=NEW_YORK)) == "UTC-04:00"


def test_the_named_label_gives_a_real_abbreviation_only():
    assert offset_label(at(2025, 3, 29, 12, tz=LONDON), named=True) == "GMT, UTC+00:00"
    assert offset_label(at(2025, 3, 31, 12, tz=LONDON), named=True) == "BST, UTC+01:00"
    assert offset_label(at(2025, 3, 10, 12, tz=NEW_YORK), named=True) == "EDT, UTC-04:00"
    # Bangkok's abbreviation in the tz database is "+07": no name, just the offset.
    assert offset_label(at(2025, 6, 3, 12, tz=BANGKOK), named=True) == "UTC+07:00"


# --- local ↔ UTC --------------------------------------------------------------------


def test_local_to_utc_and_back_across_the_march_change_in_london():
    before = to_utc(dt.date(2025, 3, 29), dt.time(9), LONDON)
    after = to_utc(dt.date(2025, 3, 31), dt.time(9), LONDON)
    assert before == at(2025, 3, 29, 9) and after == at(2025, 3, 31, 8)
    assert before.tzinfo is UTC and after.tzinfo is UTC
    for moment in (before, after):
        local = to_local(moment, LONDON)
        assert local.time() == dt.time(9) and local.tzinfo is LONDON


def test_a_time_the_clocks_skip_has_no_utc_instant():
    # 30 March 2025, 01:00 → 02:00 in London; 9 March 2025, 02:00 → 03:00 in New York.
    assert to_utc(dt.date(2025, 3, 30), dt.time(1, 30), LONDON) is None
    assert to_utc(dt.date(2025, 3, 9), dt.time(2, 30), NEW_YORK) is None
    assert to_utc(dt.date(2025, 3, 30), dt.time(2, 0), LONDON) == at(2025, 3, 30, 1)


def test_a_time_that_happens_twice_means_its_first_occurrence():
    # 26 October 2025, 02:00 BST → 01:00 GMT: 01:30 happens twice.
    assert to_utc(dt.date(2025, 10, 26), dt.time(1, 30), LONDON) == at(2025, 10, 26, 0, 30)


def test_utc_to_local_reads_the_same_instant_in_any_zone():
    moment = at(2025, 6, 3, 2)
    assert to_local(moment, BANGKOK) == moment
    assert to_local(moment, BANGKOK).replace(tzinfo=None) == dt.datetime(2025, 6, 3, 9)
    assert to_local(moment, NEW_YORK).replace(tzinfo=None) == dt.datetime(2025, 6, 2, 22)


# --- the wall-clock shift --------------------------------------------------------------


def test_shifting_across_the_march_change_keeps_the_wall_clock_time():
    nine_gmt = at(2025, 3, 28, 9)  # Friday 09:00 in London (GMT)
    moved = shift_wall_clock(nine_gmt, 7, LONDON, LONDON)
    assert moved == at(2025, 4, 4, 8) and moved.tzinfo is UTC  # 09:00 BST
    assert to_local(moved, LONDON).time() == dt.time(9)
    assert shift_wall_clock(moved, -7, LONDON, LONDON) == nine_gmt


def test_a_new_zone_keeps_the_local_time_and_the_day():
    nine_in_bangkok = to_utc(dt.date(2025, 3, 7), dt.time(9), BANGKOK)
    moved = shift_wall_clock(nine_in_bangkok, 0, BANGKOK, NEW_YORK)
    assert to_local(moved, NEW_YORK).replace(tzinfo=None) == dt.datetime(2025, 3, 7, 9)
    later = shift_wall_clock(nine_in_bangkok, 3, BANGKOK, NEW_YORK)  # across New York's change on 9 March
    assert to_local(later, NEW_YORK).replace(tzinfo=None) == dt.datetime(2025, 3, 10, 9)
    assert later - moved == dt.timedelta(days=3, hours=-1)


def test_a_shift_onto_a_skipped_time_lands_an_hour_later():
    half_past_one = at(2025, 3, 23, 1, 30)  # Sunday 01:30 GMT
    moved = shift_wall_clock(half_past_one, 7, LONDON, LONDON)  # 01:30 does not exist on 30 March
    assert to_local(moved, LONDON).time() == dt.time(2, 30)


# --- one home ----------------------------------------------------------------------------

APP = Path(__file__).resolve().parents[2] / "workshops"
# Reading the tz database or a zone's offset, or turning an instant into
# local time; normalising to UTC (astimezone(dt.UTC)) is storage, not zones.
ZONE_WORK = re.compile(r"zoneinfo|available_timezones|utcoffset\(|astimezone\((?!dt\.UTC\))|ZoneInfo\(")


def test_no_module_but_core_zones_does_time_zone_work():
    found = [
        f"{path.relative_to(APP.parent)}:{n}: {line.strip()}"
        for path in sorted(APP.rglob("*.py")) if path != APP / "core" / "zones.py"
        for n, line in enumerate(path.read_text().splitlines(), start=1) if ZONE_WORK.search(line)
    ]
    assert found == []
