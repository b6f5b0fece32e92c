"""ISO 3166-1 countries, from pycountry."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

# Common names people use, instead of the long official ones.
SHORT_NAMES = {
    "KR": "South Korea", "KP": "North Korea", "VN": "Vietnam", "LA": "Laos", "RU": "Russia",
    "TW": "Taiwan", "BN": "Brunei", "IR": "Iran", "SY": "Syria", "BO": "Bolivia",
    "VE": "Venezuela", "TZ": "Tanzania", "MD": "Moldova", "US": "United States",
    "GB": "United Kingdom",
}


# Other names for a country, as ASEAN, ARF and ADMM documents and
# organisers' spreadsheets write them, beside the ISO names pycountry knows
# (written as typed; matched whatever their case, accents and punctuation).
ALIASES = {
    "LA": ("Lao PDR", "Lao P.D.R.", "Lao", "Laos PDR"),
    "VN": ("Viet Nam", "Vietnam", "SRV", "Socialist Republic of Viet Nam"),
    "BN": ("Brunei", "Brunei Darussalam", "Negara Brunei Darussalam"),
    "MM": ("Burma", "Republic of the Union of Myanmar"),
    "TL": ("East Timor", "Timor Leste", "Timor Lorosae", "Democratic Republic of Timor-Leste"),
    "KR": ("ROK", "Republic of Korea", "South Korea", "Korea, Republic of", "Korea (South)", "Korea South"),
    "KP": ("DPRK", "North Korea", "Democratic People's Republic of Korea", "Korea, DPR", "Korea (North)",
           "Korea North"),
    "CN": ("PRC", "People's Republic of China", "Mainland China"),
    "RU": ("Russia", "Russian Federation"),
    "US": ("USA", "U.S.", "U.S.A.", "United States", "United States of America", "America"),
    "GB": ("UK", "U.K.", "United Kingdom", "Great Britain", "Britain"),
    "PH": ("Philippines", "Republic of the Philippines"),
    "TR": ("Turkey", "Türkiye"),
    "CZ": ("Czech Republic", "Czechia"),
    "NL": ("Holland", "The Netherlands"),
    "AE": ("UAE", "United Arab Emirates"),
    "TW": ("Chinese Taipei", "Taiwan"),
    "MO": ("Macau", "Macao", "Macao SAR"),
    "HK": ("Hong Kong SAR", "Hong Kong, China"),
    "PG": ("PNG",),
    "NZ": ("Aotearoa New Zealand",),
    "IR": ("Iran", "Islamic Republic of Iran"),
    "SZ": ("Swaziland",),
    "MK": ("Macedonia", "North Macedonia"),
    "CV": ("Cape Verde",),
    "FM": ("Micronesia",),
    "VA": ("Vatican", "Holy See"),
    "PS": ("Palestine",),
}


def name_key(text: str) -> str:
    """A country name as compared: letters and digits only, without accents,
    case or a leading "the" ("The Lao P.D.R.", "lao pdr" and "LaoPDR" agree)."""
    text = unicodedata.normalize("NFKD", text)
    words = "".join(c for c in text if not unicodedata.combining(c)).lower().split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return re.sub(r"[^a-z0-9]+", "", "".join(words))


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
    names = {name_key(name): code for code, name in all_countries()}
    for code, aliases in ALIASES.items():
        for alias in aliases:
            names.setdefault(name_key(alias), code)
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "official_name", c.name), getattr(c, "common_name", c.name)):
            names.setdefault(name_key(name), c.alpha_2)
        names.setdefault(c.alpha_3.lower(), c.alpha_2)
    return names


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _by_code().get(code.upper(), code)


def country_code(text: str | None) -> str | None:
    """An alpha-2 code from a code or a name ("SG", "sgp", "Singapore",
    "Lao PDR", "ROK", "Viet Nam"), or None. The one country resolver of the
    import, the forms and the API."""
    if not text:
        return None
    value = str(text).strip()
    if len(value) == 2 and value.upper() in _by_code():
        return value.upper()
    return _by_name().get(name_key(value))
