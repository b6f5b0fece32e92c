"""A workshop: create and change it (its agenda moves with its dates and
keeps its local times across a time-zone change), publish, unpublish or
cancel it, delete an empty one, and plan the series' next meeting from
it. Re-exported by operations.py."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from ..audit.operations import Invalid, Problems, expect_version
from ..auth.access import require_edit
from ..core.cleaning import column_limit, length_message
from ..core.partial_dates import check_precision
from ..core.zones import canonical_zone, is_zone, shift_wall_clock, to_local
from ..extensions import db
from ..vocab import DATE_PRECISIONS, FORMATS, VISIBILITIES, WORKSHOP_STATUSES
from .models import AgendaItem, Theme, Workshop, WorkshopInstitute
from .operations_common import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    _as_ids,
    _checked_slug,
    _choice,
    _country,
    _flush_or_invalid,
    _optional,
    _required,
    _work,
    as_date,
    clean_text,
)
from .operations_organisers import apply_organisers, organisers_from
from .queries import delete_blockers

MAX_WORKSHOP_DAYS = 31


# -------------------------------------------------------------- workshops


def create_workshop(actor, data: dict) -> Workshop:
    """A new workshop, as a draft. data: title, slug, network (the lead
    network's id; the series' network when omitted), networks (co-organising
    network ids), series (id, or none for a one-off meeting), institutes
    ([{institute_id, role}]), venue, city, country, timezone, start_date,
    end_date, format, visibility, chatham_house, objectives, rules, themes
    (ids): operations_organisers.py checks who organises it."""
    with _work(actor):
        workshop = Workshop(status="draft")
        found = Problems()
        organisers = found.check(organisers_from, data, None, actor)
        found.check(_workshop_values, data, None)
        found.raise_any()
        apply_organisers(workshop, organisers)
        _apply_workshop(workshop, data)
        db.session.add(workshop)
        _flush_or_invalid("slug", "This web address is already used; choose another.")
    return workshop


def update_workshop(actor, workshop: Workshop, data: dict, version: int | None) -> Workshop:
    """Change a workshop's details. When the start date moves and
    data["shift_agenda"] is true (the default) the agenda moves with it;
    when the time zone changes, agenda items keep their local times. Every
    agenda item must still fall within the workshop's dates."""
    require_edit(workshop, actor)
    with _work(actor):
        expect_version(workshop, version)
        found = Problems()
        organisers = found.check(organisers_from, data, workshop, actor)
        found.check(_workshop_values, data, workshop.id)
        found.raise_any()
        apply_organisers(workshop, organisers)
        old_zone, old_start = workshop.zone, workshop.start_date
        _apply_workshop(workshop, data)
        if not workshop.has_days and workshop.agenda_items:
            raise Invalid({"date_precision": f"This workshop has {len(workshop.agenda_items)} agenda item(s); "
                           "only a workshop whose dates are known to the day has an agenda. "
                           "Delete them first."})
        shift_days = (workshop.start_date - old_start).days if data.get("shift_agenda", True) else 0
        if shift_days or workshop.zone.key != old_zone.key:
            for item in workshop.agenda_items:
                item.starts_at = shift_wall_clock(item.starts_at, shift_days, old_zone, workshop.zone)
                item.ends_at = shift_wall_clock(item.ends_at, shift_days, old_zone, workshop.zone)
        days = set(workshop.days())
        outside = [i for i in workshop.agenda_items if to_local(i.starts_at, workshop.zone).date() not in days]
        if outside:
            first = to_local(outside[0].starts_at, workshop.zone)
            raise Invalid({"end_date" if shift_days else "start_date":
                           f"{len(outside)} agenda item(s) would fall outside these dates (first: "
                           f"“{outside[0].title}” on {first:%d %B %Y}). Move or delete them first."})
        _flush_or_invalid("slug", "This web address is already used; choose another.")
    return workshop


def workshop_problems(data: dict, workshop: Workshop | None = None, actor=None) -> dict[str, str]:
    """Every field of a workshop's data the rules refuse, without saving
    anything: the form shows them together with its own checks' messages,
    so that all errors appear in one round."""
    found = Problems()
    found.check(organisers_from, data, workshop, actor)
    found.check(_workshop_values, data, workshop.id if workshop is not None else None)
    return found.errors


