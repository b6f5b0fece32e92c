"""`flask --app wsgi create-token EMAIL --name NAME` prints a new API token
of that user for a script: the same operation as the tokens page, audited;
an unknown or deactivated account gets one line on stderr and exit code 1."""

from __future__ import annotations

from sqlalchemy import select

from workshops.audit.models import AuditEntry
from workshops.auth.models import ApiToken
from workshops.extensions import db

from ..conftest import count


def test_the_printed_token_authorises_the_api(app, client, make):
    user = make.user(role="organiser", email="scripts@example.org", name="Archive Bot")
    result = app.test_cli_runner().invoke(args=["create-token", "Scripts@Example.org", "--name", "Archive import"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("t2w_") and "\n" not in secret  # stdout holds the token alone: TOKEN=$(flask …)
    assert "Archive import" in result.stderr

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.get_json()["email"] == "scripts@example.org"
    token = db.session.scalar(select(ApiToken))
    assert (token.user_id, token.name) == (user.id, "Archive import")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "ApiToken"))
    assert entry.action == "create" and entry.actor == "system: create-token"
    assert entry.note == "API token created" and secret not in str(entry.changes)


def test_an_unknown_or_deactivated_account_gets_no_token(app, make):
    make.user(email="gone@example.org", active=False)
    runner = app.test_cli_runner()
    for email, says in [("nobody@example.org", "There is no user with the email nobody@example.org."),
                        ("gone@example.org", "The account gone@example.org is deactivated")]:
        result = runner.invoke(args=["create-token", email, "--name", "Script"])
        assert result.exit_code == 1
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1 and says in result.stderr
    empty = runner.invoke(args=["create-token", "gone@example.org"])
    assert empty.exit_code == 2  # --name is required
    assert count(ApiToken) == 0


def test_the_rules_of_the_tokens_page_apply(app, make):
    make.user(email="scripts@example.org")
    result = app.test_cli_runner().invoke(args=["create-token", "scripts@example.org", "--name", "  "])
    assert result.exit_code == 1 and "Name the token" in result.stderr
    assert count(ApiToken) == 0
