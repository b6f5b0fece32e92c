"""Themes are data: admins create, rename and merge them on the themes page
(workshops/programme/operations_themes.py); nothing but the demo seeds them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from workshops.audit.operations import Conflict
from workshops.db import Base
from workshops.extensions import db
from workshops.models import Recommendation, Theme, Workshop
from workshops.programme import operations
from workshops.programme.queries_themes import taggings

from .helpers import audit_entries, count, field_errors, flashes, fresh

ROOT = Path(__file__).resolve().parents[2]


def test_the_themes_page_lists_themes_with_what_carries_them(client, make, auth):
    hadr = make.theme(name="HADR", slug="hadr")
    make.theme(name="Cyber security", slug="cyber")
    workshop = make.workshop(themes=[hadr])
    make.recommendation(workshop=workshop, themes=[hadr])
    make.recommendation(workshop=workshop, themes=[hadr])
    auth.login(role="admin")

    html = client.get("/themes").get_data(as_text=True)

    assert html.index("Cyber security") < html.index("HADR")
    row = html[html.index(">HADR<"):html.index("</tr>", html.index(">HADR<"))]
    assert f'href="/workshops?theme={hadr.id}">1 workshop<' in row
    assert f'href="/recommendations?theme={hadr.id}">2 recommendations<' in row
    assert "Merge two themes" in html and 'href="/themes"' in html  # the admin's nav link


@pytest.mark.parametrize("role", ["organiser", "viewer"])
def test_only_admins_keep_themes(client, make, auth, role):
    theme = make.theme(name="HADR")
    other = make.theme(name="Disaster relief")
    auth.login(role=role)
    assert client.get("/themes").status_code == 403
    assert client.post("/themes", data={"new-name": "Cyber"}).status_code == 403
    assert client.post(f"/themes/{theme.id}/edit", data={"name": "Other"}).status_code == 403
    assert client.post("/themes/merge", data={"merge-theme": theme.id, "merge-into": other.id}).status_code == 403
    assert count(Theme) == 2 and fresh(theme).name == "HADR"
    assert 'href="/themes"' not in client.get("/workshops").get_data(as_text=True)


def test_an_admin_creates_a_theme_with_a_slug_made_from_its_name(client, auth):
    admin = auth.login(role="admin")
    response = client.post("/themes", data={"new-name": "  Maritime security ", "new-non_traditional": ""})
    assert response.status_code == 302
    theme = db.session.scalar(select(Theme))
    assert (theme.name, theme.slug, theme.non_traditional) == ("Maritime security", "maritime-security", False)
    entry, = audit_entries("Theme", "create")
    assert entry.user_id == admin.id
    assert "Theme “Maritime security” created." in flashes(client.get("/themes").get_data(as_text=True), "success")


@pytest.mark.parametrize(("name", "message"), [
    ("", "Enter the theme's name, e.g. Maritime security."),
    ("x" * 101, "at most 100"),
    ("hadr", "A theme with this name exists already"),
])
def test_bad_theme_names_are_refused_at_the_field(client, make, auth, name, message):
    make.theme(name="HADR")
    auth.login(role="admin")
    response = client.post("/themes", data={"new-name": name})
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert len(errors) == 1 and message in errors[0]
    assert count(Theme) == 1


def test_renaming_keeps_the_slug_so_links_keep_working(client, make, auth):
    theme = make.theme(name="HADR", slug="hadr")
    make.theme(name="Cyber security")
    auth.login(role="admin")
    page = client.get(f"/themes/{theme.id}/edit").get_data(as_text=True)
    assert 'value="HADR"' in page

    response = client.post(f"/themes/{theme.id}/edit", data={"name": "Cyber Security"})
    assert response.status_code == 422
    assert "A theme with this name exists already" in field_errors(response.get_data(as_text=True))[0]
    assert fresh(theme).name == "HADR"

    response = client.post(f"/themes/{theme.id}/edit", data={"name": "Humanitarian assistance and disaster relief",
                                                             "non_traditional": "y"})
    assert response.status_code == 302
    theme = fresh(theme)
    assert (theme.name, theme.slug) == ("Humanitarian assistance and disaster relief", "hadr")
    assert audit_entries("Theme", "update")[-1].changes["name"] == ["HADR", theme.name]
    report = client.get("/reports/2025?theme=hadr")
    assert report.status_code == 200
    assert "theme “Humanitarian assistance and disaster relief”" in report.get_data(as_text=True)


def test_a_fresh_theme_edit_moves_its_version_and_a_stale_one_answers_409_and_saves_nothing(client, make, auth):
    theme = make.theme(name="HADR", slug="hadr")
    auth.login(role="admin")
    page = client.get(f"/themes/{theme.id}/edit").get_data(as_text=True)
    assert re.search(r'name="version" type="hidden" value="1"', page)
    seen = {"name": "HADR", "non_traditional": "y", "version": "1"}

    response = client.post(f"/themes/{theme.id}/edit", data={**seen, "name": "Disaster relief"})
    assert response.status_code == 302
    assert (fresh(theme).name, fresh(theme).version) == ("Disaster relief", 2)

    stale = client.post(f"/themes/{theme.id}/edit", data={**seen, "name": "Humanitarian relief"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Someone else changed this record" in html and "Disaster relief" in html
    assert 'value="Humanitarian relief"' in html  # the user's text is kept
    assert re.search(r'name="version"[^>]*value="2"', html)  # the form now carries the version saved
    assert (fresh(theme).name, fresh(theme).version) == ("Disaster relief", 2)
    assert len(audit_entries("Theme", "update")) == 1

    again = client.post(f"/themes/{theme.id}/edit", data={**seen, "name": "Humanitarian relief", "version": "2"})
    assert again.status_code == 302
    assert (fresh(theme).name, fresh(theme).slug, fresh(theme).version) == ("Humanitarian relief", "hadr", 3)


def test_a_merge_over_a_theme_changed_meanwhile_saves_nothing(client, make, auth, monkeypatch):
    hadr = make.theme(name="HADR")
    relief = make.theme(name="Disaster relief")
    workshop = make.workshop(themes=[hadr])
    admin = make.user(role="admin")
    assert hadr.version == 1  # as this session read it; another admin renames it meanwhile:
    with db.engine.begin() as other:
        other.execute(update(Theme.__table__).where(Theme.__table__.c.id == hadr.id)
                      .values(name="HADR (renamed)", version=2))

    with pytest.raises(Conflict):
        operations.merge_theme(admin, {"theme": hadr.id, "into": relief.id})
    assert count(Theme) == 2 and fresh(hadr).name == "HADR (renamed)"
    assert [t.name for t in fresh(workshop).themes] == ["HADR (renamed)"]
    assert audit_entries("Theme", "delete") == []

    auth.login(role="admin")
    monkeypatch.setattr(operations, "merge_theme", lambda *_: (_ for _ in ()).throw(Conflict(None, None)))
    response = client.post("/themes/merge", data={"merge-theme": hadr.id, "merge-into": relief.id})
    assert response.status_code == 409
    assert "One of the two themes changed while you were merging; nothing was saved." in response.get_data(
        as_text=True)


def test_merging_retags_every_record_once_and_removes_the_old_theme(client, make, auth):
    hadr = make.theme(name="HADR")
    relief = make.theme(name="Disaster relief")
    cyber = make.theme(name="Cyber")
    both = make.workshop(themes=[hadr, relief])
    only_old = make.workshop(themes=[hadr, cyber])
    untouched = make.workshop(themes=[cyber])
    rec = make.recommendation(workshop=both, themes=[relief, hadr])
    old_id = hadr.id
    admin = auth.login(role="admin")

    response = client.post("/themes/merge", data={"merge-theme": hadr.id, "merge-into": relief.id})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Theme, old_id) is None
    assert [t.name for t in db.session.get(Workshop, both.id).themes] == ["Disaster relief"]
    assert [t.name for t in db.session.get(Workshop, only_old.id).themes] == ["Cyber", "Disaster relief"]
    assert [t.name for t in db.session.get(Workshop, untouched.id).themes] == ["Cyber"]
    assert [t.name for t in db.session.get(Recommendation, rec.id).themes] == ["Disaster relief"]
    deleted, = audit_entries("Theme", "delete")
    assert deleted.object_id == old_id and deleted.user_id == admin.id
    assert deleted.note == "Theme “HADR” merged into “Disaster relief”"
    retagged = [e for e in audit_entries("Workshop", "update") if e.object_id == only_old.id]
    assert retagged[-1].changes["themes"] == [["Cyber", "HADR"], ["Cyber", "Disaster relief"]]
    assert flashes(client.get("/themes").get_data(as_text=True), "success")[-1:] == [
        "Theme “HADR” merged into “Disaster relief”."]


def test_a_theme_is_not_merged_into_itself_or_into_nothing(client, make, auth):
    hadr = make.theme(name="HADR")
    make.theme(name="Cyber")
    workshop = make.workshop(themes=[hadr])
    auth.login(role="admin")

    response = client.post("/themes/merge", data={"merge-theme": hadr.id, "merge-into": hadr.id})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True)) == [
        "A theme cannot be merged into itself: pick another theme to keep."]
    response = client.post("/themes/merge", data={"merge-theme": hadr.id, "merge-into": 0})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True)) == ["Pick the theme to keep."]
    response = client.post("/themes/merge", data={"merge-theme": hadr.id, "merge-into": 999999})
    assert response.status_code == 422
    assert count(Theme) == 2 and [t.id for t in fresh(workshop).themes] == [hadr.id]
    assert audit_entries("Theme", "delete") == []


def test_a_merge_that_fails_halfway_saves_nothing(make, monkeypatch):
    hadr = make.theme(name="HADR")
    relief = make.theme(name="Disaster relief")
    workshop = make.workshop(themes=[hadr])
    admin = make.user(role="admin")
    real_delete = db.session.delete

    def broken(obj):
        if isinstance(obj, Theme):
            raise RuntimeError("the database went away")
        return real_delete(obj)

    monkeypatch.setattr(db.session, "delete", broken)
    with pytest.raises(RuntimeError):
        operations.merge_theme(admin, {"theme": hadr.id, "into": relief.id})
    monkeypatch.undo()
    assert [t.name for t in fresh(workshop).themes] == ["HADR"] and count(Theme) == 2


def test_every_table_that_points_at_a_theme_is_one_the_merge_retags():
    """A new kind of tagged record must declare its `themes` relationship,
    or a merge would leave its rows pointing at the removed theme."""
    retagged = {t.table.name for t in taggings()}
    pointing = {table.name for table in Base.metadata.sorted_tables
                if any(fk.column.table.name == "theme" for fk in table.foreign_keys)}
    assert {"workshop_theme", "recommendation_theme"} <= retagged
    assert pointing == retagged


def test_nothing_but_the_demo_seeds_themes():
    sources = [p for p in (ROOT / "workshops").rglob("*.py") if "demo" not in p.parts]
    sources += list((ROOT / "migrations" / "versions").glob("*.py"))
    seeding = [p.name for p in sources if re.search(r"\bTheme\(\s*\w+\s*=", p.read_text())
               or re.search(r"insert\(\s*['\"]?theme\b", p.read_text(), re.IGNORECASE)]
    assert seeding == []
