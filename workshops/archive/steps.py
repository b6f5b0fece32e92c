"""One archive row, step by step: its network, its meeting and/or output,
its recommendation and its uptake event, each found by its identity
(lookups.py) or created by the capability's own operation with plain
data, exactly as its form or the API would. An operation's refusal is
the row's problem at the column that holds the refused value."""

from __future__ import annotations

from collections.abc import Callable

from ..auth.access import can_edit
from ..core.countries import country_code
from ..core.partial_dates import DateInvalid, PartialDate, parse_partial_date
from ..errors import Invalid
from ..extensions import db
from ..outcomes import operations as outcomes
from ..outputs import operations as outputs
from ..people import operations as people
from ..people import queries as people_queries
from ..programme import operations as programme
from ..vocab import STAGE_LABELS
from . import lookups
from .columns import split_list

# Which column holds the value an operation's field names.
MEETING_FIELDS = {"title": "meeting_title", "slug": "meeting_title", "start_date": "meeting_date",
                  "end_date": "meeting_end_date", "date_precision": "meeting_date", "approximate": "meeting_date",
                  "series": "series", "host": "hosts", "hosts": "hosts", "co_organisers": "co_organisers",
                  "funders": "funders", "institutes": "hosts", "network": "network", "networks": "co_networks",
                  "city": "city", "country": "country", "timezone": "timezone"}
OUTPUT_FIELDS = {"kind": "output_kind", "title": "output_title", "date": "output_date",
                 "date_precision": "output_date", "approximate": "output_date", "url": "output_link",
                 "network": "network", "series": "series", "series_id": "series", "workshop_ids": "meeting_title"}
RECOMMENDATION_FIELDS = {"title": "recommendation_title", "text": "recommendation_text",
                         "reference": "recommendation_ref", "priority": "priority", "workshop": "meeting_title",
                         "output_id": "output_title", "output": "output_title"}
EVENT_FIELDS = {"occurred_on": "event_date", "date_precision": "event_date", "approximate": "event_date",
                "stage": "event_stage", "evidence_kind": "evidence_kind", "track1_body_id": "track1_body",
                "title": "event_title", "reference": "references", "references": "references",
                "excerpt": "excerpt", "attribution": "attribution", "confirmed": "confirmed"}


class RowStop(Invalid):
    """The row cannot go on: its problems are recorded."""

    def __init__(self):
        super().__init__({})


