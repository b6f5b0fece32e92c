"""Changing networks, member institutes, series, workshops and agendas.

Every public function here is one unit of work: it checks the actor's right
(403 through auth.access), the domain rules (`Invalid`, one message per
field), the version the change was based on (`Conflict`), then saves with
its audit entries. The HTML views and the JSON API call these same
functions with plain data:

* `data` is a dict keyed by the form's field names; strings are stripped
  here, dates may be `datetime.date` or ISO text ("2025-06-03"), times
  `datetime.time` or "HH:MM"; related objects are given by id.
* `version` is the record's version the user saw (None skips the check).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from flask import abort
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit.operations import Invalid, Problems, expect_version, unit_of_work
from ..auth.access import can_edit, require_edit
from ..core import cleaning
from ..core.countries import country_code
from ..extensions import db
from ..people.models import Participation
from ..vocab import (
    AGENDA_ITEM_STATUSES,
    AGENDA_KINDS,
    AGENDA_PERSON_ROLES,
    FORMATS,
    SERIES_KINDS,
    SERIES_STATUSES,
    VISIBILITIES,
    WORKSHOP_STATUSES,
)
from .models import (
    AgendaItem,
    AgendaItemPerson,
    MemberInstitute,
    Network,
    Series,
    SeriesStatusChange,
    Theme,
    Workshop,
)
from .queries import AgendaWarning, agenda_items_of, agenda_warnings, delete_blockers

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_WORKSHOP_DAYS = 31
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
# The person roles of an agenda item, as the form names its fields.
PEOPLE_FIELDS = {"chair": "chairs", "speaker": "speakers", "discussant": "discussants"}


# ---------------------------------------------------------------- helpers


@contextmanager
def _work(actor, note: str = "") -> Iterator[Session]:
    """The audited unit of work, without autoflush: half-built objects are
    never sent to the database by a query made while checking the rules."""
    with unit_of_work(actor, note=note) as session, session.no_autoflush:
        yield session


def require_admin() -> None:
    """403 unless the current user is an active admin (networks are theirs)."""
    if not (current_user.is_authenticated and current_user.is_admin and current_user.active):
        abort(403)


def clean_text(value, *, multiline: bool = False) -> str:
    """Text as stored: stripped, without control characters (PostgreSQL
    refuses NUL), and on one line unless the field is a paragraph
    (the one rule: core.cleaning.clean_text)."""
    return cleaning.clean_text(value, multiline=multiline)


def slugify(text: str, max_length: int = 100) -> str:
    """'NADI Annual Meeting 2025 — Jakarta' → 'nadi-annual-meeting-2025-jakarta'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def unique_slug(model, wanted: str, *, fallback: str, max_length: int, exclude_id: int | None = None) -> str:
    """`wanted` made unique among `model` slugs by appending -2, -3…"""
    base = slugify(wanted, max_length - 4) or fallback
    query = select(model.slug).where(model.slug.like(f"{base}%"))
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    taken = set(db.session.scalars(query))
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def _checked_slug(model, value, *, generate_from: str, fallback: str, max_length: int,
                  exclude_id: int | None = None) -> str:
    """The slug the user typed (validated, unique), or one made from a name."""
    slug = clean_text(value).lower()
    if not slug:
        return unique_slug(model, generate_from, fallback=fallback, max_length=max_length,
                           exclude_id=exclude_id)
    if len(slug) > max_length or not SLUG_PATTERN.match(slug):
        raise Invalid({"slug": "Use lower-case letters, digits and single hyphens only "
                               f"(at most {max_length} characters), e.g. nadi-2025-jakarta."})
    query = select(model.id).where(model.slug == slug)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise Invalid({"slug": "This web address is already used; choose another."})
    return slug


