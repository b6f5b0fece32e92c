"""The API's registry models: what creates and changes themes, networks,
member institutes, series and Track-1 bodies (the fields of their web
forms), and the member institute and theme as read one by one."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from .. import vocab
from ..outcomes.models import Track1Body
from ..programme.models import MemberInstitute, Network, Series, Theme
from .schemas_common import Body, CountryCode, Day, Id, IdList, NetworkRef, Out, Version, Year, choice, text

DESCRIPTION_MAX = 10_000
COUNTRY_HELP = ("The country: its ISO code (SG) or its name as the forms list it (Singapore, Viet Nam, "
                "Lao PDR…).")
SLUG_HELP = "Lower-case letters, digits and hyphens; made from the name when left empty."

# ------------------------------------------------------------------ themes


class ThemeDetail(Out):
    id: int
    slug: str = Field(description="Stays the same when the theme is renamed, so links naming it keep working.")
    name: str
    non_traditional: bool = Field(description="A non-traditional security theme (climate, health, cyber…).")
    version: int


class ThemeCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Maritime security",
                                                               "non_traditional": False}]})

    name: text(Theme.name, "Unique among themes (whatever the case).")
    non_traditional: bool = True


class ThemeUpdate(Body):
    """Only the fields given change; the slug stays."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1,
                                                               "name": "Humanitarian assistance and disaster relief"}]})

    version: Version
    name: text(Theme.name) = None
    non_traditional: bool = None


# ---------------------------------------------------------------- networks


class NetworkCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "acronym": "CSCAP", "name": "Council for Security Cooperation in the Asia Pacific",
        "website": "https://www.cscap.org", "founded_year": 1993}]})

    acronym: text(Network.acronym, "As people say it: CSCAP, NADI; unique among networks.")
    name: text(Network.name)
    slug: text(Network.slug, SLUG_HELP) = ""
    description: text(DESCRIPTION_MAX) = ""
    website: text(Network.website, "A full address starting with https://") = ""
    founded_year: Year | None = None


class NetworkUpdate(Body):
    """Only the fields given change."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1, "founded_year": 1993}]})

    version: Version
    acronym: text(Network.acronym) = None
    name: text(Network.name) = None
    slug: text(Network.slug) = None
    description: text(DESCRIPTION_MAX) = None
    website: text(Network.website) = None
    founded_year: Year | None = None


# ------------------------------------------------------- member institutes


class InstituteOut(Out):
    id: int
    name: str
    acronym: str
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    city: str
    website: str
    networks: list[NetworkRef] = Field(description="The networks it is a member of.")
    version: int


class InstituteCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name": "S. Rajaratnam School of International Studies", "acronym": "RSIS", "country": "Singapore",
        "city": "Singapore", "website": "https://www.rsis.edu.sg", "network_ids": [1]}]})

    name: text(MemberInstitute.name, "Unique among institutes (whatever the case).")
    acronym: text(MemberInstitute.acronym) = ""
    country: text(100, COUNTRY_HELP)
    city: text(MemberInstitute.city) = ""
    website: text(MemberInstitute.website, "A full address starting with https://") = ""
    network_ids: IdList = Field(description="The networks it belongs to (at least one; you must organise each).")


class InstituteUpdate(Body):
    """Only the fields given change. Organisers add or remove only networks
    they organise in `network_ids`."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1, "city": "Singapore"}]})

    version: Version
    name: text(MemberInstitute.name) = None
    acronym: text(MemberInstitute.acronym) = None
    country: text(100, COUNTRY_HELP) = None
    city: text(MemberInstitute.city) = None
    website: text(MemberInstitute.website) = None
    network_ids: IdList = None


# ------------------------------------------------------------------ series


class SeriesCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "network_id": 1, "name": "NADI Workshop on Maritime Security", "kind": "workshop_series",
        "active_since": "2010-04-01"}]})

    network_id: Id = Field(description="The network that runs it (one you organise).")
    name: text(Series.name)
    slug: text(Series.slug, SLUG_HELP) = ""
    kind: choice(vocab.SERIES_KINDS) = "workshop_series"
    description: text(DESCRIPTION_MAX) = ""
    active_since: Day | None = Field(None, description="Records the first step of its lifecycle (active).")


class SeriesUpdate(Body):
    """Only the fields given change; moving it to another network needs the right in both."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1, "kind": "study_group"}]})

    version: Version
    network_id: Id = None
    name: text(Series.name) = None
    slug: text(Series.slug) = None
    kind: choice(vocab.SERIES_KINDS) = None
    description: text(DESCRIPTION_MAX) = None


# ---------------------------------------------------------- Track-1 bodies

Countries = list[CountryCode]


class Track1BodyCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name": "ASEAN Defence Ministers' Meeting", "acronym": "ADMM", "kind": "ministerial_meeting",
        "level": "ministerial", "established": "2006", "member_countries": ["BN", "ID", "SG"]}]})

    name: text(Track1Body.name, "Unique among Track-1 bodies.")
    acronym: text(Track1Body.acronym) = ""
    kind: choice(vocab.TRACK1_KINDS)
    level: choice(vocab.TRACK1_LEVELS) | None = None
    parent_id: Id | None = Field(None, description="The body it sits under (id), if any.")
    established: text(Track1Body.established, "Free text: 2002, agreed April 2025…") = ""
    description: text(DESCRIPTION_MAX) = ""
    member_countries: Countries = Field(default_factory=list, max_length=300,
                                        description="ISO 3166-1 alpha-2 codes.")


class Track1BodyUpdate(Body):
    """Only the fields given change (`parent_id: null` makes it a body of its own)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 1, "level": "ministerial"}]})

    version: Version
    name: text(Track1Body.name) = None
    acronym: text(Track1Body.acronym) = None
    kind: choice(vocab.TRACK1_KINDS) = None
    level: choice(vocab.TRACK1_LEVELS) | None = None
    parent_id: Id | None = None
    established: text(Track1Body.established) = None
    description: text(DESCRIPTION_MAX) = None
    member_countries: Countries = Field(None, max_length=300)


__all__ = [
    "InstituteCreate", "InstituteOut", "InstituteUpdate", "NetworkCreate", "NetworkUpdate",
    "SeriesCreate", "SeriesUpdate", "ThemeCreate", "ThemeDetail", "ThemeUpdate", "Track1BodyCreate",
    "Track1BodyUpdate",
]
