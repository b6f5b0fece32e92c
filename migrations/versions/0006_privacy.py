"""Privacy: every audit entry about a person records the person (issue 11)

Erasure and the personal-data export must find every entry that ever
referred to a person, including those of participations and agenda roles
deleted since (workshops/people/privacy.py). Entries now record the
person's id; existing ones get it from what the trail itself stored: a
participation's create entry holds its person_id, an agenda role's create
entry its participation_id, and later entries of the same row (its updates,
its delete) inherit them. The trail is walked in order, so an id SQLite
reused after a delete is attributed to the right person. Rows whose create
entry is missing fall back to the row as it is now.

Search needs no schema change: its accent folding is computed in the query
(workshops/search/folding.py says why).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 08:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entry_person_id'), ['person_id'], unique=False)
    _backfill(op.get_bind())


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_person_id'))
        batch_op.drop_column('person_id')


def _created_value(changes, key):
    value = (changes or {}).get(key)
    return value[1] if isinstance(value, list) and len(value) == 2 and isinstance(value[1], int) else None


def person_ids(entries, live_participations: dict, live_roles: dict) -> dict:
    """{entry id: person id} for (id, object_type, object_id, action, changes)
    rows in the order they were written."""
    participation_person: dict = {}
    role_participation: dict = {}
    found = {}
    for entry_id, object_type, object_id, action, changes in entries:
        person_id = None
        if object_type == 'Person':
            person_id = object_id
        elif object_type == 'Participation':
            if action == 'create' and _created_value(changes, 'person_id') is not None:
                participation_person[object_id] = _created_value(changes, 'person_id')
            person_id = participation_person.get(object_id, live_participations.get(object_id))
        elif object_type == 'AgendaItemPerson':
            if action == 'create' and _created_value(changes, 'participation_id') is not None:
                role_participation[object_id] = _created_value(changes, 'participation_id')
            participation_id = role_participation.get(object_id, live_roles.get(object_id))
            person_id = participation_person.get(participation_id, live_participations.get(participation_id))
        if person_id is not None:
            found[entry_id] = person_id
    return found


def _backfill(bind) -> None:
    audit = sa.table('audit_entry', sa.column('id', sa.Integer), sa.column('object_type', sa.String),
                     sa.column('object_id', sa.Integer), sa.column('action', sa.String),
                     sa.column('changes', sa.JSON), sa.column('person_id', sa.Integer))
    participation = sa.table('participation', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer))
    role = sa.table('agenda_item_person', sa.column('id', sa.Integer), sa.column('participation_id', sa.Integer))
    live_participations = dict(bind.execute(sa.select(participation.c.id, participation.c.person_id)).all())
    live_roles = dict(bind.execute(sa.select(role.c.id, role.c.participation_id)).all())
    entries = bind.execute(
        sa.select(audit.c.id, audit.c.object_type, audit.c.object_id, audit.c.action, audit.c.changes)
        .where(audit.c.object_type.in_(('Person', 'Participation', 'AgendaItemPerson')))
        .order_by(audit.c.id)
    ).all()
    found = sorted(person_ids(entries, live_participations, live_roles).items())
    update = (audit.update().where(audit.c.id == sa.bindparam('entry_id'))
              .values(person_id=sa.bindparam('found_person_id')))
    for start in range(0, len(found), BATCH):
        bind.execute(update, [{'entry_id': e, 'found_person_id': p} for e, p in found[start:start + BATCH]])
