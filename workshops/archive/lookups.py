"""How an archive row's words find the records they name: registries by
acronym or name (never created by an import), and the records an import
creates by their identity, so that a re-import finds them again:

- a meeting: (network, title, first day);
- an output: (network, kind, title, date);
- a recommendation: its reference, or (its source, title);
- an uptake event: (recommendation, stage, date, Track-1 body).

Each returns every match; the caller refuses none (unknown) and several
(ambiguous) with a message at the row's column. Titles match whatever
their case and spacing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select

from ..extensions import db
from ..outcomes.models import Recommendation, Track1Body, UptakeEvent
from ..outputs.models import Output
from ..people.models import Person
from ..people.queries import name_key, similar_people
from ..programme.models import MemberInstitute, Network, Series, Workshop
from ..vocab import (
    ATTRIBUTION_LABELS,
    ATTRIBUTIONS,
    EVIDENCE_KINDS,
    EVIDENCE_LABELS,
    OUTPUT_KIND_LABELS,
    OUTPUT_KINDS,
    PRIORITIES,
    STAGE_LABELS,
    STAGES,
)
from .columns import key_of


def _same(column, text: str):
    return func.lower(column) == " ".join(text.split()).lower()


def networks(text: str) -> list[Network]:
    return list(db.session.scalars(select(Network).where(or_(_same(Network.acronym, text),
                                                              _same(Network.name, text)))))


def series(network: Network, text: str) -> list[Series]:
    return list(db.session.scalars(select(Series).where(Series.network_id == network.id,
                                                        or_(_same(Series.name, text), Series.slug == key_of(text)))))


def institutes(text: str) -> list[MemberInstitute]:
    by_name = list(db.session.scalars(select(MemberInstitute).where(_same(MemberInstitute.name, text))))
    return by_name or list(db.session.scalars(select(MemberInstitute).where(_same(MemberInstitute.acronym, text))))


def track1_bodies(text: str) -> list[Track1Body]:
    by_name = list(db.session.scalars(select(Track1Body).where(_same(Track1Body.name, text))))
    return by_name or list(db.session.scalars(select(Track1Body).where(_same(Track1Body.acronym, text))))


def people_named(name: str) -> list[Person]:
    """The people recorded under this name (whatever its case, accents or punctuation)."""
    key = name_key(name)
    return [p for p in similar_people(name, limit=20) if name_key(p.full_name) == key]


def meetings(network: Network, title: str, first_day: dt.date) -> list[Workshop]:
    return list(db.session.scalars(select(Workshop).where(
        Workshop.network_id == network.id, _same(Workshop.title, title), Workshop.start_date == first_day,
    ).order_by(Workshop.id)))


def outputs(network: Network, kind: str, title: str, day: dt.date) -> list[Output]:
    return list(db.session.scalars(select(Output).where(
        Output.network_id == network.id, Output.kind == kind, _same(Output.title, title), Output.date == day,
    ).order_by(Output.id)))


def recommendations_by_reference(reference: str) -> list[Recommendation]:
    return list(db.session.scalars(select(Recommendation).where(_same(Recommendation.reference, reference))
                                   .order_by(Recommendation.id)))


def recommendations_from(source_column, source_id: int, title: str) -> list[Recommendation]:
    return list(db.session.scalars(select(Recommendation).where(source_column == source_id,
                                                                _same(Recommendation.title, title))
                                   .order_by(Recommendation.id)))


def events(rec: Recommendation, stage: str, day: dt.date, body: Track1Body | None) -> list[UptakeEvent]:
    body_is = UptakeEvent.track1_body_id.is_(None) if body is None else UptakeEvent.track1_body_id == body.id
    return list(db.session.scalars(select(UptakeEvent).where(
        UptakeEvent.recommendation_id == rec.id, UptakeEvent.stage == stage, UptakeEvent.occurred_on == day,
        body_is).order_by(UptakeEvent.id)))


def _code(text: str, codes: tuple[str, ...], labels: dict[str, str]) -> str | None:
    key = key_of(text)
    for code in codes:
        if key in (code, key_of(labels.get(code, code))):
            return code
    return None


def stage(text: str) -> str | None:
    """A stage an uptake event can show (not "proposed": that is where every recommendation starts)."""
    code = _code(text, STAGES, STAGE_LABELS)
    return code if code != "proposed" else None


def evidence_kind(text: str) -> str | None:
    return _code(text, EVIDENCE_KINDS, EVIDENCE_LABELS)


OUTPUT_SPELLINGS = tuple(OUTPUT_KIND_LABELS[k].lower() for k in OUTPUT_KINDS)


def output_kind(text: str) -> str | None:
    """A kind by its code or label, "Chair's statement" and "chairs statement" alike."""
    return _code(text.replace("'", "").replace("’", ""), OUTPUT_KINDS,
                 {k: v.replace("'", "") for k, v in OUTPUT_KIND_LABELS.items()})


def attribution(text: str) -> str | None:
    """explicit, paraphrase or thematic, by its code or label ("Explicit citation", "Thematic echo")."""
    return _code(text, ATTRIBUTIONS, ATTRIBUTION_LABELS)


def priority(text: str) -> str | None:
    return _code(text, PRIORITIES, {})


YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0"}


def yes_no(text: str) -> bool | None:
    key = text.strip().lower()
    return True if key in YES else False if key in NO else None


# The venue's usual IANA zone for the countries of the region's archives;
# elsewhere the `timezone` column says it (or UTC).
COUNTRY_ZONES = {
    "BN": "Asia/Brunei", "KH": "Asia/Phnom_Penh", "ID": "Asia/Jakarta", "LA": "Asia/Vientiane",
    "MY": "Asia/Kuala_Lumpur", "MM": "Asia/Yangon", "PH": "Asia/Manila", "SG": "Asia/Singapore",
    "TH": "Asia/Bangkok", "VN": "Asia/Ho_Chi_Minh", "TL": "Asia/Dili", "CN": "Asia/Shanghai",
    "JP": "Asia/Tokyo", "KR": "Asia/Seoul", "KP": "Asia/Pyongyang", "MN": "Asia/Ulaanbaatar",
    "IN": "Asia/Kolkata", "AU": "Australia/Sydney", "NZ": "Pacific/Auckland", "US": "America/New_York",
    "CA": "America/Toronto", "RU": "Europe/Moscow", "GB": "Europe/London", "FR": "Europe/Paris",
    "DE": "Europe/Berlin", "BE": "Europe/Brussels", "PG": "Pacific/Port_Moresby", "BD": "Asia/Dhaka",
    "PK": "Asia/Karachi", "LK": "Asia/Colombo", "TW": "Asia/Taipei", "HK": "Asia/Hong_Kong",
}
