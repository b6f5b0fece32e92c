"""Time zones, one rule each, for every page, export, API answer and operation.

Times are stored in UTC beside the workshop's IANA zone and shown in that
zone, or in the reader's zone when the reader chooses one (docs/domain.md,
"Rules"). Everything the app does with a zone goes through here:

- `known_zones` / `is_zone` / `zone_or_none`: the valid IANA names;
- `zone_of`: the ZoneInfo of a stored name;
- `zone_groups`: the names grouped by area for select menus, UTC first;
- `offset_label`: "UTC+07:00" (optionally "BST, UTC+01:00");
- `to_utc` / `to_local`: a local wall-clock time to its UTC instant (None
  for a time the clocks skip) and a UTC instant to local time;
- `shift_wall_clock`: the same wall-clock time some days later, or in
  another zone (a workshop moved or given another zone keeps 09:00 at 09:00).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

__all__ = [
    "ZONE_AREAS",
    "ZoneInfo",
    "is_zone",
    "known_zones",
    "offset_label",
    "shift_wall_clock",
    "to_local",
    "to_utc",
    "zone_groups",
    "zone_of",
    "zone_or_none",
]

# The areas offered in select menus, in the order they are shown.
ZONE_AREAS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")
# Longer than any IANA name; anything longer is not looked up at all.
MAX_NAME_LENGTH = 64


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """Every IANA zone name (reading them walks the tz database: once).
    "localtime" would be the server's zone, "Factory" is no place at all."""
    return frozenset(available_timezones() - {"localtime", "Factory"})


def is_zone(name: str | None) -> bool:
    """A name we accept as a time zone (canonical names, UTC and legacy
    aliases such as US/Pacific)."""
    return bool(name) and len(name) <= MAX_NAME_LENGTH and name in known_zones()


def zone_or_none(name: str | None) -> ZoneInfo | None:
    """The zone of a name typed or sent by someone, None when it is no zone."""
    return ZoneInfo(name) if is_zone(name) else None


def zone_of(name: str) -> ZoneInfo:
    """The zone of a stored name (a workshop's `timezone`, checked when saved)."""
    return ZoneInfo(name)


@lru_cache(maxsize=1)
def zone_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The zones offered in select menus, grouped by area: ("Universal",
    ("UTC",)) first, then each of ZONE_AREAS with its canonical Area/Place
    names in alphabetical order. Legacy aliases (US/Pacific, Etc/GMT+7) are
    valid but not offered."""
    groups: dict[str, list[str]] = {}
    for name in known_zones():
        area = name.split("/", 1)[0]
        if area in ZONE_AREAS and "/" in name:
            groups.setdefault(area, []).append(name)
    ordered = [(area, tuple(sorted(groups[area]))) for area in ZONE_AREAS if area in groups]
    return (("Universal", ("UTC",)), *ordered)


def offset_label(moment: dt.datetime, *, named: bool = False) -> str:
    """The UTC offset of an aware moment: "UTC+07:00", "UTC-03:30",
    "UTC+00:00". With named=True the zone's abbreviation comes first when it
    has a real one ("BST, UTC+01:00"; not "+07, UTC+07:00")."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    text = f"UTC{sign}{hours:02d}:{mins:02d}"
    if named:
        abbreviation = moment.tzname() or ""
        if abbreviation and abbreviation[0] not in "+-":
            return f"{abbreviation}, {text}"
    return text


def to_utc(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime | None:
    """The UTC instant of a wall-clock time in a zone, or None when that time
    does not exist there (the hour skipped when clocks go forward). A time
    that happens twice (clocks go back) means its first occurrence."""
    local = dt.datetime.combine(day, time, zone)
    utc = local.astimezone(dt.UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return utc


def to_local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A stored (UTC) instant as the wall-clock time of a zone."""
    return moment.astimezone(zone)


def shift_wall_clock(moment: dt.datetime, days: int, old_zone: ZoneInfo, new_zone: ZoneInfo) -> dt.datetime:
    """The same wall-clock time `days` later, read in `new_zone`, as UTC
    (DST-safe: 09:00 stays 09:00 even when the UTC offset differs). A time
    the clocks skip in `new_zone` lands an hour later, as zoneinfo reads it."""
    local = to_local(moment, old_zone)
    moved = dt.datetime.combine(local.date() + dt.timedelta(days=days), local.time(), new_zone)
    return moved.astimezone(dt.UTC)
