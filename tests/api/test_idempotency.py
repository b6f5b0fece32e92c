"""`Idempotency-Key` on the API's POSTs: a retry of a request whose answer
was lost gets the first answer and saves nothing twice; the key is written
in the write's own transaction, so a refused or rolled-back write leaves
none; the same key for another request is refused naming the header."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import create_engine, func, insert, select, update

from workshops.api.models import IdempotencyKey
from workshops.audit.models import AuditEntry
from workshops.extensions import db
from workshops.models import Recommendation, UptakeEvent
from workshops.outcomes import operations as outcomes_ops

KEY = "4f1d2c3b-9a8e-4c7d-b6a5-0e1f2a3b4c5d"
NEW = {"title": "A standing HADR coordination cell", "text": "The meeting recommends a standing cell."}


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_retry_with_the_same_key_gets_the_first_answer_and_saves_nothing_twice(api, world):
    caller = api.as_role("organiser", networks=[world.network])
    path = f"/workshops/{world.workshop.id}/recommendations"
    first = caller.post(path, json=NEW, headers={"Idempotency-Key": KEY})
    assert first.status_code == 201, first.get_data(as_text=True)
    entries = _count(AuditEntry)
    retry = caller.post(path, json=dict(reversed(NEW.items())), headers={"Idempotency-Key": KEY})
    assert retry.status_code == 201
    assert retry.get_json() == first.get_json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.mimetype == "application/json"
    assert _count(Recommendation) == 1
    assert _count(AuditEntry) == entries  # nothing written, not even a trace

    # Keys are a user's own: another user's same key is another request.
    other = api.as_role("admin").post(path, json=NEW, headers={"Idempotency-Key": KEY})
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]
    # Without a key, the same body is a new recommendation, as before.
    assert caller.post(path, json=NEW).status_code == 201
    assert _count(Recommendation) == 3


def test_the_same_key_with_another_body_is_refused_naming_the_header(api, world):
    caller = api.as_role("organiser", networks=[world.network])
    path = f"/workshops/{world.workshop.id}/recommendations"
    assert caller.post(path, json=NEW, headers={"Idempotency-Key": KEY}).status_code == 201
    other = caller.post(path, json={**NEW, "title": "Something else"}, headers={"Idempotency-Key": KEY})
    assert other.status_code == 422 and other.mimetype == "application/problem+json"
    assert list(other.get_json()["errors"]) == ["Idempotency-Key"]
    rec_id = db.session.scalar(select(Recommendation.id))
    elsewhere = caller.post(f"/recommendations/{rec_id}/events", headers={"Idempotency-Key": KEY}, json={
        "stage": "transmitted", "evidence_kind": "document", "title": "Memo", "occurred_on": "2025-06-20"})
    assert elsewhere.status_code == 422 and "Idempotency-Key" in elsewhere.get_json()["errors"]
    assert _count(Recommendation) == 1 and _count(UptakeEvent) == 0


def test_a_malformed_key_is_a_400_naming_the_header(api, world):
    caller = api.as_role("admin")
    path = f"/workshops/{world.workshop.id}/recommendations"
    for key in ("", "x" * 201, "späti", "two words"):
        response = caller.post(path, json=NEW, headers={"Idempotency-Key": key})
        assert response.status_code == 400, key
        assert "Idempotency-Key" in response.get_json()["errors"]
    assert _count(Recommendation) == 0


def test_a_refused_or_rolled_back_write_leaves_the_key_free(api, world, monkeypatch):
    caller = api.as_role("organiser", networks=[world.network])
    path = f"/workshops/{world.workshop.id}/recommendations"
    refused = caller.post(path, json={**NEW, "title": "   "}, headers={"Idempotency-Key": KEY})
    assert refused.status_code == 422 and "title" in refused.get_json()["errors"]
    assert _count(IdempotencyKey) == 0

    # A write that fails at its commit (after the key was added to it).
    real = outcomes_ops.create_recommendation

    def fails_at_commit(actor, workshop, data):
        monkeypatch.setattr(db.session, "commit", _failing_commit(db.session.commit))
        return real(actor, workshop, data)

    monkeypatch.setattr(outcomes_ops, "create_recommendation", fails_at_commit)
    broken = caller.post(path, json=NEW, headers={"Idempotency-Key": KEY})
    assert broken.status_code == 500
    monkeypatch.undo()
    db.session.rollback()
    assert _count(IdempotencyKey) == 0 and _count(Recommendation) == 0

    retried = caller.post(path, json=NEW, headers={"Idempotency-Key": KEY})
    assert retried.status_code == 201
    assert _count(Recommendation) == 1 and _count(IdempotencyKey) == 1


def _failing_commit(commit):
    def failing():
        db.session.flush()
        db.session.connection()  # the key's insert runs in before_commit: make it run, then fail
        db.session.dispatch.before_commit(db.session)
        raise RuntimeError("the database went away at the commit")
    return failing


def test_keys_are_kept_for_a_day(api, world):
    caller = api.as_role("organiser", networks=[world.network])
    path = f"/workshops/{world.workshop.id}/recommendations"
    assert caller.post(path, json=NEW, headers={"Idempotency-Key": KEY}).status_code == 201
    db.session.execute(update(IdempotencyKey).values(
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)))
    db.session.commit()
    again = caller.post(path, json=NEW, headers={"Idempotency-Key": KEY})
    assert again.status_code == 201
    assert _count(Recommendation) == 2 and _count(IdempotencyKey) == 1


def test_a_request_that_lost_the_race_for_its_key_answers_as_the_winner_did(api, world, database_url, monkeypatch):
    """Two requests with one key at once: while this one is writing, another
    (here: a second connection) commits the same key with its answer. This
    one's commit then fails on the unique key, its write is rolled back, and
    it answers with the winner's answer."""
    caller = api.as_role("organiser", networks=[world.network])
    path = f"/workshops/{world.workshop.id}/recommendations"
    winner_answer = '{"id": 999, "title": "saved by the winner"}'
    real = outcomes_ops.create_recommendation

    def meanwhile(actor, workshop, data):
        engine = create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(insert(IdempotencyKey).values(
                user_id=caller.user.id, key=KEY, request_hash=_hash_of_the_request(), status=201,
                location="http://localhost/api/v1/recommendations/999", body=winner_answer,
                created_at=dt.datetime.now(dt.UTC)))
        engine.dispose()
        return real(actor, workshop, data)

    monkeypatch.setattr(outcomes_ops, "create_recommendation", meanwhile)
    response = caller.post(path, json=NEW, headers={"Idempotency-Key": KEY})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_data(as_text=True) == winner_answer
    assert response.headers["Location"].endswith("/recommendations/999")
    assert _count(Recommendation) == 0  # the loser's write was rolled back with its key


def _hash_of_the_request() -> str:
    from workshops.api.idempotency import _request_hash

    return _request_hash()  # called inside the request being answered