class Steps:
    def __init__(self, actor, result):
        self.actor = actor
        self.result = result
        self.made_in_row: dict[tuple[str, int], int] = {}  # (kind, id) → the row that created it

    # ------------------------------------------------------------- helpers

    def _call(self, row, fields: dict[str, str], fallback: str, operation: Callable, *args):
        try:
            return operation(*args)
        except Invalid as exc:
            for key, message in (exc.errors or {"": str(exc)}).items():
                row.problem(fields.get(key.split("[")[0], fallback), message)
            raise RowStop from exc

    def _one(self, row, column: str, found: list, what: str, text: str):
        if not found:
            row.problem(column, f"No {what} “{text[:80]}” is registered.")
            return None
        if len(found) > 1:
            row.problem(column, f"“{text[:80]}” is ambiguous: {len(found)} {what}s match it.")
            return None
        return found[0]

    def _seen(self, row, kind: str, obj, noun: str) -> None:
        made = self.made_in_row.get((kind, obj.id))
        if made is None:
            row.outcome.append(f"{noun} already recorded")
            self.result.existing[kind] += 1
        elif made != row.number:
            row.outcome.append(f"{noun} of row {made}")

    def _made(self, row, kind: str, obj, noun: str) -> None:
        if obj.id is None:  # not flushed yet (an output, a recommendation, an event): its id is needed
            db.session.flush()
        self.made_in_row[(kind, obj.id)] = row.number
        self.result.created[kind] += 1
        row.outcome.append(f"New {noun.lower()}")

    # ------------------------------------------------------------- the row

    def row(self, row) -> None:
        raw = row.raw
        network = self._one(row, "network", lookups.networks(raw["network"]), "network", raw["network"]) \
            if raw["network"] else row.problem("network", "Name the network (its acronym or name).")
        if network is not None and not lookups_may_edit(self.actor, network):
            row.problem("network", f"You do not organise {network.acronym}, so you cannot import its records.")
        has_meeting = bool(raw["meeting_title"] or raw["meeting_date"])
        has_output = bool(raw["output_title"] or raw["output_kind"] or raw["output_date"])
        if not has_meeting and not has_output:
            row.problem("meeting_title", "Name the meeting (title and date) or the output (kind, title and "
                                         "date) this row's recommendation comes from.")
        has_event = bool(raw["event_stage"] or raw["event_date"] or raw["track1_body"])
        has_rec = bool(raw["recommendation_title"] or raw["recommendation_ref"])
        if has_event and not has_rec:
            row.problem("recommendation_title", "An uptake event needs its recommendation: give its title or "
                                                "reference.")
        if row.problems:
            self.check_cells(row)  # every problem of the row at once, not only the first
            raise RowStop
        meeting = self.meeting(row, network) if has_meeting else None
        if meeting is not None and raw["chairs"]:
            self.chairs(row, meeting)
        output = self.output(row, network, meeting) if has_output else None
        rec = self.recommendation(row, meeting, output) if has_rec else None
        if has_event:
            self.event(row, rec)

    def check_cells(self, row) -> None:
        """The cells that need no record to be checked: dates and the closed lists."""
        raw = row.raw
        for column in ("meeting_date", "meeting_end_date", "output_date", "event_date"):
            parse_date(row, column, required=False)
        for column, read in (("event_stage", lookups.stage), ("evidence_kind", lookups.evidence_kind),
                             ("output_kind", lookups.output_kind), ("priority", lookups.priority),
                             ("attribution", lookups.attribution), ("confirmed", lookups.yes_no)):
            if raw[column] and read(raw[column]) is None:
                row.problem(column, f"Unknown {column.replace('_', ' ')} “{raw[column][:40]}”.")

    # ------------------------------------------------------------- meeting

    def meeting(self, row, network):
        raw = row.raw
        if not raw["meeting_title"]:
            row.problem("meeting_title", "Give the meeting's title.")
        first = parse_date(row, "meeting_date", required=True)
        if row.problems:
            raise RowStop
        found = lookups.meetings(network, raw["meeting_title"], first.first_day)
        if len(found) > 1:
            row.problem("meeting_title", f"{len(found)} meetings of {network.acronym} have this title and date: "
                                         "the row cannot tell which one it means.")
            raise RowStop
        if found:
            self._seen(row, "meeting", found[0], "Meeting")
            return found[0]
        data = self.meeting_data(row, network, first)
        workshop = self._call(row, MEETING_FIELDS, "meeting_title", programme.create_workshop, self.actor, data)
        self._call(row, MEETING_FIELDS, "meeting_title", programme.set_workshop_status, self.actor, workshop,
                   "published", None)
        self._made(row, "meeting", workshop, "Meeting")
        return workshop

    def meeting_data(self, row, network, first) -> dict:
        raw = row.raw
        data = {"title": raw["meeting_title"], "start_date": first.first_day.isoformat(),
                "date_precision": first.precision, "approximate": first.approximate,
                "city": raw["city"], "country": raw["country"], "format": "in_person",
                "visibility": "participants", "chatham_house": True, "network": network.id}
        if raw["meeting_end_date"]:
            last = parse_date(row, "meeting_end_date", required=False)
            if last is not None and (first.precision != "day" or last.precision != "day"):
                row.problem("meeting_end_date", "A last day needs a first day known to the day; leave it empty "
                                                "for a meeting known to the month or the year.")
            elif last is not None:
                data["end_date"] = last.first_day.isoformat()
        code = country_code(raw["country"]) if raw["country"] else None
        data["timezone"] = raw["timezone"] or lookups.COUNTRY_ZONES.get(code or "", "UTC")
        if raw["series"]:
            found = self._one(row, "series", lookups.series(network, raw["series"]), "series", raw["series"])
            data["series"] = found.id if found is not None else None
        data["networks"] = [n.id for n in (self._one(row, "co_networks", lookups.networks(t), "network", t)
                                           for t in split_list(raw["co_networks"])) if n is not None]
        data["institutes"] = []
        for column, role in (("hosts", "host"), ("co_organisers", "co_organiser"), ("funders", "funder")):
            for text in split_list(raw[column]):
                institute = self._one(row, column, lookups.institutes(text), "institute", text)
                if institute is not None:
                    data["institutes"].append({"institute_id": institute.id, "role": role})
        if row.problems:
            raise RowStop
        return data

    def chairs(self, row, meeting) -> None:
        """Each name a chair of the meeting (a participation: chair, attended),
        through the people capability's add_participant and its rule on
        similar names."""
        seated = people_queries.participant_person_ids(meeting)
        for name in split_list(row.raw["chairs"]):
            found = lookups.people_named(name)
            if len(found) > 1:
                row.problem("chairs", f"“{name[:80]}” is ambiguous: {len(found)} people are recorded under this "
                                      "name. Tell them apart in the people directory first.")
                raise RowStop
            if found and found[0].id in seated:
                self._seen(row, "chair", found[0], "Chair")
                continue
            data = {"role": "chair", "status": "attended"}
            participation = self._call(
                row, {"different_person": "chairs", "person_id": "chairs", "full_name": "chairs"}, "chairs",
                lambda d=data, f=found, n=name: people.add_participant(
                    self.actor, meeting, d, person=f[0] if f else None,
                    new_person=None if f else {"full_name": n}))
            seated = seated | {participation.person_id}
            self._made(row, "chair", participation.person, "Chair")

    # ------------------------------------------------------------- output

    def output(self, row, network, meeting):
        raw = row.raw
        kind = lookups.output_kind(raw["output_kind"]) if raw["output_kind"] else "memorandum"
        if kind is None:
            row.problem("output_kind", f"Unknown kind of output “{raw['output_kind'][:40]}”: use "
                                       f"{', '.join(lookups.OUTPUT_SPELLINGS)}.")
        if not raw["output_title"]:
            row.problem("output_title", "Give the output's title.")
        when = parse_date(row, "output_date", required=True)
        if row.problems:
            raise RowStop
        found = lookups.outputs(network, kind, raw["output_title"], when.first_day)
        if len(found) > 1:
            row.problem("output_title", f"{len(found)} outputs of {network.acronym} have this kind, title and "
                                        "date: the row cannot tell which one it means.")
            raise RowStop
        if found:
            self._seen(row, "output", found[0], "Output")
            return found[0]
        data = {"kind": kind, "title": raw["output_title"], "date": when, "network": network.id,
                "url": raw["output_link"], "workshop_ids": [meeting.id] if meeting is not None else []}
        if raw["series"]:
            series = self._one(row, "series", lookups.series(network, raw["series"]), "series", raw["series"])
            if series is None:
                raise RowStop
            data["series_id"] = series.id
        output = self._call(row, OUTPUT_FIELDS, "output_title", outputs.create_output, self.actor, data)
        self._made(row, "output", output, "Output")
        return output

    # ------------------------------------------------------------- recommendation

    def recommendation(self, row, meeting, output):
        raw = row.raw
        found = []
        if raw["recommendation_ref"]:
            found = lookups.recommendations_by_reference(raw["recommendation_ref"])
        elif meeting is not None:
            found = lookups.recommendations_from(outcomes.Recommendation.workshop_id, meeting.id,
                                                 raw["recommendation_title"])
        elif output is not None:
            found = lookups.recommendations_from(outcomes.Recommendation.output_id, output.id,
                                                 raw["recommendation_title"])
        if len(found) > 1:
            row.problem("recommendation_ref" if raw["recommendation_ref"] else "recommendation_title",
                        f"{len(found)} recommendations match: the row cannot tell which one it means.")
            raise RowStop
        if found and not _from_source(found[0], meeting, output):
            rec = found[0]
            origin = rec.workshop.title if rec.workshop is not None else rec.output.title
            row.problem("recommendation_ref", f"{raw['recommendation_ref'][:40]} is already the reference of "
                                              f"“{rec.title[:80]}” from “{origin[:80]}”, not of this row's "
                                              "meeting or output; give this recommendation its own reference.")
            raise RowStop
        if found:
            self._seen(row, "recommendation", found[0], "Recommendation")
            return found[0]
        if not raw["recommendation_title"]:
            row.problem("recommendation_title", "No recommendation has this reference yet: give its title to "
                                                "record it.")
            raise RowStop
        priority = lookups.priority(raw["priority"]) if raw["priority"] else "medium"
        if priority is None:
            row.problem("priority", f"Unknown priority “{raw['priority'][:40]}”: use high, medium or low.")
            raise RowStop
        data = {"title": raw["recommendation_title"], "text": raw["recommendation_text"] or raw["recommendation_title"],
                "reference": raw["recommendation_ref"], "priority": priority,
                "output_id": output.id if output is not None else None}
        rec = self._call(row, RECOMMENDATION_FIELDS, "recommendation_title", outcomes.create_recommendation,
                         self.actor, meeting, data)
        self._made(row, "recommendation", rec, "Recommendation")
        return rec

    # ------------------------------------------------------------- uptake event

    def event(self, row, rec) -> None:
        raw = row.raw
        stage = lookups.stage(raw["event_stage"]) if raw["event_stage"] else None
        if stage is None:
            row.problem("event_stage", f"Unknown stage “{raw['event_stage'][:40]}”: use transmitted, acknowledged, "
                                       "adopted or implemented." if raw["event_stage"] else "Give the stage.")
        day = parse_date(row, "event_date", required=True)
        body = None
        if raw["track1_body"]:
            body = self._one(row, "track1_body", lookups.track1_bodies(raw["track1_body"]), "Track-1 body",
                             raw["track1_body"])
        kind = lookups.evidence_kind(raw["evidence_kind"]) if raw["evidence_kind"] else "document"
        if kind is None:
            row.problem("evidence_kind", f"Unknown evidence kind “{raw['evidence_kind'][:40]}”: use document, "
                                         "statement, meeting or press.")
        attribution = lookups.attribution(raw["attribution"]) if raw["attribution"] else None
        if raw["attribution"] and attribution is None:
            row.problem("attribution", f"Unknown attribution “{raw['attribution'][:40]}”: use explicit, "
                                       "paraphrase or thematic.")
        confirmed = lookups.yes_no(raw["confirmed"]) if raw["confirmed"] else True
        if confirmed is None:
            row.problem("confirmed", f"“{raw['confirmed'][:30]}” in confirmed is not yes or no.")
        if row.problems:
            raise RowStop
        found = lookups.events(rec, stage, day.first_day, body)
        if found:
            self._seen(row, "uptake event", found[0], "Uptake event")
            return
        title = raw["event_title"] or (f"{STAGE_LABELS[stage]} by {body.label}" if body else STAGE_LABELS[stage])
        data = {"stage": stage, "occurred_on": day.first_day.isoformat(), "date_precision": day.precision,
                "approximate": day.approximate, "track1_body_id": body.id if body else None,
                "evidence_kind": kind, "title": title, "excerpt": raw["excerpt"],
                "references": [_reference(text) for text in split_list(raw["references"])],
                "attribution": attribution, "confirmed": confirmed}
        event = self._call(row, EVENT_FIELDS, "event_stage", outcomes.add_uptake_event, self.actor, rec, data)
        self._made(row, "uptake event", event, "Uptake event")


def _reference(text: str) -> dict:
    """A source as the file writes it: a web address, or a label alone (a
    document symbol, a document's name)."""
    looks_like_link = text.lower().startswith(("http:", "https:", "www."))
    return {"url": text} if looks_like_link else {"label": text}


def _from_source(rec, meeting, output) -> bool:
    """Whether the row's meeting or output is where the recommendation comes from."""
    return (meeting is not None and rec.workshop_id == meeting.id) or \
        (output is not None and rec.output_id == output.id)


def lookups_may_edit(actor, network) -> bool:
    return can_edit(network.id, actor)


def parse_date(row, column: str, *, required: bool) -> PartialDate | None:
    """The cell's date in the loose notation (core/partial_dates.py), or a problem."""
    text = row.raw.get(column, "")
    if not text:
        if required:
            row.problem(column, "Give the date.")
        return None
    try:
        return parse_partial_date(text)
    except DateInvalid as exc:
        row.problem(column, str(exc))
        return None
