"""Recommendation progress facts, maintained on write (issue 17)

One row per recommendation with uptake events: its furthest stage rank,
the first day it reached at least each stage, its last event's day
(workshops/outcomes/progress_facts.py maintains them on every write of an
event; `flask rebuild-progress` rebuilds them). Existing rows are
backfilled here with one INSERT … SELECT … GROUP BY that both engines run.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# The ranks of vocab.STAGE_RANK, frozen as they were when this migration was written.
RANK = "CASE stage WHEN 'transmitted' THEN 1 WHEN 'acknowledged' THEN 2 WHEN 'adopted' THEN 3 " \
       "WHEN 'implemented' THEN 4 ELSE 0 END"


def upgrade():
    op.create_table(
        'recommendation_progress',
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('transmitted_on', sa.Date(), nullable=True),
        sa.Column('acknowledged_on', sa.Date(), nullable=True),
        sa.Column('adopted_on', sa.Date(), nullable=True),
        sa.Column('implemented_on', sa.Date(), nullable=True),
        sa.Column('last_event_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'],
                                name=op.f('fk_recommendation_progress_recommendation_id_recommendation'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('recommendation_id', name=op.f('pk_recommendation_progress')),
    )
    with op.batch_alter_table('recommendation_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_progress_acknowledged_on'), ['acknowledged_on'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_progress_last_event_on'), ['last_event_on'],
                              unique=False)
    first = ", ".join(f"MIN(CASE WHEN {RANK} >= {rank} THEN occurred_on END)" for rank in (1, 2, 3, 4))
    op.execute(
        "INSERT INTO recommendation_progress (recommendation_id, rank, transmitted_on, acknowledged_on, "  # noqa: S608
        "adopted_on, implemented_on, last_event_on) "
        f"SELECT recommendation_id, MAX({RANK}), {first}, MAX(occurred_on) "  # constants only
        "FROM uptake_event GROUP BY recommendation_id"
    )


def downgrade():
    with op.batch_alter_table('recommendation_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_progress_last_event_on'))
        batch_op.drop_index(batch_op.f('ix_recommendation_progress_acknowledged_on'))
    op.drop_table('recommendation_progress')
