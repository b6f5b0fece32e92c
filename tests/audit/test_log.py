"""The admins' audit log: every change, filterable, newest first."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, update

from tests.conftest import form_errors
from workshops.audit.models import AuditEntry
from workshops.audit.operations import unit_of_work
from workshops.extensions import db
from workshops.models import Theme


def _as(user, **theme):
    with unit_of_work(user):
        obj = Theme(**theme)
        db.session.add(obj)
    return obj


def _labels(html: str) -> list[str]:
    """The records named in the log's rows, in order."""
    return re.findall(r'(?:<strong>|<a href="[^"]*">)([^<]+)(?:</strong>|</a>)</td>', html)


@pytest.fixture
def trail(make):
    """Entries by two people on known days."""
    ann = make.user(role="organiser", name="Ann Organiser", email="ann@example.org")
    bob = make.user(role="organiser", name="Bob Organiser", email="bob@example.org")
    _as(ann, name="Climate resilience", slug="climate")
    _as(bob, name="Public health", slug="health")
    with unit_of_work(bob):
        db.session.scalar(select(Theme).where(Theme.slug == "health")).name = "Public health and pandemics"
    days = {"Climate resilience": dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC),
            "Public health": dt.datetime(2025, 2, 20, 9, tzinfo=dt.UTC),
            "Public health and pandemics": dt.datetime(2025, 3, 5, 9, tzinfo=dt.UTC)}
    for label, at in days.items():
        db.session.execute(update(AuditEntry).where(AuditEntry.object_label == label).values(at=at))
    db.session.commit()
    return {"ann": ann, "bob": bob}


def test_an_admin_reads_every_change_newest_first_with_old_and_new_values(client, auth, trail):
    auth.login(role="admin")
    response = client.get("/audit?object_type=Theme")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _labels(html) == ["Public health and pandemics", "Public health", "Climate resilience"]
    assert "<del>Public health</del> → <ins>Public health and pandemics</ins>" in html
    assert "Bob Organiser" in html and "Ann Organiser" in html and "2025-03-05 09:00" in html


def test_the_log_filters_by_person_action_dates_and_words(client, auth, trail):
    auth.login(role="admin")

    def labels(query):
        response = client.get("/audit?object_type=Theme&" + query)
        assert response.status_code == 200, query
        return _labels(response.get_data(as_text=True))

    assert labels(f"user={trail['ann'].id}") == ["Climate resilience"]
    assert labels("action=update") == ["Public health and pandemics"]
    assert labels("action=create") == ["Public health", "Climate resilience"]
    assert labels("date_from=2025-02-01&date_to=2025-02-28") == ["Public health"]
    assert labels("date_from=2025-02-20") == ["Public health and pandemics", "Public health"]
    assert labels("date_to=2025-01-10") == ["Climate resilience"]
    assert labels("q=HEALTH+pandemics") == ["Public health and pandemics"]
    system_only = client.get("/audit?user=system").get_data(as_text=True)
    assert "system: test" in system_only
    assert not {"Climate resilience", "Public health"} & set(_labels(system_only))


def test_bad_dates_get_a_message_and_the_rest_of_the_filter_still_works(client, auth, trail):
    auth.login(role="admin")
    response = client.get("/audit?object_type=Theme&date_from=31/02/2025&q=%00%3Cb%3E")
    assert response.status_code == 200
    assert any("YYYY-MM-DD" in e for e in form_errors(response.get_data(as_text=True)))
    response = client.get("/audit?object_type=Theme&date_from=2025-03-01&date_to=2025-01-01")
    html = response.get_data(as_text=True)
    assert "This is before the “From” date; it was ignored." in form_errors(html)
    assert _labels(html) == ["Public health and pandemics"]


def test_the_log_is_paginated(app, client, auth, trail):
    auth.login(role="admin")
    app.config["PAGE_SIZE"] = 2
    first = client.get("/audit?object_type=Theme").get_data(as_text=True)
    assert _labels(first) == ["Public health and pandemics", "Public health"]
    assert "3 entries · page 1 of 2" in first
    second = client.get("/audit?object_type=Theme&page=2").get_data(as_text=True)
    assert _labels(second) == ["Climate resilience"]


def test_only_admins_may_read_the_log(client, auth, trail):
    assert "/login" in client.get("/audit").headers["Location"]
    auth.login(trail["ann"])
    assert client.get("/audit").status_code == 403
    auth.logout()
    auth.login(role="viewer")
    assert client.get("/audit?object_type=Theme").status_code == 403
    assert "Audit log" not in client.get("/recommendations").get_data(as_text=True)


def test_entries_link_to_the_object_while_it_exists(client, auth, make):
    auth.login(role="admin")
    rec = make.recommendation(title="Linked recommendation")
    html = client.get("/audit?object_type=Recommendation").get_data(as_text=True)
    assert f'<a href="/recommendations/{rec.id}">Linked recommendation</a>' in html
