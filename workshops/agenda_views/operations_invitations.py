"""Inviting participants by mail: each selected participant gets their own
personal agenda link (created when missing: people/models.py
issue_personal_token) and a calendar file of the agenda, queued in the
outbox (mail/operations.py queue_mail) in the same unit of work that marks
them invited, so a refused or rolled-back invitation sends nothing.

Chatham House: a mail names no other participant. The attached calendar is
agenda_views/exporters.py's ICalendarExporter (the one calendar builder)
over the agenda with only the invitee's own roles left on the items; the
feed behind the personal link still names everyone, as the page does.

A participant without a usable address is reported as "no address", not
refused: the organiser sends those by hand (or from the mail-merge CSV).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..audit.operations import Invalid, unit_of_work
from ..auth.access import require_edit
from ..db import utcnow
from ..mail.operations import Attachment, clean_address, queue_mail, render_mail
from ..people.models import Participation, issue_personal_token
from ..people.queries import invitation_problem
from ..programme.models import Workshop
from . import queries
from .exporters import AgendaSource, ICalendarExporter

# Links an organiser may send in one go (a large conference is a few hundred).
MAX_INVITATIONS = 1000


@dataclass
class Invitations:
    sent: list[Participation] = field(default_factory=list)
    no_address: list[Participation] = field(default_factory=list)
    already: list[Participation] = field(default_factory=list)  # invited before, and not resent


def usable_address(participation: Participation) -> str | None:
    """The participant's address as the outbox takes it, or None (none, erased, or malformed)."""
    person = participation.person
    if person.erased_at is not None or not person.email:
        return None
    try:
        return clean_address(person.email)
    except Invalid:
        return None


def only_me(agenda: queries.Agenda, me_id: int) -> queries.Agenda:
    """The agenda with every other participant taken off the items: what a
    mail may carry (no other participant's name, the Chatham House rule)."""
    people = {item_id: [p for p in speakers if p.participation_id == me_id]
              for item_id, speakers in agenda.people.items()}
    return queries.Agenda(items=agenda.items, people=people)


def personal_calendar(workshop: Workshop, agenda: queries.Agenda, me: Participation, agenda_url: str,
                      site_url: str) -> bytes:
    header = queries.agenda_header(workshop.slug)
    return ICalendarExporter(AgendaSource(
        workshop=workshop, agenda=only_me(agenda, me.id), agenda_url=agenda_url, site_url=site_url,
        last_updated=header.last_updated, me_id=me.id)).render()


def invite_participants(actor, workshop: Workshop, participations: Iterable[Participation], *,
                        personal_url: Callable[[str], str], reply_url: Callable[[str], str], site_url: str,
                        resend: bool = False) -> Invitations:
    """Queue one invitation per participant of the workshop given (those
    invited before only when `resend`); `personal_url(token)` and
    `reply_url(token)` make the links (the view knows the site's address)."""
    require_edit(workshop, actor)
    problem = invitation_problem(workshop)
    if problem:
        raise Invalid({"participants": problem})
    chosen = [p for p in participations if p.workshop_id == workshop.id]
    if not chosen:
        raise Invalid({"participants": "Choose at least one participant to invite."})
    if len(chosen) > MAX_INVITATIONS:
        raise Invalid({"participants": f"Invite at most {MAX_INVITATIONS} participants at a time."})
    result = Invitations()
    agenda = queries.agenda(workshop.id, names_everyone=True)  # only_me() then keeps the invitee alone
    note = "Invitations resent by mail" if resend else "Invitations sent by mail"
    with unit_of_work(actor, note=note) as session:
        for participation in chosen:
            address = usable_address(participation)
            if address is None:
                result.no_address.append(participation)
                continue
            if participation.invited_at is not None and not resend:
                result.already.append(participation)
                continue
            token = participation.personal_token or issue_personal_token(participation)
            link = personal_url(token)
            text, html = render_mail("participant_invitation", workshop=workshop, participation=participation,
                                     person=participation.person, link=link, reply_link=reply_url(token),
                                     resent=participation.invited_at is not None)
            calendar = personal_calendar(workshop, agenda, participation, link, site_url)
            queue_mail(session, kind="participant_invitation", to=address,
                       subject=f"Invitation: {workshop.title}", text=text, html=html,
                       attachments=[Attachment(f"{workshop.slug}.ics", "text/calendar", calendar)],
                       network_id=workshop.network_id)
            participation.invited_at = utcnow()
            result.sent.append(participation)
    return result
