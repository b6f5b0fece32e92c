"""Time zones, one rule each, for every page, export, API answer and operation.

Times are stored in UTC beside the workshop's IANA zone and shown in that
zone, or in the reader's zone when the reader chooses one (docs/domain.md,
"Rules"). Everything the app does with a zone goes through here:

- `known_zones` / `is_zone` / `zone_or_none`: the valid IANA names;
- `current_zones` / `canonical_zone`: the names in use today (the tz
  database's zone.tab and zone1970.tab, and UTC) and the one an older alias
  (Asia/Saigon, Asia/Calcutta, US/Pacific) stands for;
- `zone_of`: the ZoneInfo of a stored name;
- `zone_groups`: the current names for select menus, the region's first;
- `offset_label`: "UTC+07:00" (optionally "BST, UTC+01:00");
- `to_utc` / `to_local`: a local wall-clock time to its UTC instant (None
  for a time the clocks skip) and a UTC instant to local time;
- `shift_wall_clock`: the same wall-clock time some days later, or in
  another zone (a workshop moved or given another zone keeps 09:00 at 09:00).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, available_timezones

__all__ = [
    "OTHER_ZONES",
    "REGION_NAME",
    "ZoneInfo",
    "canonical_zone",
    "current_zones",
    "in_region",
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

# Longer than any IANA name; anything longer is not looked up at all.
MAX_NAME_LENGTH = 64
# The region whose zones menus offer first: the countries of ASEAN, East and
# South Asia and Oceania (ISO codes as zone.tab writes them), and every
# Pacific/ zone.
REGION_NAME = "Asia and the Pacific"
OTHER_ZONES = "All other zones"
REGION_COUNTRIES = frozenset(
    "BN KH ID LA MY MM PH SG TH VN TL "  # ASEAN and Timor-Leste
    "CN HK MO TW JP KR KP MN "  # East Asia
    "IN BD PK LK NP BT MV "  # South Asia
    "AU NZ PG FJ SB VU NC WS TO KI TV NR FM MH PW CK NU PF GU MP AS TK WF NF PN CX CC".split()  # Oceania
)


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """Every IANA zone name (reading them walks the tz database: once).
    "localtime" would be the server's zone, "Factory" is no place at all."""
    return frozenset(available_timezones() - {"localtime", "Factory"})


def is_zone(name: str | None) -> bool:
    """A name we accept as a time zone (canonical names, UTC and legacy
    aliases such as US/Pacific)."""
    return bool(name) and len(name) <= MAX_NAME_LENGTH and name in known_zones()


def _tz_file(name: str) -> str:
    """A text file of the tz database (zone.tab, zone1970.tab, tzdata.zi):
    the pinned tzdata package's, else the system's; "" when neither has it."""
    try:
        return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        for folder in TZPATH:
            path = Path(folder) / name
            if path.is_file():
                return path.read_text(encoding="utf-8")
    return ""


@lru_cache(maxsize=1)
def _tab_zones() -> dict[str, frozenset[str]]:
    """The zones of zone.tab and zone1970.tab, each with its country codes."""
    found: dict[str, set[str]] = {}
    for tab in ("zone.tab", "zone1970.tab"):
        for line in _tz_file(tab).splitlines():
            fields = line.split("\t")
            if line.startswith("#") or len(fields) < 3:
                continue
            found.setdefault(fields[2], set()).update(fields[0].split(","))
    return {name: frozenset(codes) for name, codes in found.items()}


@lru_cache(maxsize=1)
def current_zones() -> frozenset[str]:
    """The zones in use today: every place of zone.tab and zone1970.tab
    (Asia/Ho_Chi_Minh, Asia/Kolkata, also Asia/Kuala_Lumpur) and UTC. Other
    valid names are aliases kept for old data (Asia/Saigon, US/Pacific) or
    fixed offsets (Etc/GMT+7): accepted, never offered."""
    return frozenset({*_tab_zones(), "UTC"} & known_zones())


@lru_cache(maxsize=1)
def _links() -> dict[str, str]:
    """alias -> zone, from the "L zone alias" lines of tzdata.zi."""
    links = {}
    for line in _tz_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _l, target, alias = line.split()[:3]
            links[alias] = target
    return links


def canonical_zone(name: str | None) -> str | None:
    """The current name of a zone: an alias becomes the zone it stands for
    (Asia/Saigon -> Asia/Ho_Chi_Minh, Etc/UTC or GMT -> UTC); a current name, a
    fixed offset (Etc/GMT+7) and anything that is no zone come back as they
    are (is_zone says which)."""
    if not is_zone(name) or name in current_zones():
        return name
    seen = name
    for _step in range(4):  # a link points at a zone; older data had chains
        seen = _links().get(seen, seen)
        if seen in current_zones():
            return seen
        if seen in ("Etc/UTC", "Etc/GMT"):  # GMT, Zulu, Universal…
            return "UTC"
    return name


def zone_or_none(name: str | None) -> ZoneInfo | None:
    """The zone of a name typed or sent by someone, None when it is no zone."""
    return ZoneInfo(name) if is_zone(name) else None


def zone_of(name: str) -> ZoneInfo:
    """The zone of a stored name (a workshop's `timezone`, checked when saved)."""
    return ZoneInfo(name)


def in_region(name: str) -> bool:
    """A current zone of the region (REGION_COUNTRIES, or Pacific/…)."""
    return name.startswith("Pacific/") or bool(_tab_zones().get(name, frozenset()) & REGION_COUNTRIES)


@lru_cache(maxsize=1)
def zone_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The zones offered in select menus: (REGION_NAME, the region's current
    zones) then (OTHER_ZONES, UTC and every other current zone), each in
    alphabetical order. Aliases (Asia/Saigon, US/Pacific) and fixed offsets
    (Etc/GMT+7) are valid but not offered."""
    offered = sorted(name for name in current_zones() if name != "UTC")
    region = tuple(name for name in offered if in_region(name))
    others = ("UTC", *(name for name in offered if not in_region(name)))
    return ((REGION_NAME, region), (OTHER_ZONES, others))


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
