"""Records as the API shows them: each function turns loaded objects into
a response model of api.schemas. Nothing here queries the database; the
callers load what is shown (api.queries) so a page costs a fixed number of
queries. Who may see contact details is decided by the caller."""

from __future__ import annotations

import datetime as dt

from flask import url_for

from ..documents.models import Document
from ..outcomes.days import day_known, days_after_workshop
from ..outcomes.models import Recommendation, Track1Body, UptakeEvent, UptakeEventReference
from ..people.models import Participation, Person
from ..programme.models import AgendaItem, MemberInstitute, Network, Series, Theme, Workshop
from ..programme.queries import AgendaWarning
from . import schemas as s


def network_ref(network: Network) -> s.NetworkRef:
    return s.NetworkRef(id=network.id, acronym=network.acronym, name=network.name)


def series_ref(series: Series) -> s.SeriesRef:
    return s.SeriesRef(id=series.id, slug=series.slug, name=series.name)


def institute_ref(institute: MemberInstitute | None) -> s.InstituteRef | None:
    if institute is None:
        return None
    return s.InstituteRef(id=institute.id, name=institute.name, acronym=institute.acronym,
                          country=institute.country)


def theme(t: Theme) -> s.ThemeOut:
    return s.ThemeOut(id=t.id, slug=t.slug, name=t.name)


def track1_ref(body: Track1Body | None) -> s.Track1BodyRef | None:
    if body is None:
        return None
    return s.Track1BodyRef(id=body.id, name=body.name, acronym=body.acronym)


def network(n: Network, institutes: int, series: int, workshops: int) -> s.NetworkOut:
    return s.NetworkOut(
        id=n.id, slug=n.slug, acronym=n.acronym, name=n.name, description=n.description,
        website=n.website, founded_year=n.founded_year, institutes=institutes, series=series,
        workshops=workshops, version=n.version,
    )


def series(x: Series) -> s.SeriesOut:
    return s.SeriesOut(
        id=x.id, slug=x.slug, name=x.name, kind=x.kind, description=x.description,
        network=network_ref(x.network), status=x.current_status,
        status_history=[s.SeriesStatusOut(status=c.status, effective_on=c.effective_on, note=c.note)
                        for c in x.status_changes],
        version=x.version,
    )


def _workshop_fields(w: Workshop) -> dict:
    return dict(
        id=w.id, slug=w.slug, title=w.title, series=series_ref(w.series) if w.series is not None else None,
        series_id=w.series_id, network=network_ref(w.network), network_id=w.network_id,
        network_ids=[n.id for n in w.co_networks],
        institutes=[s.WorkshopInstituteOut(institute_id=r.institute_id, role=r.role, institute=institute_ref(r.institute))
                    for r in w.institute_roles],
        host=institute_ref(w.host), venue=w.venue, city=w.city, country=w.country, timezone=w.timezone,
        start_date=w.start_date, end_date=w.end_date, date_precision=w.date_precision, approximate=w.approximate,
        format=w.format, visibility=w.visibility,
        status=w.status, chatham_house=w.chatham_house, themes=[theme(t) for t in w.themes],
        updated_at=w.updated_at, version=w.version,
    )


def workshop(w: Workshop) -> s.WorkshopOut:
    return s.WorkshopOut(**_workshop_fields(w))


def workshop_detail(w: Workshop, items: list[AgendaItem]) -> s.WorkshopDetail:
    return s.WorkshopDetail(**_workshop_fields(w), objectives=w.objectives, rules=w.rules,
                            agenda=[agenda_item(i, w) for i in items])


def _agenda_fields(item: AgendaItem, w: Workshop) -> dict:
    zone = w.zone
    start, end = item.local_start(zone), item.local_end(zone)
    # Agendas name their chairs and speakers (Chatham House allows it), but
    # never someone whose data was erased on request.
    people = [
        s.AgendaPersonOut(role=p.role, participation_id=p.participation_id, name=p.display_name,
                          affiliation=p.affiliation if p.is_guest else p.participation.affiliation,
                          to_be_confirmed=p.to_be_confirmed)
        for p in item.people if not p.erased
    ]
    return dict(
        id=item.id, uid=item.uid, kind=item.kind, title=item.title, description=item.description,
        room=item.room, status=item.status, starts_at=item.starts_at, ends_at=item.ends_at,
        day=start.date(), start=f"{start:%H:%M}", end=f"{end:%H:%M}", people=people,
        version=item.version,
    )


def agenda_item(item: AgendaItem, w: Workshop) -> s.AgendaItemOut:
    return s.AgendaItemOut(**_agenda_fields(item, w))


