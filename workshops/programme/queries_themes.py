"""Reading themes: which records carry a theme, and how many of each.

A theme tags workshops and recommendations (and whatever else declares a
many-to-many `themes` relationship to Theme). The programme sits below the
outcomes layer and imports none of it, so the tagged kinds are found from
the mapped relationships themselves: a new kind of tagged record (an output)
is counted, and merged, without a change here."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..db import Base
from ..extensions import db
from .models import Theme


@dataclass(frozen=True)
class Tagging:
    """One kind of record that carries themes: its class, the relationship
    and the association table's column naming the theme."""

    model: type
    key: str
    table: object
    theme_column: object

    @property
    def noun(self) -> str:
        """'workshop', 'recommendation', 'output'… (for counts on pages)."""
        return getattr(self.model, "__tablename__", self.model.__name__.lower()).replace("_", " ")


def taggings() -> list[Tagging]:
    """Every writable many-to-many relationship to Theme, in a stable order."""
    found = []
    for mapper in Base.registry.mappers:
        for rel in mapper.relationships:
            if rel.mapper.class_ is not Theme or rel.secondary is None or rel.viewonly or not rel.uselist:
                continue
            column = next(c for c in rel.secondary.columns
                          if any(fk.column.table is Theme.__table__ for fk in c.foreign_keys))
            found.append(Tagging(mapper.class_, rel.key, rel.secondary, column))
    return sorted(found, key=lambda t: (t.noun != "workshop", t.noun))  # workshops first


@dataclass
class ThemeRow:
    theme: Theme
    counts: dict[str, int] = field(default_factory=dict)  # noun -> records tagged

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def themes_with_counts() -> list[ThemeRow]:
    """Every theme by name, with how many records of each kind carry it
    (one grouped count per kind of tagged record)."""
    rows = {t.id: ThemeRow(t) for t in db.session.scalars(select(Theme).order_by(Theme.name))}
    for tagging in taggings():
        for row in rows.values():
            row.counts.setdefault(tagging.noun, 0)
        counted = db.session.execute(
            select(tagging.theme_column, func.count()).group_by(tagging.theme_column))
        for theme_id, n in counted:
            if theme_id in rows:
                rows[theme_id].counts[tagging.noun] = n
    return list(rows.values())


def tagged_with(theme: Theme) -> list[tuple[Tagging, list]]:
    """The records that carry this theme, by kind (loaded with their themes)."""
    found = []
    for tagging in taggings():
        relationship = getattr(tagging.model, tagging.key)
        records = list(db.session.scalars(
            select(tagging.model).where(relationship.any(Theme.id == theme.id))
            .order_by(*tagging.model.__mapper__.primary_key)))
        found.append((tagging, records))
    return found
