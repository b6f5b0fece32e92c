"""A participant's own answer, given through their personal agenda link:
coming or not, consent to be listed and to be named on the public agenda,
dietary and access needs, the zone of their mails and whether they want
"the agenda changed" digests.

It is the one place besides the organisers' forms (operations.py
update_participation) where a participation's status changes. There is no
user behind a personal link: the audit trail names the participant's link
as the actor ("system: personal link of …", audit/operations.py Actor),
so the organisers see who answered and when; erasing the person scrubs that
name like every other (people/privacy.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..audit.operations import Conflict, Invalid, expect_version, unit_of_work
from ..core import cleaning, zones
from ..db import utcnow
from .gender import clean_gender, gender_error
from .models import Participation
from .operations_common import clean_text

REPLIES = ("confirmed", "declined")
NEEDS_MAX = cleaning.column_limit(Participation.__table__.c.dietary_needs)
# A reply no longer changes anything once the workshop has taken place.
SETTLED = ("attended", "no_show")


def reply_values(data: Mapping) -> dict:
    """The cleaned answer; Invalid names every field that is wrong."""
    errors: dict[str, str] = {}
    values: dict = {}
    reply = clean_text(data.get("reply"))
    if reply not in REPLIES:
        errors["reply"] = "Say whether you will take part: choose yes or no."
    values["status"] = reply
    for key in ("dietary_needs", "access_needs"):
        text = cleaning.clean_text(data.get(key), multiline=True) if data.get(key) is not None else ""
        if len(text) > NEEDS_MAX:
            errors[key] = cleaning.length_message(NEEDS_MAX)
        values[key] = text
    for key in ("consent_to_list", "consent_to_be_named", "agenda_mail"):
        values[key] = bool(data.get(key))
    if "gender" in data:  # self-described, optional (people/gender.py)
        if problem := gender_error(data["gender"]):
            errors["gender"] = problem
        else:
            values["gender"] = clean_gender(data["gender"])
    zone = clean_text(data.get("timezone"))
    if zone and not zones.is_zone(zone):
        errors["timezone"] = "Choose a time zone from the list."
    values["timezone"] = zone or None
    if errors:
        raise Invalid(errors)
    return values


def reply_refusal(participation: Participation) -> str | None:
    """Why this participation may not answer any more, or None."""
    if participation.workshop.status == "cancelled":
        return "This workshop has been cancelled: there is nothing to answer."
    if participation.status in SETTLED:
        return "The workshop has taken place and your attendance is recorded; the organisers can correct it."
    return None


def link_actor(participation: Participation) -> str:
    """How the audit trail names a participant acting through their link."""
    return f"personal link of {participation.person.full_name}"


def reply_to_invitation(participation: Participation, data: Mapping, version: int | None = None) -> Participation:
    """Save the participant's answer (status confirmed or declined, consents,
    needs, mail zone and digests) in one audited change."""
    refusal = reply_refusal(participation)
    if refusal:
        raise Invalid({"reply": refusal})
    expect_version(participation, version)
    values = reply_values(data)
    answer = "will take part" if values["status"] == "confirmed" else "will not take part"
    try:
        with unit_of_work(None, system=link_actor(participation), note=f"Answered through the personal link: {answer}"):
            for key, value in values.items():
                setattr(participation, key, value)
            participation.responded_at = utcnow()
    except Conflict as exc:
        if exc.obj is None:
            raise Conflict(participation, version) from exc
        raise
    return participation


def unsubscribe_agenda_mail(participation: Participation) -> bool:
    """No more "the agenda changed" digests (the List-Unsubscribe link);
    False when they were off already."""
    if not participation.agenda_mail:
        return False
    with unit_of_work(None, system=link_actor(participation), note="Unsubscribed from agenda change mails"):
        participation.agenda_mail = False
    return True
