"""Themes are data: admins create, rename and merge them (the themes page
and the API call these same functions). Re-exported by operations.py.

A theme's slug (the `theme=` of report and list links) is made from its
name when it is created and stays as it is when the theme is renamed, so
links that name it keep working. Merging retags every record that carries
the old theme with the survivor (once: a record tagged with both ends with
one tag) and removes the old theme, in one audited unit of work."""

from __future__ import annotations

from sqlalchemy import func, select

from ..audit.operations import Invalid, Problems, expect_version
from ..auth.access import require_admin
from ..core.cleaning import column_limit
from ..extensions import db
from .models import Theme
from .operations_common import _as_id, _flush_or_invalid, _required, _work, unique_slug
from .queries_themes import tagged_with

NAME_TAKEN = "A theme with this name exists already; pick it, or merge the two."


def _as_bool(data: dict, field: str, default: bool) -> bool:
    value = data.get(field)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    raise Invalid({field: "Give true or false."})


def _apply_theme(theme: Theme, data: dict) -> None:
    name = _required(data, "name", "Enter the theme's name, e.g. Maritime security.",
                     max_length=column_limit(Theme.name))
    query = select(Theme.id).where(func.lower(Theme.name) == name.lower())
    if theme.id is not None:
        query = query.where(Theme.id != theme.id)
    if db.session.scalar(query) is not None:
        raise Invalid({"name": NAME_TAKEN})
    theme.name = name
    theme.non_traditional = _as_bool(data, "non_traditional",
                                     theme.non_traditional if theme.non_traditional is not None else True)


def create_theme(actor, data: dict) -> Theme:
    """A new theme (admins only). data: name, non_traditional (default true).
    Its slug is made from the name, unique among themes."""
    require_admin(actor)
    with _work(actor):
        theme = Theme()
        _apply_theme(theme, data)
        theme.slug = unique_slug(Theme, theme.name, fallback="theme", max_length=column_limit(Theme.slug))
        db.session.add(theme)
        _flush_or_invalid("name", NAME_TAKEN)
    return theme


def update_theme(actor, theme: Theme, data: dict, version: int | None) -> Theme:
    """Rename a theme or change its non-traditional mark (admins only); its
    slug stays, so links naming it keep working. `version` is the theme's
    version the change was based on (a newer one: `Conflict`)."""
    require_admin(actor)
    with _work(actor):
        expect_version(theme, version)
        _apply_theme(theme, data)
        _flush_or_invalid("name", NAME_TAKEN)
    return theme


def merge_theme(actor, data: dict) -> Theme:
    """Merge one theme into another (admins only). data: theme (the id of
    the theme that goes), into (the id of the one that stays). Every record
    tagged with the old theme carries the survivor instead; the old theme is
    removed. Returns the survivor."""
    require_admin(actor)
    found = Problems()
    source_id = found.check(_as_id, data.get("theme"), "theme", "Pick the theme to merge.")
    target_id = found.check(_as_id, data.get("into"), "into", "Pick the theme to keep.")
    if source_id is None:
        found.add("theme", "Pick the theme to merge.")
    if target_id is None:
        found.add("into", "Pick the theme to keep.")
    found.raise_any()
    source, target = db.session.get(Theme, source_id), db.session.get(Theme, target_id)
    if source is None:
        found.add("theme", "Pick the theme to merge from the list.")
    if target is None:
        found.add("into", "Pick the theme to keep from the list.")
    found.raise_any()
    if source.id == target.id:
        raise Invalid({"into": "A theme cannot be merged into itself: pick another theme to keep."})
    note = f"Theme “{source.name}” merged into “{target.name}”"
    with _work(actor, note=note):
        for tagging, records in tagged_with(source):
            for record in records:
                kept = [t for t in getattr(record, tagging.key) if t.id != source.id]
                if all(t.id != target.id for t in kept):
                    kept.append(target)
                setattr(record, tagging.key, sorted(kept, key=lambda t: t.name))
        db.session.flush()  # the tags move before the old theme goes
        db.session.delete(source)
        db.session.flush()
    return target
