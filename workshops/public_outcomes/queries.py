"""What a network's public outcomes page and its Atom feed read: the
recommendations shown publicly, each with its road into Track-1 (confirmed
uptake events only, outcomes/progress.py), and the latest uptake events on
them. Nothing here names a person: no owner, speaker, participant,
recorder or audit author is loaded for these pages (docs/domain.md, "The
Chatham House rule").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..outcomes import progress
from ..outcomes.models import Recommendation, UptakeEvent, UptakeEventReference
from ..outcomes.origin import origin_in_networks
from ..outputs.models import Output
from ..programme.models import Network, Workshop

# At most this many recommendations on the page, and events in the feed.
PAGE_LIMIT = 200
FEED_LIMIT = 50
NETWORK_NAME_MAX = 60


# --------------------------------------------------------------------------- the rule


def shown_publicly():
    """SQL WHERE on Recommendation rows: it appears on its network's public
    outcomes page. The one rule (its Python twin is is_shown_publicly):

    - an organiser of its network marked it public (`is_public`), and
    - it comes from a public workshop that is published (visibility
      "public", status "published": not a draft, not cancelled — the
      workshops whose agenda anyone may read), or
    - it has no workshop and comes from a written output alone: an output
      (memorandum, chair's statement, report) is a document the network
      issued, public by nature. A recommendation of a workshop that also
      has an output follows its workshop: a private meeting's
      recommendation never appears, whatever its output.

    Being featured in the report (another flag) changes nothing here."""
    public_workshops = (select(Workshop.id).where(Workshop.visibility == "public", Workshop.status == "published")
                        .correlate_except(Workshop))
    return and_(Recommendation.is_public.is_(True),
                or_(Recommendation.workshop_id.in_(public_workshops),
                    and_(Recommendation.workshop_id.is_(None), Recommendation.output_id.is_not(None))))


def is_shown_publicly(rec: Recommendation) -> bool:
    """Python twin of shown_publicly, for a loaded recommendation."""
    if not rec.is_public:
        return False
    if rec.workshop is not None:
        return rec.workshop.visibility == "public" and rec.workshop.status == "published"
    return rec.output is not None


def why_not_shown(rec: Recommendation) -> str | None:
    """Why a recommendation marked public does not appear, or None."""
    if not rec.is_public or is_shown_publicly(rec):
        return None
    w = rec.workshop
    if w.visibility != "public":
        return "its workshop is not public"
    return "its workshop is a draft" if w.status == "draft" else "its workshop was cancelled"


# --------------------------------------------------------------------------- the network


def network_named(name: str) -> Network | None:
    """The network an address names: its acronym in any case ("cscap",
    "CSCAP") or its slug; None for anything else."""
    name = (name or "").strip()
    if not name or len(name) > NETWORK_NAME_MAX:
        return None
    return db.session.scalar(
        select(Network).where(or_(func.lower(Network.acronym) == name.lower(), Network.slug == name.lower()))
        .order_by(Network.id).limit(1))


# --------------------------------------------------------------------------- the page


@dataclass
class PublicOutcome:
    """One recommendation as the public page shows it."""

    rec: Recommendation
    stage: str
    events: list[UptakeEvent]  # confirmed ones, in date order

    @property
    def bodies(self) -> list:
        """The Track-1 bodies on its road: those it was addressed to, then those that took it up."""
        seen = {b.id: b for b in self.rec.targets}
        for e in self.events:
            if e.track1_body is not None:
                seen.setdefault(e.track1_body.id, e.track1_body)
        return list(seen.values())


def _public_recommendations(network: Network):
    return select(Recommendation).where(shown_publicly(), origin_in_networks([network.id]))


def outcomes(network: Network) -> list[PublicOutcome]:
    """The recommendations shown on the network's page, newest origin first,
    with only what the page shows loaded (no person)."""
    query = (
        _public_recommendations(network)
        .outerjoin(Workshop, Recommendation.workshop_id == Workshop.id)
        .outerjoin(Output, Recommendation.output_id == Output.id)
        .order_by(func.coalesce(Workshop.start_date, Output.date).desc(), Recommendation.id.desc())
        .limit(PAGE_LIMIT)
        .options(
            selectinload(Recommendation.events).selectinload(UptakeEvent.track1_body),
            selectinload(Recommendation.events).selectinload(UptakeEvent.references),
            selectinload(Recommendation.workshop).selectinload(Workshop.network),
            selectinload(Recommendation.output),
            selectinload(Recommendation.targets),
            selectinload(Recommendation.themes),
        )
    )
    found = []
    for rec in db.session.scalars(query):
        confirmed = [e for e in rec.events if e.confirmed]
        found.append(PublicOutcome(rec=rec, stage=progress.stage_of(confirmed), events=confirmed))
    return found


def stage_counts(items: list[PublicOutcome]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.stage] = counts.get(item.stage, 0) + 1
    return counts


# --------------------------------------------------------------------------- the feed


def feed_events(network: Network, limit: int = FEED_LIMIT) -> list[UptakeEvent]:
    """The latest confirmed uptake events on the recommendations the page
    shows, newest recorded first."""
    shown = _public_recommendations(network).with_only_columns(Recommendation.id)
    return list(db.session.scalars(
        select(UptakeEvent)
        .where(UptakeEvent.recommendation_id.in_(shown), progress.counted())
        .order_by(UptakeEvent.recorded_at.desc(), UptakeEvent.id.desc())
        .limit(limit)
        .options(selectinload(UptakeEvent.track1_body),
                 selectinload(UptakeEvent.references).selectinload(UptakeEventReference.document),
                 selectinload(UptakeEvent.recommendation))
    ))


def feed_updated(events: list[UptakeEvent]) -> dt.datetime:
    """The feed's atom:updated: its newest entry's, else a fixed instant (an
    empty feed has nothing newer to say, and its validator stays the same)."""
    if events:
        return max(e.recorded_at for e in events)
    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