def agenda_item_saved(item: AgendaItem, warnings: list[AgendaWarning]) -> s.AgendaItemSaved:
    return s.AgendaItemSaved(
        **_agenda_fields(item, item.workshop),
        warnings=[s.AgendaWarningOut(kind=w.kind, item_ids=list(w.item_ids), message=w.message)
                  for w in warnings],
    )


def person(p: Person, workshops: int, *, contact: bool) -> s.PersonOut:
    return s.PersonOut(
        id=p.id, full_name=p.full_name, honorific=p.honorific, affiliation=p.affiliation,
        country=p.country, sector=p.sector, erased=p.erased_at is not None,
        email=p.email if contact else None, phone=p.phone if contact else None,
        workshops=workshops, version=p.version,
    )


def participation(p: Participation, *, contact: bool) -> s.ParticipationOut:
    who = p.person
    return s.ParticipationOut(
        id=p.id, workshop_id=p.workshop_id,
        person=s.PersonRef(id=who.id, name="" if who.erased_at else who.display_name),
        role=p.role, status=p.status, sector=p.sector, country=p.country, affiliation=p.affiliation,
        serving_official=p.serving_official, consent_to_list=p.consent_to_list,
        consent_to_be_named=p.consent_to_be_named, gender=p.gender if contact else None,
        email=who.email if contact else None, phone=who.phone if contact else None,
        version=p.version,
    )


def document(d: Document) -> s.DocumentOut:
    return s.DocumentOut(id=d.id, filename=d.filename, content_type=d.content_type, size=d.size, sha256=d.sha256,
                         download_url=url_for("documents.download", document_id=d.id, filename=d.filename,
                                              _external=True))


def event_reference(r: UptakeEventReference) -> s.ReferenceOut:
    return s.ReferenceOut(url=r.url, label=r.label, document_id=r.document_id,
                          document=document(r.document) if r.document is not None else None)


def uptake_event(e: UptakeEvent, workshop_end: dt.date, origin_day_known: bool = True) -> s.UptakeEventOut:
    return s.UptakeEventOut(
        id=e.id, stage=e.stage, occurred_on=e.occurred_on, date_precision=e.date_precision,
        approximate=e.approximate,
        days_after_workshop=days_after_workshop(workshop_end, e.occurred_on) if day_known(
            e.date_precision, e.approximate) and origin_day_known else None,
        track1_body=track1_ref(e.track1_body),
        evidence_kind=e.evidence_kind, title=e.title, excerpt=e.excerpt, attribution=e.attribution,
        confirmed=e.confirmed, references=[event_reference(r) for r in e.references],
        recorded_by=e.recorded_by.name if e.recorded_by is not None else None,
        recorded_at=e.recorded_at, version=e.version,
    )


def recommendation(r: Recommendation) -> s.RecommendationOut:
    w = r.workshop
    return s.RecommendationOut(
        id=r.id, reference=r.reference, title=r.title, text=r.text, priority=r.priority,
        workshop=s.WorkshopRef(id=w.id, slug=w.slug, title=w.title, start_date=w.start_date,
                               end_date=w.end_date, date_precision=w.date_precision,
                               approximate=w.approximate) if w is not None else None,
        output_id=r.output_id,
        network=network_ref(w.network if w is not None else r.output.network), agenda_item_id=r.agenda_item_id,
        themes=[theme(t) for t in r.themes], targets=[track1_ref(t) for t in r.targets],
        stage=r.stage, closed_as=r.closed_as, closed_on=r.closed_on, closed_reason=r.closed_reason,
        last_event_on=r.last_event_on, events=[uptake_event(e, r.origin_end, day_known(*_origin_precision(r))) for e in r.events], version=r.version,
        featured=r.featured, is_public=r.is_public,
        **follow_up(r),
    )


def _origin_precision(r: Recommendation) -> tuple[str, bool]:
    """How well the day days after it count from is known: its workshop's, or its output's date."""
    origin = r.workshop if r.workshop is not None else r.output
    return origin.date_precision, origin.approximate


def follow_up(r: Recommendation) -> dict:
    """Who follows it up, when next, and the checks that found no trace."""
    return {
        "owner_id": r.owner_id, "owner": r.owner.name if r.owner is not None else None,
        "next_check_on": r.next_check_on,
        "checks": [s.FollowUpCheckOut(id=c.id, checked_on=c.checked_on, note=c.note,
                                      checked_by=c.checked_by.name if c.checked_by is not None else None)
                   for c in r.checks],
    }


def track1_body(b: Track1Body) -> s.Track1BodyOut:
    return s.Track1BodyOut(
        id=b.id, name=b.name, acronym=b.acronym, kind=b.kind, level=b.level, parent=track1_ref(b.parent),
        established=b.established, description=b.description, member_countries=b.member_countries,
        version=b.version,
    )
