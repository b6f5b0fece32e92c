"""The demo data a Southeast Asia specialist would recognise."""

import datetime as dt

from sqlalchemy import func, select

from workshops.demo import load
from workshops.extensions import db
from workshops.models import Network, Person, Recommendation, Track1Body, UptakeEvent, Workshop
from workshops.outcomes.progress import stale_condition
from workshops.vocab import STAGES


def test_demo_data_covers_what_every_page_needs(app):
    load()
    assert {n.acronym for n in db.session.scalars(select(Network))} == {"CSCAP", "NADI", "ASEAN-ISIS"}
    workshops = db.session.scalars(select(Workshop)).all()
    assert len(workshops) >= 8
    assert len({w.timezone for w in workshops}) >= 5
    assert {w.start_date.year for w in workshops} >= {2024, 2025, 2026}
    assert all(w.agenda_items for w in workshops)
    assert db.session.scalar(select(func.count(Person.id))) >= 50
    assert db.session.scalar(select(func.count(Recommendation.id))) >= 25
    reached = set(db.session.scalars(select(UptakeEvent.stage).distinct()))
    assert reached >= set(STAGES[1:])
    assert db.session.scalar(select(func.count(Recommendation.id)).where(Recommendation.closed_as.isnot(None))) >= 2
    assert db.session.scalar(select(func.count(Recommendation.id)).where(stale_condition(dt.date(2026, 11, 23)))) >= 3
    names = {b.name for b in db.session.scalars(select(Track1Body))}
    assert "China–Vietnam 3+3 strategic dialogue (diplomacy, defence, public security)" in names
    assert "US–Japan Security Consultative Committee (2+2)" in names


def test_make_run_the_login_page_and_the_readme_name_every_demo_login(app, make_app):
    from pathlib import Path

    from workshops.models import User

    load()
    emails = set(db.session.scalars(select(User.email)))
    assert len(emails) == 4
    root = Path(__file__).resolve().parents[2]
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    run_target = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    readme = (root / "README.md").read_text(encoding="utf-8")
    login_page = make_app(DEMO_LOGIN=True).test_client().get("/login").get_data(as_text=True)
    for email in emails:
        assert email in run_target, email
        assert email in login_page, email
        assert f"`{email}`" in readme, email
    assert "make run PORT=" in readme


def test_make_screenshots_is_the_one_target_that_rewrites_the_readme_screenshots():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\nscreenshots:", 1)[1].split("\n\n", 1)[0]
    assert "SCREENSHOTS=1" in target
    assert "SCREENSHOTS=1" not in makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "make screenshots" in (root / "README.md").read_text(encoding="utf-8")


def test_a_demo_loaded_after_its_coming_workshops_began_still_has_them_to_come(app, monkeypatch):
    """The story is told from 1 November 2026; loaded later, its coming workshops move forward by
    whole weeks (the weekday kept), so there is still a workshop to invite people to."""
    from workshops.demo import loader

    later = dt.date(2027, 5, 4)
    monkeypatch.setattr(loader, "_today", lambda: later)
    load()
    coming = db.session.scalar(select(Workshop).where(Workshop.slug == "nadi-hadr-2026"))
    assert coming.start_date > later and coming.start_date.weekday() == dt.date(2026, 12, 8).weekday()
    assert (coming.start_date - dt.date(2026, 12, 8)).days % 7 == 0
    assert all(item.starts_at.date() >= coming.start_date - dt.timedelta(days=1) for item in coming.agenda_items)
    held = db.session.scalar(select(Workshop).where(Workshop.slug == "apr-2026"))
    assert held.start_date == dt.date(2026, 6, 9)  # a held workshop keeps its day


def test_a_demo_loaded_before_its_coming_workshops_keeps_the_story_dates(app, monkeypatch):
    from workshops.demo import loader

    monkeypatch.setattr(loader, "_today", lambda: dt.date(2026, 12, 2))
    load()
    assert db.session.scalar(select(Workshop.start_date).where(Workshop.slug == "nadi-hadr-2026")) == dt.date(2026, 12, 8)
