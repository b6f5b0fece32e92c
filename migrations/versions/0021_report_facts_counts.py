"""Report facts: attribution days, the acknowledging event's precision, carry-over counts (issue 17)

recommendation_progress gets the first day a counted event was attributed
at least explicitly / as paraphrase / thematically, and whether the event
on its first day at "acknowledged" or beyond is known to the day; the
report's substance figure and median then read no event. carry_over_count
keeps, per year of last change, year of origin and rank, how many
recommendations the carry-over may count as open, as signed rows that
writers add and merge (workshops/outcomes/progress_facts.py): the settled
carry-over reads these instead of every earlier recommendation. The
uptake events' day index also holds what the report counts them by, so
the year's events are read from the index alone.

All filled here by SQL frozen as progress_facts stands at this revision,
for both engines.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 21:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

ATTRIBUTED = {  # a column: the attributions at least that strong
    'attributed_explicit_on': ('explicit',),
    'attributed_paraphrase_on': ('explicit', 'paraphrase'),
    'attributed_thematic_on': ('explicit', 'paraphrase', 'thematic'),
}


def upgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    yes, no = ('true', 'false') if postgresql else ('1', '0')
    year = "CAST(EXTRACT(YEAR FROM {0}) AS INTEGER)" if postgresql else "CAST(strftime('%Y', {0}) AS INTEGER)"
    with op.batch_alter_table('recommendation_progress', schema=None) as batch_op:
        for name in ATTRIBUTED:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_day_known', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    sets = [f"{name} = (SELECT MIN(e.occurred_on) FROM uptake_event e "
            "WHERE e.recommendation_id = recommendation_progress.recommendation_id "
            f"AND e.confirmed = {yes} AND e.attribution IN ({', '.join(repr(a) for a in kinds)}))"
            for name, kinds in ATTRIBUTED.items()]
    sets.append(
        f"acknowledged_day_known = CASE WHEN acknowledged_on IS NULL THEN {no} ELSE EXISTS ("
        "SELECT 1 FROM uptake_event e WHERE e.recommendation_id = recommendation_progress.recommendation_id "
        "AND e.occurred_on = recommendation_progress.acknowledged_on "
        "AND e.stage IN ('acknowledged', 'adopted', 'implemented') "
        f"AND e.date_precision = 'day' AND e.approximate = {no}) END")
    op.execute(f"UPDATE recommendation_progress SET {', '.join(sets)}")

    op.create_table(
        'carry_over_count',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('last_change_year', sa.Integer(), nullable=False),
        sa.Column('origin_year', sa.Integer(), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_carry_over_count')),
    )
    with op.batch_alter_table('carry_over_count', schema=None) as batch_op:
        batch_op.create_index('ix_carry_over_count_key', ['last_change_year', 'origin_year', 'rank', 'n'],
                              unique=False)
    # progress.carried_on_facts: never closed, origin not cancelled, not implemented (rank 4).
    op.execute(
        "INSERT INTO carry_over_count (last_change_year, origin_year, rank, n) "
        f"SELECT {year.format('last_change_on')}, origin_year, rank, COUNT(*) FROM recommendation_progress "
        f"WHERE closed_as IS NULL AND origin_cancelled = {no} AND rank < 4 "
        f"GROUP BY {year.format('last_change_on')}, origin_year, rank"
    )

    with op.batch_alter_table('uptake_event', schema=None) as batch_op:
        batch_op.drop_index('ix_uptake_event_occurred_on')
        batch_op.create_index('ix_uptake_event_occurred_on', ['occurred_on', 'recommendation_id', 'stage', 'confirmed'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('uptake_event', schema=None) as batch_op:
        batch_op.drop_index('ix_uptake_event_occurred_on')
        batch_op.create_index('ix_uptake_event_occurred_on', ['occurred_on'], unique=False)
    with op.batch_alter_table('carry_over_count', schema=None) as batch_op:
        batch_op.drop_index('ix_carry_over_count_key')
    op.drop_table('carry_over_count')
    with op.batch_alter_table('recommendation_progress', schema=None) as batch_op:
        batch_op.drop_column('acknowledged_day_known')
        for name in reversed(list(ATTRIBUTED)):
            batch_op.drop_column(name)
