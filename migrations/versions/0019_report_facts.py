"""Report facts: a person's first attended day per network, and indexes for the report (issue 17)

first_attendance: one row per person and network, the first day of a
workshop of that network (lead or co-organiser, not cancelled) they
attended (workshops/people/attendance_facts.py maintains it on every
write of a participation or a workshop; `flask rebuild-attendance`
rebuilds it), backfilled here with one INSERT … SELECT … GROUP BY both
engines run. Indexes: a recommendation's counted events by day (the
stale figure's last event on or before a day, one seek), and the year's
attended participations read by index alone.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 14:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'first_attendance',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('network_id', sa.Integer(), nullable=False),
        sa.Column('first_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_first_attendance_person_id_person'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_first_attendance_network_id_network'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('person_id', 'network_id', name=op.f('pk_first_attendance')),
    )
    # The lead network and every co-organiser (programme.models.organising_networks), frozen here.
    op.execute(
        "INSERT INTO first_attendance (person_id, network_id, first_on) "
        "SELECT p.person_id, o.network_id, MIN(w.start_date) FROM participation p "
        "JOIN workshop w ON w.id = p.workshop_id "
        "JOIN (SELECT id AS workshop_id, network_id FROM workshop "
        "      UNION ALL SELECT workshop_id, network_id FROM workshop_network) o ON o.workshop_id = w.id "
        "WHERE p.status = 'attended' AND w.status != 'cancelled' GROUP BY p.person_id, o.network_id"
    )
    with op.batch_alter_table('uptake_event', schema=None) as batch_op:
        batch_op.create_index('ix_uptake_event_recommendation_occurred',
                              ['recommendation_id', 'occurred_on', 'confirmed'], unique=False)
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.create_index('ix_participation_workshop_status_person', ['workshop_id', 'status', 'person_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.drop_index('ix_participation_workshop_status_person')
    with op.batch_alter_table('uptake_event', schema=None) as batch_op:
        batch_op.drop_index('ix_uptake_event_recommendation_occurred')
    op.drop_table('first_attendance')
