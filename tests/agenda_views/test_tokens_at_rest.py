"""Personal agenda links and second-factor secrets are never stored in
clear: a personal link is found by its SHA-256 and shown to organisers from
its encrypted copy; migration 0003 carries the clear values of an older
database over, and its downgrade gives them back."""

from __future__ import annotations

import hashlib

import pyotp
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from workshops.auth.operations import totp_step
from workshops.extensions import db
from workshops.models import Participation, User

CLEAR_TOKEN = "old-clear-personal-token-0001"  # noqa: S105
CLEAR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


def _raw_participation(participation_id: int) -> dict:
    row = db.session.execute(text("SELECT * FROM participation WHERE id = :id"), {"id": participation_id})
    return dict(row.mappings().one())


def test_a_personal_link_is_stored_only_hashed_and_encrypted_yet_opens_and_is_shown(client, auth, programme):
    p = programme(people=2, visibility="participants", status="published")
    someone = p.participations[0]
    token = someone.personal_token
    assert token and len(token) >= 32

    stored = _raw_participation(someone.id)
    assert token not in str(stored)
    assert stored["personal_token"] == hashlib.sha256(token.encode()).hexdigest()
    assert stored["personal_token_encrypted"].startswith("gAAAA")  # a Fernet token

    assert client.get(p.personal_url(someone)).status_code == 200
    assert client.get(p.url(kind="p", token=token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    auth.login(role="admin")
    links = client.get(f"/agenda/{p.slug}/links").get_data(as_text=True)
    assert f"/agenda/{p.slug}/p/{token}" in links


def test_links_stored_under_an_old_key_still_read_with_old_secret_keys(make_app, programme):
    p = programme(people=1, visibility="participants", status="published")
    token = p.participations[0].personal_token
    rotated = make_app(SECRET_KEY="a-new-secret-key", OLD_SECRET_KEYS=("test-secret-key",))
    with rotated.app_context():
        assert db.session.get(Participation, p.participations[0].id).personal_token == token
    forgotten = make_app(SECRET_KEY="a-new-secret-key")
    with forgotten.app_context():
        # Unreadable for the links page, but the link itself (looked up by
        # its hash, which needs no key) still opens the agenda.
        assert db.session.get(Participation, p.participations[0].id).personal_token is None
        assert forgotten.test_client().get(p.url(kind="p", token=token)).status_code == 200


def test_migration_0003_carries_clear_tokens_and_secrets_over_and_back(app, client, make, programme):
    p = programme(people=2, visibility="participants", status="published")
    someone, revoked = p.participations
    user = make.user(role="viewer", email="two-factor@example.org")
    ids = {"p": someone.id, "r": revoked.id, "u": user.id}
    old_link = f"/agenda/{p.slug}/p/{CLEAR_TOKEN}"
    item_id = p.items[0].id
    db.session.remove()

    # A database of before: tokens and secrets in clear.
    downgrade(revision="0002")
    db.session.execute(text("UPDATE participation SET personal_token = :t WHERE id = :p"),
                       {"t": CLEAR_TOKEN, "p": ids["p"]})
    db.session.execute(text("UPDATE participation SET personal_token = NULL WHERE id = :r"), {"r": ids["r"]})
    db.session.execute(text('UPDATE "user" SET totp_secret = :s WHERE id = :u'), {"s": CLEAR_SECRET, "u": ids["u"]})
    # An agenda role hanging from the participation (ON DELETE CASCADE).
    db.session.execute(text("DELETE FROM agenda_item_person"))
    db.session.execute(text("INSERT INTO agenda_item_person (id, agenda_item_id, participation_id, role, position) "
                            "VALUES (9001, :i, :p, 'chair', 0)"), {"i": item_id, "p": ids["p"]})
    db.session.commit()
    db.session.remove()

    upgrade(revision="0003")
    # 0003 copies no table: the agenda role hanging from the participation is still there.
    assert db.session.execute(text("SELECT id FROM agenda_item_person")).scalars().all() == [9001]
    db.session.remove()
    upgrade()
    stored = _raw_participation(ids["p"])
    assert CLEAR_TOKEN not in str(stored)
    assert _raw_participation(ids["r"])["personal_token"] is None
    raw_user = db.session.execute(text('SELECT * FROM "user" WHERE id = :u'), {"u": ids["u"]}).mappings().one()
    assert CLEAR_SECRET not in str(dict(raw_user))
    # The old link still opens the agenda; the organisers still see it.
    assert client.get(old_link).status_code == 200
    assert db.session.get(Participation, ids["p"]).personal_token == CLEAR_TOKEN
    # The second factor still takes the codes of the authenticator app.
    migrated = db.session.get(User, ids["u"])
    assert migrated.totp_secret == CLEAR_SECRET
    assert totp_step(migrated.totp_secret, pyotp.TOTP(CLEAR_SECRET).now()) is not None
    db.session.remove()

    downgrade(revision="0002")
    back = db.session.execute(text("SELECT personal_token FROM participation WHERE id = :p"), {"p": ids["p"]})
    assert back.scalar_one() == CLEAR_TOKEN
    secret = db.session.execute(text('SELECT totp_secret FROM "user" WHERE id = :u'), {"u": ids["u"]})
    assert secret.scalar_one() == CLEAR_SECRET
    db.session.remove()
    upgrade()
    assert db.session.get(Participation, ids["p"]).personal_token == CLEAR_TOKEN
    # Nothing that hangs from a participation was lost on the way (no table copied).
    assert client.get(old_link).status_code == 200
