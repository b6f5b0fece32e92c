"""What the API reads. The lists reuse each capability's own queries (the
same filters as the web pages); this module adds what only the API needs:
who sees which workshop, the loaders of one record with everything its
answer shows, and the API tokens."""

from __future__ import annotations

import hashlib

from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ..auth.models import ApiToken
from ..core.clock import today  # noqa: F401  (the API's views ask queries.today())
from ..extensions import db
from ..outcomes.models import FollowUpCheck, Recommendation, Track1Body, UptakeEvent, UptakeEventReference
from ..outcomes.queries import recommendation_detail, track1_body_detail
from ..people.models import Participation, Person
from ..programme.models import Series, Workshop
from ..programme.queries import load_workshop

# The statuses of a workshop anonymous readers may see (drafts stay private).
PUBLIC_STATUSES = ("published", "cancelled")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_by_secret(token: str) -> ApiToken | None:
    """The live token row for a presented secret (revoked ones are not found)."""
    return db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None))
        .options(selectinload(ApiToken.user))
    )


def tokens_of(user_id: int) -> list[ApiToken]:
    """A user's tokens, live ones first, newest first."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def live_token_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count(ApiToken.id)).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    ) or 0


# --------------------------------------------------------------- workshops


def public_condition():
    """SQL: a workshop anyone may read without a token: a public one that is
    not a draft (the same rule as the public agenda list)."""
    return (Workshop.visibility == "public") & Workshop.status.in_(PUBLIC_STATUSES)


def is_public(workshop: Workshop) -> bool:
    return workshop.visibility == "public" and workshop.status in PUBLIC_STATUSES


def may_read_workshop(workshop: Workshop) -> bool:
    """Token holders read every workshop, as logged-in users do on the web
    pages; anyone else only public ones."""
    return current_user.is_authenticated or is_public(workshop)


def visible_workshops(query: Select) -> Select:
    return query if current_user.is_authenticated else query.where(public_condition())


def workshop_for_reading(workshop_id: int) -> Workshop | None:
    """The workshop if the caller may read it; None otherwise (a 404: the
    existence of a private workshop is not revealed)."""
    workshop = load_workshop(workshop_id)
    if workshop is None or not may_read_workshop(workshop):
        return None
    return workshop


def participations_query(workshop: Workshop, role: str | None, status: str | None) -> Select:
    query = (
        select(Participation).join(Person, Person.id == Participation.person_id)
        .where(Participation.workshop_id == workshop.id)
        .options(selectinload(Participation.person))
        .order_by(func.lower(Person.full_name), Participation.id)
    )
    if role:
        query = query.where(Participation.role == role)
    if status:
        query = query.where(Participation.status == status)
    return query


def load_participation(participation_id: int) -> Participation | None:
    return db.session.scalar(
        select(Participation).where(Participation.id == participation_id).options(
            selectinload(Participation.person),
            selectinload(Participation.workshop).selectinload(Workshop.series),
        )
    )


# --------------------------------------------------------- recommendations


def event_options():
    """What an uptake event's answer shows, loaded for a whole page at once."""
    return (
        selectinload(Recommendation.events).selectinload(UptakeEvent.track1_body),
        selectinload(Recommendation.events).selectinload(UptakeEvent.recorded_by),
        selectinload(Recommendation.owner),
        selectinload(Recommendation.checks).selectinload(FollowUpCheck.checked_by),
        selectinload(Recommendation.events).selectinload(UptakeEvent.references)
        .selectinload(UptakeEventReference.document),
    )


def load_recommendation(recommendation_id: int) -> Recommendation | None:
    return recommendation_detail(recommendation_id)


def load_track1_body(body_id: int) -> Track1Body | None:
    return track1_body_detail(body_id)


def series_detail(series_id: int) -> Series | None:
    return db.session.scalar(
        select(Series).where(Series.id == series_id)
        .options(selectinload(Series.network), selectinload(Series.status_changes))
    )
