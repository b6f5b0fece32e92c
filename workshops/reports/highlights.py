"""The report's highlights (docs/report-definitions.md, "Highlights"): the
recommendations that reached adopted or implemented in the report's
period — the first day they reached that stage, as of the report date,
falls in it — each with its road (its workshop or output, the Track-1 body
and the evidence of the event that took it there, that event's sources)
and the strength of attribution where it was judged. Featured ones first.

The stage rule keeps its one home in outcomes/progress.py: the first day
at a stage is read from the progress facts (first_on_facts over
recommendation_progress), so the query reads no event to find which
recommendations qualify, only the one event that took each there.
One statement (HIGHLIGHT_STATEMENTS), which also reads the report's foreword
(reports/foreword.py); the rows come one per source and are folded into one
highlight each here.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, literal, or_, select, true

from ..documents.models import Document
from ..outcomes import progress
from ..outcomes.models import (
    Recommendation,
    RecommendationProgress,
    Track1Body,
    UptakeEvent,
    UptakeEventReference,
)
from ..outcomes.origin import with_origin
from ..outputs.models import Output
from ..programme.models import Network, Workshop
from ..vocab import ATTRIBUTION_LABELS, STAGE_LABELS, STAGE_RANK
from .filters import Filters
from .foreword import foreword_dict, foreword_query
from .scope import Bound, body_label, facts_conditions, run

HIGHLIGHT_STATEMENTS = 1  # SQL statements highlights_and_foreword() runs, whatever the data
HIGHLIGHTS_SHOWN = 100  # at most this many are listed (featured first); `total` counts them all
RANK_ADOPTED, RANK_IMPLEMENTED = STAGE_RANK["adopted"], STAGE_RANK["implemented"]


def _in_period(f: Filters, day):
    """SQL: `day` (NULL when not reached by the report date) falls in the period."""
    return and_(day >= f.start, day < f.end)


def _reached_in_period(f: Filters, first_on):
    """SQL: a first day at a stage (a facts column) reached by the report date
    and in the period — _in_period(first_on_facts(...)) written as a range on
    the column itself, so that its index finds the rows."""
    return and_(first_on >= f.start, first_on < f.end, first_on <= f.as_of)


def _qualifying(f: Filters):
    """A CTE: the recommendations in the report's scope that reached adopted
    or implemented in the period, the stage and first day reached there,
    featured first, at most HIGHLIGHTS_SHOWN, with how many qualify in all."""
    facts = RecommendationProgress.__table__.c
    adopted = progress.first_on_facts(facts, "adopted", f.as_of)
    implemented = progress.first_on_facts(facts, "implemented", f.as_of)
    implemented_here = _in_period(f, implemented)
    reached_rank = case((implemented_here, RANK_IMPLEMENTED), else_=RANK_ADOPTED)
    reached_on = case((implemented_here, implemented), else_=adopted)
    # Driven from the facts that first reached adopted or implemented in the period (a
    # range on ix_recommendation_progress_adopted_on and on …_implemented_on: SQLite's
    # MULTI-INDEX OR, PostgreSQL's BitmapOr), in the report's scope by their copied
    # origin (scope.facts_conditions), each one's featured mark read by primary key (a
    # scalar subquery: joined, PostgreSQL hashed the whole recommendation table for a
    # five-year period); ranked, and only the HIGHLIGHTS_SHOWN first then joined to
    # their recommendation, workshop and output. The cost follows the period's uptake,
    # not the history.
    featured = (select(Recommendation.featured).where(Recommendation.id == facts.recommendation_id)
                .scalar_subquery())
    candidate = (
        select(facts.recommendation_id.label("rid"), featured.label("featured"),
               reached_rank.label("reached_rank"), reached_on.label("reached_on"))
        .where(or_(_reached_in_period(f, facts.adopted_on), _reached_in_period(f, facts.implemented_on)),
               *facts_conditions(f, None, f.end))
        .subquery("candidate")
    )
    c = candidate.c
    order = (c.featured.desc(), c.reached_on, c.rid)
    ranked = (
        select(c.rid, c.featured, c.reached_rank, c.reached_on,
               func.count().over().label("total"), func.row_number().over(order_by=order).label("position"))
        # The window functions run before the LIMIT (`total` counts them all). The LIMIT tells
        # PostgreSQL that at most HIGHLIGHTS_SHOWN rows look up their event: without it, it
        # expected every qualifying one to and hashed all uptake events (a scan: 2x slower).
        .order_by(*order).limit(HIGHLIGHTS_SHOWN)
        .subquery("ranked")
    )
    r = ranked.c
    query = with_origin(
        select(
            r.rid, Recommendation.reference, Recommendation.title, r.featured, r.reached_rank, r.reached_on,
            Workshop.id.label("workshop_id"), Workshop.title.label("workshop_title"),
            Workshop.start_date.label("workshop_start"), Workshop.network_id.label("workshop_network_id"),
            Output.id.label("output_id"), Output.title.label("output_title"), Output.date.label("output_date"),
            Output.network_id.label("output_network_id"), r.total, r.position,
        )
        .select_from(ranked)
        .join(Recommendation, Recommendation.id == r.rid)
    )
    return query.subquery("qualifying")


def _query(f: Filters):
    q = _qualifying(f)
    # The event that took it there: the first counted one at that stage or beyond, on that day.
    first_event = (
        select(func.min(UptakeEvent.id))
        .where(UptakeEvent.recommendation_id == q.c.rid, progress.counted(), UptakeEvent.occurred_on == q.c.reached_on,
               progress.stage_rank(UptakeEvent.stage) >= q.c.reached_rank)
        .correlate_except(UptakeEvent).scalar_subquery()
    )
    network = func.coalesce(q.c.workshop_network_id, q.c.output_network_id)
    return (
        select(q, UptakeEvent.id.label("event_id"), UptakeEvent.title.label("event_title"),
               UptakeEvent.stage.label("event_stage"), UptakeEvent.occurred_on.label("event_on"),
               UptakeEvent.evidence_kind, UptakeEvent.excerpt, UptakeEvent.attribution,
               UptakeEvent.track1_body_id.label("body_id"), body_label().label("body"),
               Network.acronym.label("network"),
               UptakeEventReference.url, UptakeEventReference.label.label("ref_label"),
               UptakeEventReference.position.label("ref_position"), UptakeEventReference.id.label("ref_id"),
               UptakeEventReference.document_id, Document.filename.label("document_filename"))
        .select_from(q)
        .join(UptakeEvent, UptakeEvent.id == first_event)
        .outerjoin(Track1Body, Track1Body.id == UptakeEvent.track1_body_id)
        .outerjoin(Network, Network.id == network)  # by an expression: SQLite scans the few networks
        .outerjoin(UptakeEventReference, UptakeEventReference.uptake_event_id == UptakeEvent.id)
        .outerjoin(Document, Document.id == UptakeEventReference.document_id)
        .where(q.c.position <= HIGHLIGHTS_SHOWN)
    )


def _statement(f: Bound):
    """The highlights' rows, each with the report's foreword beside it (one
    row of NULL highlights when there is none): one statement for both."""
    rows = _query(f).subquery("highlight")
    preface = foreword_query(f).subquery("preface")
    anchor = select(literal(1).label("one")).subquery("anchor")
    return (select(preface, rows).select_from(anchor)
            .outerjoin(preface, true()).outerjoin(rows, true())
            .order_by(rows.c.position, rows.c.ref_position, rows.c.ref_id))


def _highlight(row) -> dict:
    stage = "implemented" if row.reached_rank == RANK_IMPLEMENTED else "adopted"
    origin = ({"kind": "workshop", "id": row.workshop_id, "title": row.workshop_title,
               "date": row.workshop_start.isoformat()} if row.workshop_id is not None else
              {"kind": "output", "id": row.output_id, "title": row.output_title, "date": row.output_date.isoformat()})
    return {
        "recommendation_id": row.rid,
        "reference": row.reference,
        "title": row.title,
        "featured": bool(row.featured),
        "network": row.network,
        "stage": stage,
        "stage_label": STAGE_LABELS[stage],
        "reached_on": row.reached_on.isoformat(),
        "origin": origin,
        "track1_body": row.body,
        "event": {
            "id": row.event_id, "title": row.event_title, "stage": row.event_stage,
            "occurred_on": row.event_on.isoformat(), "evidence_kind": row.evidence_kind,
            "excerpt": row.excerpt or "",
        },
        "attribution": row.attribution,
        "attribution_label": ATTRIBUTION_LABELS.get(row.attribution) if row.attribution else None,
        "sources": [],
    }


def highlights_and_foreword(f: Filters) -> tuple[dict, dict | None]:
    """The highlights — {"total": how many qualify, "shown": how many are
    listed, "items": [...]} — and the report's foreword (reports/foreword.py;
    None when none is written): one statement (HIGHLIGHT_STATEMENTS)."""
    items: dict[int, dict] = {}
    total, preface = 0, None
    for row in run(_statement, f):
        if preface is None and row.fw_text is not None:
            preface = foreword_dict(f, row.fw_text, row.fw_version, row.fw_updated_at)
        if row.rid is None:
            continue
        total = row.total
        item = items.get(row.rid)
        if item is None:
            item = items[row.rid] = _highlight(row)
        if row.url is not None or row.document_id is not None or row.ref_label:
            item["sources"].append({"url": row.url, "label": row.ref_label or "",
                                    "document_id": row.document_id, "filename": row.document_filename})
    return {"total": total, "shown": len(items), "items": list(items.values())}, preface


def highlights(f: Filters) -> dict:
    """The highlights alone (highlights_and_foreword)."""
    return highlights_and_foreword(f)[0]
