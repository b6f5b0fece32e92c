"""A hand-built world for the public outcomes page: what must appear, what
must not, and the people who must never be named."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import Output

# Names that exist in the data and must never be on the public page or in its feed.
PEOPLE = ("Ophelia Owner", "Zebedee Recorder", "Spike Speakerson", "Penelope Participant", "Oscar Organiser")


@dataclass
class World:
    nadi: object
    cscap: object
    recs: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    organiser: object = None
    other_organiser: object = None


def _output(network, title, **kw):
    with unit_of_work(system="test") as session:
        output = Output(kind="memorandum", title=title, date=dt.date(2024, 9, 1), network_id=network.id, **kw)
        session.add(output)
        session.flush()
    return output


@pytest.fixture
def world(make) -> World:
    nadi = make.network(acronym="NADI", slug="nadi-network", name="Network of ASEAN Defence and Security Institutions",
                        website="https://nadi.example.org/")
    cscap = make.network(acronym="CSCAP", slug="cscap", name="Council for Security Cooperation in the Asia Pacific")
    series = make.series(network=nadi, name="NADI annual meeting")
    w = World(nadi=nadi, cscap=cscap)
    w.organiser = make.user(role="organiser", networks=[nadi], name="Oscar Organiser")
    w.other_organiser = make.user(role="organiser", networks=[cscap], name="Olga Otherorganiser")
    owner = make.user(role="organiser", networks=[nadi], name="Ophelia Owner")
    recorder = make.user(role="organiser", networks=[nadi], name="Zebedee Recorder")
    arf = make.track1_body(name="ASEAN Regional Forum", acronym="ARF")
    admm = make.track1_body(name="ASEAN Defence Ministers' Meeting", acronym="ADMM")

    public = make.workshop(series=series, title="NADI annual meeting 2024", slug="nadi-2024",
                           start_date=dt.date(2024, 3, 4), end_date=dt.date(2024, 3, 6))
    speaker = make.participation(workshop=public, person=make.person(full_name="Spike Speakerson"), role="speaker")
    make.participation(workshop=public, person=make.person(full_name="Penelope Participant"))
    make.agenda_item(workshop=public, title="Panel on disaster response", people=[(speaker, "speaker")])
    private = make.workshop(series=series, title="NADI closed retreat", visibility="private",
                            start_date=dt.date(2024, 4, 1))
    participants = make.workshop(series=series, title="NADI participants-only meeting", visibility="participants",
                                 start_date=dt.date(2024, 5, 1))
    draft = make.workshop(series=series, title="NADI draft meeting", status="draft", start_date=dt.date(2024, 6, 1))
    cscap_series = make.series(network=cscap, name="CSCAP study group")
    cscap_public = make.workshop(series=cscap_series, title="CSCAP study group 2024", start_date=dt.date(2024, 7, 1))
    co_organised = make.workshop(series=cscap_series, title="CSCAP-NADI joint meeting", co_networks=[nadi],
                                 start_date=dt.date(2024, 8, 1))

    recs = w.recs
    recs["shown"] = make.recommendation(workshop=public, title="Joint HADR exercise <every two years> & more",
                                        is_public=True, targets=[arf], owner_id=owner.id,
                                        text="The meeting recommends a joint exercise.")
    recs["unmarked"] = make.recommendation(workshop=public, title="Unmarked maritime hotline")
    recs["private"] = make.recommendation(workshop=private, title="Private retreat proposal", is_public=True)
    recs["participants"] = make.recommendation(workshop=participants, title="Participants-only proposal",
                                               is_public=True)
    recs["draft"] = make.recommendation(workshop=draft, title="Draft meeting proposal", is_public=True)
    recs["cscap"] = make.recommendation(workshop=cscap_public, title="CSCAP own proposal", is_public=True)
    recs["co"] = make.recommendation(workshop=co_organised, title="Joint meeting proposal", is_public=True)
    memo = _output(nadi, "NADI memorandum on cyber norms", url="https://nadi.example.org/memo.pdf")
    recs["output"] = make.recommendation(output=memo, title="Cyber norms from the memorandum", is_public=True)
    recs["private_with_output"] = make.recommendation(workshop=private, output=_output(nadi, "Retreat report"),
                                                      title="Private proposal also in a report", is_public=True)

    events = w.events
    events["acknowledged"] = make.uptake_event(
        recommendation=recs["shown"], stage="acknowledged", occurred_on=dt.date(2024, 8, 2), track1_body_id=arf.id,
        title="ARF chairman's statement welcomes the idea", recorded_by_id=recorder.id,
        recorded_at=dt.datetime(2024, 8, 5, 9, 30, tzinfo=dt.UTC),
        references=[{"url": "https://asean.example.org/arf-statement.pdf", "label": "Chairman's statement"},
                    {"label": "ARF/SOM/2024/3"}])
    events["unconfirmed"] = make.uptake_event(
        recommendation=recs["shown"], stage="adopted", occurred_on=dt.date(2024, 11, 1), track1_body_id=admm.id,
        title="Rumoured ADMM work plan", confirmed=False, recorded_by_id=recorder.id,
        recorded_at=dt.datetime(2024, 11, 3, tzinfo=dt.UTC))
    events["private"] = make.uptake_event(recommendation=recs["private"], stage="adopted",
                                          title="Private proposal adopted",
                                          recorded_at=dt.datetime(2024, 12, 1, tzinfo=dt.UTC))
    events["output"] = make.uptake_event(recommendation=recs["output"], stage="transmitted",
                                         title="Memorandum handed to the ARF SOM",
                                         recorded_at=dt.datetime(2024, 10, 1, tzinfo=dt.UTC))
    events["unmarked"] = make.uptake_event(recommendation=recs["unmarked"], stage="implemented",
                                           title="Hotline set up", recorded_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    db.session.commit()
    return w