def as_date(value, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        result = value
    else:
        try:
            result = dt.date.fromisoformat(clean_text(value))
        except ValueError:
            raise Invalid({field: "Enter a date like 2025-06-03."}) from None
    if not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
        raise Invalid({field: f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}."})
    return result


def as_time(value, field: str) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    text = clean_text(value)
    if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", text):
        try:
            return dt.time.fromisoformat(text.zfill(5) if len(text) == 4 else text).replace(second=0)
        except ValueError:
            pass
    raise Invalid({field: "Enter a time like 09:30 (24-hour clock)."})


def _as_id(value, field: str, message: str) -> int | None:
    if value in (None, "", 0, "0"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Invalid({field: message}) from None


def _as_ids(values, field: str) -> list[int]:
    ids = []
    for value in values or ():
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            raise Invalid({field: "Pick from the list."}) from None
    return list(dict.fromkeys(ids))


def _required(data: dict, field: str, message: str, *, max_length: int) -> str:
    text = clean_text(data.get(field))
    if not text:
        raise Invalid({field: message})
    if len(text) > max_length:
        raise Invalid({field: f"At most {max_length} characters, please."})
    return text


def _optional(data: dict, field: str, *, max_length: int | None = None, multiline: bool = False) -> str:
    text = clean_text(data.get(field), multiline=multiline)
    if max_length is not None and len(text) > max_length:
        raise Invalid({field: f"At most {max_length} characters, please."})
    return text


def _choice(data: dict, field: str, allowed: tuple[str, ...], default: str | None = None) -> str:
    value = clean_text(data.get(field)) or default
    if value not in allowed:
        raise Invalid({field: "Pick one of the options."})
    return value


def _country(data: dict, field: str, *, required: bool) -> str | None:
    text = clean_text(data.get(field))
    if not text:
        if required:
            raise Invalid({field: "Pick a country."})
        return None
    code = country_code(text)  # the one resolver: "SG", "Lao PDR", "Viet Nam" alike
    if code is None:
        raise Invalid({field: "Pick a country from the list."})
    return code


def _website(data: dict, field: str = "website") -> str:
    url = _optional(data, field, max_length=300)
    if url and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", url, re.IGNORECASE):
        raise Invalid({field: "Enter a full web address starting with https://"})
    return url


def _flush_or_invalid(message_field: str, message: str) -> None:
    """Flush now so a uniqueness race surfaces as a message, not a 500."""
    try:
        db.session.flush()
    except IntegrityError:
        raise Invalid({message_field: message}) from None


def valid_timezone(name: str) -> bool:
    return name in _zones()


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    """Every IANA zone name (reading them walks the tz database: once)."""
    return frozenset(available_timezones() - {"localtime", "Factory"})


def local_to_utc(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime | None:
    """The UTC instant of a wall-clock time in a zone, or None when that time
    does not exist there (the hour skipped when clocks go forward). A time
    that happens twice (clocks go back) means its first occurrence."""
    local = dt.datetime.combine(day, time, zone)
    utc = local.astimezone(dt.UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return utc


def _shift_wall_clock(moment: dt.datetime, days: int, old_zone: ZoneInfo, new_zone: ZoneInfo) -> dt.datetime:
    """The same wall-clock time `days` later, read in `new_zone` (DST-safe:
    09:00 stays 09:00 even when the UTC offset differs)."""
    local = moment.astimezone(old_zone)
    moved = dt.datetime.combine(local.date() + dt.timedelta(days=days), local.time(), new_zone)
    return moved.astimezone(dt.UTC)


# --------------------------------------------------------------- networks


def create_network(actor, data: dict) -> Network:
    """A new Track-2 network (admins only). data: acronym, name, slug,
    description, website, founded_year."""
    require_admin()
    with _work(actor):
        network = Network()
        _apply_network(network, data)
        db.session.add(network)
        _flush_or_invalid("acronym", "A network with this acronym or web address already exists.")
    return network


def update_network(actor, network: Network, data: dict, version: int | None) -> Network:
    """Change a network's details (admins only)."""
    require_admin()
    with _work(actor):
        expect_version(network, version)
        _apply_network(network, data)
        _flush_or_invalid("acronym", "A network with this acronym or web address already exists.")
    return network


def _apply_network(network: Network, data: dict) -> None:
    acronym = _required(data, "acronym", "Enter the network's acronym, e.g. CSCAP.", max_length=30)
    name = _required(data, "name", "Enter the network's full name.", max_length=200)
    query = select(Network.id).where(func.lower(Network.acronym) == acronym.lower())
    if network.id:
        query = query.where(Network.id != network.id)
    if db.session.scalar(query) is not None:
        raise Invalid({"acronym": "Another network already has this acronym."})
    founded = data.get("founded_year")
    if founded in ("", None):
        founded = None
    else:
        try:
            founded = int(founded)
        except (TypeError, ValueError):
            raise Invalid({"founded_year": "Enter a year like 1993."}) from None
        if not EARLIEST_YEAR <= founded <= dt.date.today().year + 1:
            raise Invalid({"founded_year": "Enter a year like 1993."})
    network.slug = _checked_slug(Network, data.get("slug"), generate_from=acronym, fallback="network",
                                 max_length=60, exclude_id=network.id)
    network.acronym = acronym
    network.name = name
    network.description = _optional(data, "description", max_length=10000, multiline=True)
    network.website = _website(data)
    network.founded_year = founded


# ----------------------------------------------------- member institutes


def _networks_by_id(ids: list[int], field: str = "networks") -> list[Network]:
    networks = list(db.session.scalars(select(Network).where(Network.id.in_(ids)))) if ids else []
    if len(networks) != len(ids):
        raise Invalid({field: "Pick networks from the list."})
    return sorted(networks, key=lambda n: n.acronym)


def may_edit_institute(institute: MemberInstitute) -> bool:
    """Admins, and organisers of any network the institute belongs to."""
    if not current_user.is_authenticated:
        return False
    if current_user.is_admin and current_user.active:
        return True
    return any(can_edit(n.id) for n in institute.networks)


def create_institute(actor, data: dict) -> MemberInstitute:
    """A member institute. data: name, acronym, country, city, website,
    networks (ids; the actor must organise each of them)."""
    network_ids = _as_ids(data.get("networks"), "networks")
    if not network_ids:
        raise Invalid({"networks": "Pick at least one network the institute belongs to."})
    for network_id in network_ids:
        require_edit(network_id)
    with _work(actor):
        institute = MemberInstitute()
        _apply_institute(institute, data)
        institute.networks = _networks_by_id(network_ids)
        db.session.add(institute)
        _flush_or_invalid("name", "An institute with this name already exists.")
    return institute


def update_institute(actor, institute: MemberInstitute, data: dict, version: int | None) -> MemberInstitute:
    """Change an institute. Organisers may add or remove only the networks
    they organise; its other network memberships stay as they are."""
    if not may_edit_institute(institute):
        abort(403)
    with _work(actor):
        expect_version(institute, version)
        wanted = set(_as_ids(data.get("networks"), "networks"))
        current = {n.id for n in institute.networks}
        changed = wanted ^ current
        if any(not can_edit(network_id) for network_id in changed):
            raise Invalid({"networks": "You can only add or remove networks you organise."})
        if not wanted:
            raise Invalid({"networks": "Pick at least one network the institute belongs to."})
        _apply_institute(institute, data)
        if changed:
            institute.networks = _networks_by_id(sorted(wanted))
        _flush_or_invalid("name", "An institute with this name already exists.")
    return institute


def _apply_institute(institute: MemberInstitute, data: dict) -> None:
    name = _required(data, "name", "Enter the institute's name.", max_length=200)
    query = select(MemberInstitute.id).where(func.lower(MemberInstitute.name) == name.lower())
    if institute.id:
        query = query.where(MemberInstitute.id != institute.id)
    if db.session.scalar(query) is not None:
        raise Invalid({"name": "An institute with this name already exists."})
    institute.name = name
    institute.acronym = _optional(data, "acronym", max_length=40)
    institute.country = _country(data, "country", required=True)
    institute.city = _optional(data, "city", max_length=100)
    institute.website = _website(data)


# ----------------------------------------------------------------- series


def create_series(actor, data: dict) -> Series:
    """A new series. data: network (id), name, slug, kind, description,
    active_since (optional date: records the first lifecycle step)."""
    network_id = _as_id(data.get("network"), "network", "Pick a network.")
    if network_id is None:
        raise Invalid({"network": "Pick the network that runs this series."})
    require_edit(network_id)
    with _work(actor):
        network = db.session.get(Network, network_id)
        if network is None:
            raise Invalid({"network": "Pick a network from the list."})
        series = Series(network=network)
        _apply_series(series, data)
        if data.get("active_since") not in (None, ""):
            series.status_changes = [SeriesStatusChange(
                status="active", effective_on=as_date(data["active_since"], "active_since"),
                note="Series started.",
            )]
        db.session.add(series)
        _flush_or_invalid("slug", "This web address is already used; choose another.")
    return series


def update_series(actor, series: Series, data: dict, version: int | None) -> Series:
    """Change a series; moving it to another network needs the right in both."""
    require_edit(series)
    with _work(actor):
        expect_version(series, version)
        network_id = _as_id(data.get("network"), "network", "Pick a network.") or series.network_id
        if network_id != series.network_id:
            if not can_edit(network_id):
                raise Invalid({"network": "You can only move a series into a network you organise."})
            network = db.session.get(Network, network_id)
            if network is None:
                raise Invalid({"network": "Pick a network from the list."})
            series.network = network
        _apply_series(series, data)
        _flush_or_invalid("slug", "This web address is already used; choose another.")
    return series


def _apply_series(series: Series, data: dict) -> None:
    name = _required(data, "name", "Enter the series' name.", max_length=200)
    series.slug = _checked_slug(Series, data.get("slug"), generate_from=f"{series.network.acronym} {name}",
                                fallback="series", max_length=80, exclude_id=series.id)
    series.name = name
    series.kind = _choice(data, "kind", SERIES_KINDS, "workshop_series")
    series.description = _optional(data, "description", max_length=10000, multiline=True)


def add_series_status(actor, series: Series, data: dict) -> SeriesStatusChange:
    """One dated step of the series' life. data: status (active, dormant,
    revived), effective_on (date), note. A series is revived only after a
    dormant spell, and has at most one step per day."""
    require_edit(series)
    with _work(actor):
        status = _choice(data, "status", SERIES_STATUSES)
        effective_on = as_date(data.get("effective_on"), "effective_on")
        steps = list(series.status_changes)
        if any(s.effective_on == effective_on for s in steps):
            raise Invalid({"effective_on": "This series already has a step on that day; pick another date."})
        before = [s for s in steps if s.effective_on < effective_on]
        if status == "revived" and not any(s.status == "dormant" for s in before):
            raise Invalid({"status": "A series is revived after a dormant spell: record when it went "
                                     "dormant first (with an earlier date)."})
        step = SeriesStatusChange(series=series, status=status, effective_on=effective_on,
                                  note=_optional(data, "note", max_length=2000, multiline=True))
        db.session.add(step)
        _flush_or_invalid("effective_on", "This series already has a step on that day; pick another date.")
    return step


# -------------------------------------------------------------- workshops


def create_workshop(actor, data: dict) -> Workshop:
    """A new workshop, as a draft. data: title, slug, series (id), host (id
    or None), venue, city, country, timezone, start_date, end_date, format,
    visibility, chatham_house, objectives, rules, themes (ids)."""
    series = _series_for(data)
    require_edit(series)
    with _work(actor):
        workshop = Workshop(series=series, status="draft")
        _apply_workshop(workshop, data)
        db.session.add(workshop)
        _flush_or_invalid("slug", "This web address is already used; choose another.")
    return workshop


def update_workshop(actor, workshop: Workshop, data: dict, version: int | None) -> Workshop:
    """Change a workshop's details. When the start date moves and
    data["shift_agenda"] is true (the default) the agenda moves with it;
    when the time zone changes, agenda items keep their local times. Every
    agenda item must still fall within the workshop's dates."""
    require_edit(workshop)
    with _work(actor):
        expect_version(workshop, version)
        series = _series_for(data) if data.get("series") not in (None, "") else workshop.series
        if series.id != workshop.series_id:
            if not can_edit(series.network_id):
                raise Invalid({"series": "You can only move a workshop into a series of a network you organise."})
            workshop.series = series
        old_zone, old_start = workshop.zone, workshop.start_date
        _apply_workshop(workshop, data)
        shift_days = (workshop.start_date - old_start).days if data.get("shift_agenda", True) else 0
        if shift_days or workshop.zone.key != old_zone.key:
            for item in workshop.agenda_items:
                item.starts_at = _shift_wall_clock(item.starts_at, shift_days, old_zone, workshop.zone)
                item.ends_at = _shift_wall_clock(item.ends_at, shift_days, old_zone, workshop.zone)
        days = set(workshop.days())
        outside = [i for i in workshop.agenda_items if i.starts_at.astimezone(workshop.zone).date() not in days]
        if outside:
            first = outside[0].starts_at.astimezone(workshop.zone)
            raise Invalid({"end_date" if shift_days else "start_date":
                           f"{len(outside)} agenda item(s) would fall outside these dates (first: "
                           f"“{outside[0].title}” on {first:%d %B %Y}). Move or delete them first."})
        _flush_or_invalid("slug", "This web address is already used; choose another.")
    return workshop


def _series_for(data: dict) -> Series:
    series_id = _as_id(data.get("series"), "series", "Pick a series.")
    series = db.session.get(Series, series_id) if series_id else None
    if series is None:
        raise Invalid({"series": "Pick the series this meeting belongs to."})
    return series


def workshop_problems(data: dict, workshop: Workshop | None = None) -> dict[str, str]:
    """Every field of a workshop's data the rules refuse, without saving
    anything: the form shows them together with its own checks' messages,
    so that all errors appear in one round."""
    found = Problems()
    if workshop is None or data.get("series") not in (None, ""):
        found.check(_series_for, data)
    found.check(_workshop_values, data, workshop.id if workshop is not None else None)
    return found.errors


def _workshop_values(data: dict, exclude_id: int | None) -> dict:
    """A workshop's fields from `data`, checked; Invalid names every field
    refused (not only the first)."""
    found = Problems()
    title = found.check(_required, data, "title", "Enter the workshop's title.", max_length=300)
    start = found.check(as_date, data.get("start_date"), "start_date")
    end = found.check(as_date, data.get("end_date") or start, "end_date") \
        if data.get("end_date") or start else None
    if start and end and end < start:
        found.add("end_date", "The last day cannot be before the first day.")
    elif start and end and (end - start).days >= MAX_WORKSHOP_DAYS:
        found.add("end_date", f"A workshop lasts at most {MAX_WORKSHOP_DAYS} days.")
    zone = clean_text(data.get("timezone"))
    if not valid_timezone(zone):
        found.add("timezone", "Pick the time zone of the venue from the list, e.g. Asia/Singapore.")
    host_id = found.check(_as_id, data.get("host"), "host", "Pick a host institute from the list.")
    host = db.session.get(MemberInstitute, host_id) if host_id else None
    if host_id and host is None:
        found.add("host", "Pick a host institute from the list.")
    theme_ids = found.check(_as_ids, data.get("themes"), "themes") or []
    themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(theme_ids)))) if theme_ids else []
    if len(themes) != len(theme_ids):
        found.add("themes", "Pick themes from the list.")
    format_ = found.check(_choice, data, "format", FORMATS, "in_person")
    values = {
        "title": title, "start_date": start, "end_date": end, "timezone": zone, "host": host,
        "themes": themes, "theme_ids": theme_ids, "format": format_,
        "country": found.check(_country, data, "country", required=format_ != "online"),
        "slug": found.check(_checked_slug, Workshop, data.get("slug"), generate_from=title or "",
                            fallback="workshop", max_length=120, exclude_id=exclude_id),
        "venue": found.check(_optional, data, "venue", max_length=200),
        "city": found.check(_optional, data, "city", max_length=100),
        "visibility": found.check(_choice, data, "visibility", VISIBILITIES, "participants"),
        "objectives": found.check(_optional, data, "objectives", max_length=20000, multiline=True),
        "rules": found.check(_optional, data, "rules", max_length=20000, multiline=True),
    }
    found.raise_any()
    return values


def _apply_workshop(workshop: Workshop, data: dict) -> None:
    values = _workshop_values(data, workshop.id)
    theme_ids, themes = values["theme_ids"], values["themes"]
    workshop.format = values["format"]
    workshop.country = values["country"]
    workshop.slug = values["slug"]
    workshop.title = values["title"]
    workshop.start_date, workshop.end_date = values["start_date"], values["end_date"]
    workshop.timezone = values["timezone"]
    workshop.host = values["host"]
    workshop.venue = values["venue"]
    workshop.city = values["city"]
    workshop.visibility = values["visibility"]
    workshop.chatham_house = bool(data.get("chatham_house"))
    workshop.objectives = values["objectives"]
    workshop.rules = values["rules"]
    if {t.id for t in workshop.themes} != set(theme_ids):
        workshop.themes = sorted(themes, key=lambda t: t.name)


def set_workshop_status(actor, workshop: Workshop, status: str, version: int | None) -> Workshop:
    """Publish (published), unpublish or reinstate (draft), or cancel
    (cancelled: the workshop is kept, with everything linked to it)."""
    require_edit(workshop)
    if status not in WORKSHOP_STATUSES:
        raise Invalid({"status": "Pick one of the options."})
    with _work(actor):
        expect_version(workshop, version)
        if status == "published" and workshop.status == "cancelled":
            raise Invalid({"status": "A cancelled workshop is reinstated as a draft before it is published."})
        workshop.status = status
    return workshop


def delete_workshop(actor, workshop: Workshop) -> None:
    """Delete a workshop that holds nothing: no agenda items, participants
    or recommendations (otherwise cancel it: it is kept, marked cancelled)."""
    require_edit(workshop)
    with _work(actor):
        blockers = delete_blockers(workshop)
        if any(blockers.values()):
            held = ", ".join(f"{n} {what}" for what, n in blockers.items() if n)
            raise Invalid({"workshop": f"This workshop holds {held}; it can be cancelled but not deleted."})
        db.session.delete(workshop)


def a_year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def next_title(title: str, old_year: int, new_year: int) -> str:
    """'NADI Annual Meeting 2025' → 'NADI Annual Meeting 2026'."""
    return re.sub(rf"\b{old_year}\b", str(new_year), title) if old_year != new_year else title


def plan_next_meeting(actor, source: Workshop, data: dict) -> Workshop:
    """A draft of the series' next meeting from `source`: the same details,
    themes and agenda skeleton (items, kinds, rooms, local times; not the
    cancelled items, no people), every date moved to data["start_date"].
    data: start_date, title (optional), slug (optional)."""
    require_edit(source)
    with _work(actor, note=f"Planned from “{source.title}”"[:300]):
        start = as_date(data.get("start_date"), "start_date")
        shift = (start - source.start_date).days
        title = clean_text(data.get("title")) or next_title(source.title, source.start_date.year, start.year)
        if len(title) > 300:
            raise Invalid({"title": "At most 300 characters, please."})
        end = source.end_date + dt.timedelta(days=shift)
        if end.year > LATEST_YEAR:
            raise Invalid({"start_date": f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}."})
        clone = Workshop(
            series=source.series, title=title, host=source.host, venue=source.venue, city=source.city,
            country=source.country, timezone=source.timezone, start_date=start, end_date=end,
            format=source.format, visibility=source.visibility, status="draft",
            chatham_house=source.chatham_house, objectives=source.objectives, rules=source.rules,
        )
        clone.slug = _checked_slug(Workshop, data.get("slug"), generate_from=title, fallback="workshop",
                                   max_length=120)
        clone.themes = list(source.themes)
        db.session.add(clone)
        _flush_or_invalid("slug", "This web address is already used; choose another.")
        zone = source.zone
        for item in source.agenda_items:
            if item.status == "cancelled":
                continue
            starts = _shift_wall_clock(item.starts_at, shift, zone, zone)
            ends = _shift_wall_clock(item.ends_at, shift, zone, zone)
            if ends <= starts:  # a wall-clock time skipped by a clock change
                ends = starts + (item.ends_at - item.starts_at)
            clone.agenda_items.append(AgendaItem(
                workshop_id=clone.id, kind=item.kind, title=item.title, description=item.description, room=item.room,
                starts_at=starts, ends_at=ends,
            ))
    return clone


# ----------------------------------------------------------------- agenda


def add_agenda_item(actor, workshop: Workshop, data: dict) -> tuple[AgendaItem, list[AgendaWarning]]:
    """A new agenda item. data: day (one of the workshop's days), start and
    end (local "HH:MM"), kind, title, room, description, status, and the
    participation ids of its chairs, speakers and discussants. Returns the
    item and the warnings it raised (same room or same person at once)."""
    require_edit(workshop)
    with _work(actor):
        # The workshop id is set by hand so that the audit entry of the
        # creation records it (the agenda's history finds deleted items by it).
        item = AgendaItem(workshop=workshop, workshop_id=workshop.id)
        _apply_agenda_item(item, workshop, data)
        db.session.add(item)
        db.session.flush()
    return item, warnings_for(item)


def update_agenda_item(actor, item: AgendaItem, data: dict, version: int | None) -> tuple[AgendaItem, list[AgendaWarning]]:
    """Change an agenda item (the same data as add_agenda_item); setting
    status to "cancelled" keeps it on the agenda, marked cancelled."""
    require_edit(item)
    with _work(actor):
        expect_version(item, version)
        _apply_agenda_item(item, item.workshop, data)
    return item, warnings_for(item)


def move_agenda_item(actor, item: AgendaItem, data: dict, version: int | None) -> tuple[AgendaItem, list[AgendaWarning]]:
    """Move an item to another day and start time, keeping its length.
    data: day, start."""
    require_edit(item)
    with _work(actor):
        expect_version(item, version)
        workshop = item.workshop
        length = item.ends_at - item.starts_at
        day = _agenda_day(workshop, data.get("day"))
        start = as_time(data.get("start"), "start")
        starts = local_to_utc(day, start, workshop.zone)
        if starts is None:
            raise Invalid({"start": "This time does not exist on that day: the clocks go forward."})
        ends = starts + length
        if ends.astimezone(workshop.zone).date() != day:
            raise Invalid({"start": "The item would run past midnight; pick an earlier start."})
        item.starts_at, item.ends_at = starts, ends
    return item, warnings_for(item)


def set_agenda_item_status(actor, item: AgendaItem, status: str, version: int | None) -> tuple[AgendaItem, list[AgendaWarning]]:
    """Mark an item cancelled (it stays on the agenda, struck through) or
    scheduled again."""
    require_edit(item)
    if status not in AGENDA_ITEM_STATUSES:
        raise Invalid({"status": "Pick one of the options."})
    with _work(actor):
        expect_version(item, version)
        item.status = status
    return item, warnings_for(item)


def delete_agenda_item(actor, item: AgendaItem, version: int | None = None) -> None:
    """Remove an item from the agenda (recommendations tied to it keep
    their text and lose the link)."""
    require_edit(item)
    with _work(actor):
        expect_version(item, version)
        db.session.delete(item)


def _agenda_day(workshop: Workshop, value) -> dt.date:
    if value in (None, ""):
        raise Invalid({"day": "Pick the day of the item."})
    day = as_date(value, "day")
    if not workshop.start_date <= day <= workshop.end_date:
        raise Invalid({"day": f"Pick a day of the workshop ({workshop.start_date:%d %B} to "
                              f"{workshop.end_date:%d %B %Y})."})
    return day


def _apply_agenda_item(item: AgendaItem, workshop: Workshop, data: dict) -> None:
    errors: dict[str, str] = {}

    def check(fn):
        try:
            return fn()
        except Invalid as exc:
            errors.update(exc.errors)
            return None

    title = check(lambda: _required(data, "title", "Enter a title, e.g. Opening session or Coffee break.",
                                             max_length=300))
    kind = check(lambda: _choice(data, "kind", AGENDA_KINDS, "session"))
    status = check(lambda: _choice(data, "status", AGENDA_ITEM_STATUSES, "scheduled"))
    room = check(lambda: _optional(data, "room", max_length=100))
    description = check(lambda: _optional(data, "description", max_length=20000, multiline=True))
    day = check(lambda: _agenda_day(workshop, data.get("day")))
    start = check(lambda: as_time(data.get("start"), "start"))
    end = check(lambda: as_time(data.get("end"), "end"))
    starts = ends = None
    if day and start is not None:
        starts = local_to_utc(day, start, workshop.zone)
        if starts is None:
            errors["start"] = "This time does not exist on that day: the clocks go forward."
    if day and end is not None:
        ends = local_to_utc(day, end, workshop.zone)
        if ends is None:
            errors["end"] = "This time does not exist on that day: the clocks go forward."
    if start is not None and end is not None and end <= start:
        errors["end"] = "The end must be after the start (an item ends on the day it starts)."
    people = check(lambda: _agenda_people(workshop, data))
    if errors:
        raise Invalid(errors)
    item.title, item.kind, item.status, item.room, item.description = title, kind, status, room, description
    item.starts_at, item.ends_at = starts, ends
    _set_agenda_people(item, people)


def _agenda_people(workshop: Workshop, data: dict) -> list[tuple[Participation, str]]:
    wanted = {role: _as_ids(data.get(field), field) for role, field in PEOPLE_FIELDS.items()}
    ids = {i for values in wanted.values() for i in values}
    found = {}
    if ids:
        found = {p.id: p for p in db.session.scalars(
            select(Participation).where(Participation.id.in_(ids), Participation.workshop_id == workshop.id))}
    for role, values in wanted.items():
        if any(v not in found for v in values):
            raise Invalid({PEOPLE_FIELDS[role]: "Pick people from this workshop's participants."})
    return [(found[v], role) for role in AGENDA_PERSON_ROLES for v in wanted[role]]


def _set_agenda_people(item: AgendaItem, people: list[tuple[Participation, str]]) -> None:
    """Keep the rows that stay (their audit trail stays quiet), add and drop the rest."""
    existing = {(p.participation_id, p.role): p for p in item.people}
    rows = []
    for position, (participation, role) in enumerate(people):
        row = existing.pop((participation.id, role), None)
        if row is None:
            row = AgendaItemPerson(participation=participation, participation_id=participation.id, role=role)
        row.position = position
        rows.append(row)
    if rows != list(item.people):
        item.people = rows


def warnings_for(item: AgendaItem) -> list[AgendaWarning]:
    """The agenda's warnings that involve this item."""
    if item.status == "cancelled":
        return []
    return [w for w in agenda_warnings(agenda_items_of(item.workshop)) if item.id in w.item_ids]
