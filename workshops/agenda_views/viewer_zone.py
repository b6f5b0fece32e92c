"""The zone an agenda is read in: asked for in ?tz=, remembered in a cookie,
else the workshop's own. The zone rules themselves (which names are zones,
their groups, offsets, local time) are workshops/core/zones.py's."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import Response, current_app, request
from markupsafe import Markup, escape

from ..core import zones

ZONE_COOKIE = "agenda_tz"
ZONE_COOKIE_DAYS = 365


@dataclass
class ZoneChoice:
    zone: zones.ZoneInfo
    name: str
    chosen: str  # what the chooser shows selected ("" = the workshop's zone)
    problem: str | None = None
    cookie: str | None = None  # set the cookie to this zone
    forget: bool = False  # delete the cookie


def viewer_zone(home_zone: str) -> ZoneChoice:
    """The zone asked for in ?tz= (then remembered in a cookie), else the
    remembered one, else the workshop's. An unknown name gets a message and
    the workshop's zone; nothing is remembered."""
    home = ZoneChoice(zone=zones.zone_of(home_zone), name=home_zone, chosen="")
    if "tz" in request.args:
        asked = request.args.get("tz", "").strip()
        if asked == "":
            home.forget = True
            return home
        zone = zones.zone_or_none(asked)
        if zone is None:
            home.problem = (
                f"“{asked[:64]}” is not a time zone we know. Times are shown in the workshop's own zone, "
                f"{home_zone}; choose a zone from the list."
            )
            return home
        return ZoneChoice(zone=zone, name=asked, chosen=asked, cookie=asked)
    remembered = request.cookies.get(ZONE_COOKIE, "")
    zone = zones.zone_or_none(remembered)
    if zone is None:
        home.forget = bool(remembered)
        return home
    return ZoneChoice(zone=zone, name=remembered, chosen=remembered)


@lru_cache(maxsize=128)
def zone_options(chosen: str) -> Markup:
    """The zone chooser's groups of options (some 430), made once per
    selected zone: building them in the template took longer than the
    rest of the agenda."""
    parts = []
    for area, names in zones.zone_groups():
        options = "".join(
            f"<option selected>{escape(n)}</option>" if n == chosen else f"<option>{escape(n)}</option>"
            for n in names
        )
        parts.append(f'<optgroup label="{escape(area)}">{options}</optgroup>')
    return Markup("".join(parts))  # noqa: S704  (every name above is escaped)


def apply_zone_cookie(response: Response, choice: ZoneChoice) -> None:
    """Remember the zone asked for, or forget one that is no longer wanted."""
    if choice.cookie:
        response.set_cookie(ZONE_COOKIE, choice.cookie, max_age=ZONE_COOKIE_DAYS * 86400, path="/agenda",
                            samesite="Lax", httponly=True, secure=current_app.config.get("HTTPS", False))
    elif choice.forget:
        response.delete_cookie(ZONE_COOKIE, path="/agenda")
