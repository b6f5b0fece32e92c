"""The data generator's bulk writing (synthetic.py): rows written with
Core INSERT in batches (executemany), or PostgreSQL's COPY, in the caller's
unit of work; the ids they take; the real networks, institutes, themes and
Track-1 bodies of facts.py written when the database does not hold them yet;
and the id sequences moved past the ids written.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..outcomes.models import Recommendation, Track1Body, Track1BodyMember, UptakeEvent
from ..people.models import Participation, Person
from ..programme.models import (
    MemberInstitute,
    Network,
    Series,
    SeriesStatusChange,
    Theme,
    Workshop,
    institute_network,
)
from .facts import INSTITUTES, NETWORKS, THEMES, TRACK1

BATCH = 5000


def aware(day: dt.date, hour: int = 9) -> dt.datetime:
    """`day` at `hour` o'clock UTC."""
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)


def _naive_utc(value):
    # What UTCDateTime stores: naive UTC (COPY bypasses SQLAlchemy's type processing).
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def first_free_id(session: Session, table) -> int:
    """The first id after those `table` holds."""
    return (session.scalar(select(func.max(table.c.id))) or 0) + 1


class Writer:
    """Bulk inserts, BATCH rows at a time; counts what it wrote."""

    def __init__(self, session: Session):
        self.session = session
        self.copy = session.get_bind().dialect.name == "postgresql"
        self.pending: dict = {}
        self.counts: dict[str, int] = {}

    def add(self, table, row: dict, *, auto: bool = True) -> None:
        """Queue a row; with `auto`, a full batch is written at once (only for
        tables whose parents are all written already)."""
        rows = self.pending.setdefault(table, [])
        rows.append(row)
        if auto and len(rows) >= BATCH:
            self.flush(table)

    def full(self, *tables) -> bool:
        return any(len(self.pending.get(t, ())) >= BATCH for t in tables)

    def flush(self, *tables) -> None:
        for table in tables or list(self.pending):
            rows = self.pending.get(table)
            if rows:
                if self.copy:
                    self._copy(table, rows)
                else:
                    self.session.execute(insert(table), rows)
                self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
                self.pending[table] = []

    def _copy(self, table, rows: list[dict]) -> None:
        """PostgreSQL's COPY, several times faster than executemany, in the
        same transaction (so the unit of work still commits or rolls back all)."""
        columns = list(rows[0])
        # COPY skips the Python-side column defaults an INSERT would apply.
        defaults = [(c.name, c.default) for c in table.columns
                    if c.name not in rows[0] and c.default is not None and not c.default.is_sequence]
        names = ", ".join(f'"{c}"' for c in [*columns, *(name for name, _ in defaults)])
        cursor = self.session.connection().connection.driver_connection.cursor()
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                values = [_naive_utc(row[c]) for c in columns]
                values += [_naive_utc(d.arg(None) if d.is_callable else d.arg) for _, d in defaults]
                copy.write_row(values)


# ---- reference data: the real networks, institutes, themes and Track-1 bodies --------


def reference_data(session: Session, out: Writer) -> tuple[dict, list, list, dict]:
    """The networks, institutes, themes and Track-1 bodies of facts.py, reused when
    present and written when not: networks by acronym, institutes as (id, country,
    city, networks), themes as (id, name), bodies by acronym and by name."""
    net_t, inst_t, theme_t, body_t = (Network.__table__, MemberInstitute.__table__, Theme.__table__,
                                      Track1Body.__table__)
    networks = {row.acronym: row.id for row in session.execute(select(net_t.c.acronym, net_t.c.id))}
    next_id = first_free_id(session, net_t)
    for slug, acronym, name, founded, description in NETWORKS:
        if acronym not in networks:
            networks[acronym] = next_id
            out.add(net_t, {"id": next_id, "slug": slug, "acronym": acronym, "name": name,
                            "founded_year": founded, "description": description, "version": 1})
            next_id += 1
    out.flush(net_t)

    existing = {row.name: row.id for row in session.execute(select(inst_t.c.name, inst_t.c.id))}
    next_id = first_free_id(session, inst_t)
    institutes = []
    for name, acronym, country, city, member_of in INSTITUTES:
        if name not in existing:
            existing[name] = next_id
            out.add(inst_t, {"id": next_id, "name": name, "acronym": acronym, "country": country,
                             "city": city, "version": 1})
            out.flush(inst_t)
            for net in member_of:
                out.add(institute_network, {"institute_id": next_id, "network_id": networks[net]})
            next_id += 1
        institutes.append((existing[name], country, city, member_of))
    out.flush(inst_t, institute_network)

    by_slug = {row.slug: row for row in session.execute(select(theme_t.c.slug, theme_t.c.name, theme_t.c.id))}
    by_name = {row.name: row for row in by_slug.values()}
    next_id = first_free_id(session, theme_t)
    themes = []
    for slug, name, non_traditional in THEMES:
        row = by_slug.get(slug) or by_name.get(name)
        if row is None:
            out.add(theme_t, {"id": next_id, "slug": slug, "name": name, "non_traditional": non_traditional})
            themes.append((next_id, name))
            next_id += 1
        else:
            themes.append((row.id, row.name))
    out.flush(theme_t)

    found = {row.name: row.id for row in session.execute(select(body_t.c.name, body_t.c.id))}
    next_id = first_free_id(session, body_t)
    bodies: dict[str, int] = {}
    for name, acronym, kind, level, parent, established, members in TRACK1:
        if name not in found:
            found[name] = next_id
            out.add(body_t, {"id": next_id, "name": name, "acronym": acronym, "kind": kind, "level": level,
                             "parent_id": bodies.get(parent) if parent else None, "established": established,
                             "description": "", "version": 1})
            out.flush(body_t)
            for country in members:
                out.add(Track1BodyMember.__table__, {"track1_body_id": next_id, "country": country})
            next_id += 1
        bodies[acronym or name] = found[name]
        bodies[name] = found[name]
    out.flush()
    return networks, institutes, themes, bodies


def reset_sequences(session: Session) -> None:
    """PostgreSQL: explicit ids were written, so move each id sequence past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in (Network, MemberInstitute, Theme, Track1Body, Series, SeriesStatusChange, Workshop, Person,
                  Participation, Recommendation, UptakeEvent):
        table = model.__table__
        highest = select(func.coalesce(func.max(table.c.id), 1)).scalar_subquery()
        session.execute(select(func.setval(func.pg_get_serial_sequence(f'"{table.name}"', "id"), highest)))
