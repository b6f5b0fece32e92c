"""ISO 3166-1 countries, from pycountry."""

from __future__ import annotations

from functools import lru_cache

import pycountry

# Common names people use, instead of the long official ones.
SHORT_NAMES = {
    "KR": "South Korea", "KP": "North Korea", "VN": "Vietnam", "LA": "Laos", "RU": "Russia",
    "TW": "Taiwan", "BN": "Brunei", "IR": "Iran", "SY": "Syria", "BO": "Bolivia",
    "VE": "Venezuela", "TZ": "Tanzania", "MD": "Moldova", "US": "United States",
    "GB": "United Kingdom",
}


@lru_cache(maxsize=1)
def all_countries() -> list[tuple[str, str]]:
    """(alpha-2 code, name) pairs, sorted by name."""
    pairs = [(c.alpha_2, SHORT_NAMES.get(c.alpha_2, getattr(c, "common_name", c.name)))
             for c in pycountry.countries]
    return sorted(pairs, key=lambda p: p[1])


@lru_cache(maxsize=1)
def _by_code() -> dict[str, str]:
    return dict(all_countries())


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    names = {name.lower(): code for code, name in all_countries()}
    for c in pycountry.countries:
        names.setdefault(c.name.lower(), c.alpha_2)
        names.setdefault(getattr(c, "official_name", c.name).lower(), c.alpha_2)
        names.setdefault(c.alpha_3.lower(), c.alpha_3 and c.alpha_2)
    return names


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _by_code().get(code.upper(), code)


def country_code(text: str | None) -> str | None:
    """An alpha-2 code from a code or a name ("SG", "sgp", "Singapore"), or None."""
    if not text:
        return None
    value = text.strip()
    if len(value) == 2 and value.upper() in _by_code():
        return value.upper()
    return _by_name().get(value.lower())