def _workshop_values(data: dict, exclude_id: int | None) -> dict:
    """A workshop's fields from `data`, checked; Invalid names every field
    refused (not only the first)."""
    found = Problems()
    title = found.check(_required, data, "title", "Enter the workshop's title.",
                        max_length=column_limit(Workshop.title))
    start = found.check(as_date, data.get("start_date"), "start_date")
    end = found.check(as_date, data.get("end_date") or start, "end_date") \
        if data.get("end_date") or start else None
    precision = found.check(_choice, data, "date_precision", DATE_PRECISIONS, "day")
    if start and precision and precision != "day":
        # A month or a year: the first possible day, and no last day of its own (models.Workshop).
        found.check(check_precision, start, precision, "start_date")
        if data.get("end_date") and end != start:
            found.add("end_date", f"A workshop known only to the {precision} has no last day; leave it empty.")
        end = start
    if start and end and end < start:
        found.add("end_date", "The last day cannot be before the first day.")
    elif start and end and (end - start).days >= MAX_WORKSHOP_DAYS:
        found.add("end_date", f"A workshop lasts at most {MAX_WORKSHOP_DAYS} days.")
    zone = canonical_zone(clean_text(data.get("timezone")))  # Asia/Saigon is kept as Asia/Ho_Chi_Minh
    if not is_zone(zone):
        found.add("timezone", "Pick the time zone of the venue from the list, e.g. Asia/Singapore.")
    theme_ids = found.check(_as_ids, data.get("themes"), "themes") or []
    themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(theme_ids)))) if theme_ids else []
    if len(themes) != len(theme_ids):
        found.add("themes", "Pick themes from the list.")
    format_ = found.check(_choice, data, "format", FORMATS, "in_person")
    values = {
        "title": title, "start_date": start, "end_date": end, "timezone": zone,
        "date_precision": precision, "approximate": bool(data.get("approximate")),
        "themes": themes, "theme_ids": theme_ids, "format": format_,
        "country": found.check(meeting_country, data, format_),
        "slug": found.check(_checked_slug, Workshop, data.get("slug"), generate_from=title or "",
                            fallback="workshop", max_length=column_limit(Workshop.slug), exclude_id=exclude_id),
        "venue": found.check(_optional, data, "venue", max_length=column_limit(Workshop.venue)),
        "city": found.check(_optional, data, "city", max_length=column_limit(Workshop.city)),
        "visibility": found.check(_choice, data, "visibility", VISIBILITIES, "participants"),
        "objectives": found.check(_optional, data, "objectives", max_length=20000, multiline=True),
        "rules": found.check(_optional, data, "rules", max_length=20000, multiline=True),
    }
    found.raise_any()
    return values


def meeting_country(data: dict, format_: str | None) -> str | None:
    """The country of a meeting, agreeing with its format: one in person or
    hybrid has a country, one online has none (docs/domain.md, "Days and dates").
    The form, the API and the archive import all save through here."""
    if format_ != "online":
        if not clean_text(data.get("country")) and format_ is not None:
            raise Invalid({"country": "Pick a country. A meeting in person or hybrid takes place in one; "
                                      "only an online meeting has none."})
        return _country(data, "country", required=False)
    if clean_text(data.get("country")):
        raise Invalid({"country": "An online meeting has no country: leave Country empty, "
                                  "or choose In person or Hybrid as the format."})
    return None


def _apply_workshop(workshop: Workshop, data: dict) -> None:
    values = _workshop_values(data, workshop.id)
    theme_ids, themes = values["theme_ids"], values["themes"]
    workshop.format = values["format"]
    workshop.country = values["country"]
    workshop.slug = values["slug"]
    workshop.title = values["title"]
    workshop.start_date, workshop.end_date = values["start_date"], values["end_date"]
    workshop.date_precision, workshop.approximate = values["date_precision"], values["approximate"]
    workshop.timezone = values["timezone"]
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
    require_edit(workshop, actor)
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
    require_edit(workshop, actor)
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
    require_edit(source, actor)
    with _work(actor, note=f"Planned from “{source.title}”"[:300]):
        start = as_date(data.get("start_date"), "start_date")
        shift = (start - source.start_date).days
        title = clean_text(data.get("title")) or next_title(source.title, source.start_date.year, start.year)
        if len(title) > column_limit(Workshop.title):
            raise Invalid({"title": length_message(column_limit(Workshop.title))})
        end = source.end_date + dt.timedelta(days=shift)
        if end.year > LATEST_YEAR:
            raise Invalid({"start_date": f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}."})
        clone = Workshop(
            series=source.series, network=source.network, title=title, venue=source.venue, city=source.city,
            country=source.country, timezone=source.timezone, start_date=start, end_date=end,
            format=source.format, visibility=source.visibility, status="draft",
            chatham_house=source.chatham_house, objectives=source.objectives, rules=source.rules,
        )
        clone.slug = _checked_slug(Workshop, data.get("slug"), generate_from=title, fallback="workshop",
                                   max_length=column_limit(Workshop.slug))
        clone.themes = list(source.themes)
        clone.co_networks = list(source.co_networks)
        clone.institute_roles = [WorkshopInstitute(institute=r.institute, role=r.role) for r in source.institute_roles]
        db.session.add(clone)
        _flush_or_invalid("slug", "This web address is already used; choose another.")
        zone = source.zone
        for item in source.agenda_items:
            if item.status == "cancelled":
                continue
            starts = shift_wall_clock(item.starts_at, shift, zone, zone)
            ends = shift_wall_clock(item.ends_at, shift, zone, zone)
            if ends <= starts:  # a wall-clock time skipped by a clock change
                ends = starts + (item.ends_at - item.starts_at)
            clone.agenda_items.append(AgendaItem(
                workshop_id=clone.id, kind=item.kind, title=item.title, description=item.description, room=item.room,
                starts_at=starts, ends_at=ends,
            ))
    return clone

