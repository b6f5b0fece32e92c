"""What the archive puts in, the API gives back unchanged: every meeting's
and recommendation's fields as the file wrote them (dates in their
precision), read through GET /api/v1/… after the import."""

from __future__ import annotations

import csv

from sqlalchemy import select

from workshops.core.partial_dates import parse_partial_date
from workshops.extensions import db
from workshops.models import Recommendation, Workshop
from workshops.outputs.models import Output

from ..api.conftest import api  # noqa: F401  (the fixture)
from .test_import import ARCHIVE, the_cli


def split(cell: str) -> list[str]:
    return [p.strip() for p in cell.replace("\n", "|").split("|") if p.strip()]


def test_the_api_returns_the_imported_records_as_the_file_wrote_them(app, api, registries, tmp_path):  # noqa: F811
    path = tmp_path / "archive.csv"
    path.write_bytes(ARCHIVE.read_bytes())
    assert the_cli(app, str(path)).exit_code == 0
    caller, admin = api.as_role("viewer"), api.as_role("admin")
    with ARCHIVE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    workshops = {w.title: w.id for w in db.session.scalars(select(Workshop))}
    acronyms = {i.id: i.acronym for i in registries_institutes()}
    checked_meetings = checked_events = 0
    outputs_seen: set[str] = set()
    for row in rows:
        if row["meeting_title"] and row["country"]:  # the row that describes the meeting
            body = caller.get(f"/workshops/{workshops[row['meeting_title']]}").get_json()
            when = parse_partial_date(row["meeting_date"])
            assert (body["title"], body["network"]["acronym"], body["city"]) == (
                row["meeting_title"], row["network"], row["city"])
            assert (body["start_date"], body["date_precision"], body["approximate"]) == (
                when.first_day.isoformat(), when.precision, when.approximate), row["meeting_title"]
            if row["meeting_end_date"]:
                assert body["end_date"] == parse_partial_date(row["meeting_end_date"]).first_day.isoformat()
            assert (body["series"] or {}).get("name", "") == row["series"]
            roles = sorted((r["role"], acronyms[r["institute_id"]]) for r in body["institutes"])
            wanted = sorted([("host", h) for h in split(row["hosts"])] + [("funder", h) for h in split(row["funders"])]
                            + [("co_organiser", h) for h in split(row["co_organisers"])])
            assert roles == wanted, row["meeting_title"]
            if row["chairs"]:
                listed = admin.get(f"/workshops/{workshops[row['meeting_title']]}/participants").get_json()["items"]
                assert sorted((p["person"]["name"], p["role"]) for p in listed) == sorted(
                    (name, "chair") for name in split(row["chairs"]))
            checked_meetings += 1
        if row["output_title"] and row["output_title"] not in outputs_seen:
            outputs_seen.add(row["output_title"])
            output_id = db.session.scalar(select(Output.id).where(Output.title == row["output_title"]))
            body = caller.get(f"/outputs/{output_id}").get_json()
            when = parse_partial_date(row["output_date"])
            assert (body["title"], body["network"]["acronym"], body["url"]) == (
                row["output_title"], row["network"], row["output_link"])
            assert (body["date"], body["date_precision"], body["approximate"]) == (
                when.first_day.isoformat(), when.precision, when.approximate), row["output_title"]
            assert bool(body["workshop_ids"]) == bool(row["meeting_title"])
        if row["event_stage"]:
            rec_id = db.session.scalar(select(Recommendation.id).where(
                Recommendation.reference == row["recommendation_ref"])) if row["recommendation_ref"] else \
                db.session.scalar(select(Recommendation.id).where(
                    Recommendation.title == row["recommendation_title"]))
            body = caller.get(f"/recommendations/{rec_id}").get_json()
            if row["recommendation_title"]:
                assert body["title"] == row["recommendation_title"]
                assert body["text"] == (row["recommendation_text"] or row["recommendation_title"])
            assert body["network"]["acronym"] == row["network"]
            assert (body["workshop"] is None) == (not row["meeting_title"])
            assert (body["output_id"] is None) == (not row["output_title"])
            when = parse_partial_date(row["event_date"])
            matching = [e for e in body["events"] if e["stage"] == row["event_stage"]]
            assert len(matching) == 1, row
            event = matching[0]
            assert (event["occurred_on"], event["date_precision"], event["approximate"]) == (
                when.first_day.isoformat(), when.precision, when.approximate)
            assert event["track1_body"]["acronym"] == row["track1_body"]
            assert event["evidence_kind"] == (row["evidence_kind"] or "document")
            assert event["attribution"] == (row["attribution"] or None)
            assert event["confirmed"] is (row["confirmed"] != "no")
            assert [r["url"] or r["label"] for r in event["references"]] == split(row["references"])
            assert all((r["url"] is None) == (not p.startswith("https://"))
                       for r, p in zip(event["references"], split(row["references"]), strict=True))
            checked_events += 1
    assert checked_meetings >= 20 and checked_events == 21 and len(outputs_seen) == 12


def registries_institutes():
    from workshops.models import MemberInstitute

    return db.session.scalars(select(MemberInstitute))
