"""Progress facts for every recommendation, with its origin (issue 17)

recommendation_progress gets one row per recommendation (rank 0 and no
dates without a counted event) and copies what the report scopes and dates
a recommendation by: its workshop's (else its output's) days, year,
series, date precision and cancellation, and its closure
(workshops/outcomes/progress_facts.py maintains them on write; `flask
rebuild-progress` rebuilds them), and the last day any of these moved.
The report's year slice, carry-over and
highlights then read this one table by index. The rows are rebuilt here
by the same INSERT … SELECT the command runs.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 19:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

def origin_columns():
    return [
        sa.Column('workshop_id', sa.Integer(), nullable=True),
        sa.Column('output_id', sa.Integer(), nullable=True),
        sa.Column('series_id', sa.Integer(), nullable=True),
        sa.Column('origin_start', sa.Date(), nullable=True),
        sa.Column('origin_end', sa.Date(), nullable=True),
        sa.Column('origin_year', sa.Integer(), nullable=True),
        sa.Column('origin_precision', sa.String(length=10), nullable=True),
        sa.Column('origin_approximate', sa.Boolean(), nullable=True),
        sa.Column('origin_cancelled', sa.Boolean(), nullable=True),
        sa.Column('closed_as', sa.String(length=20), nullable=True),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.Column('last_change_on', sa.Date(), nullable=True),
    ]
FILLED = ['origin_start', 'origin_end', 'origin_year', 'origin_precision', 'origin_approximate', 'origin_cancelled',
          'last_change_on']


def upgrade():
    with op.batch_alter_table('recommendation_progress', schema=None) as batch_op:
        for column in origin_columns():
            batch_op.add_column(column)
        batch_op.alter_column('last_event_on', existing_type=sa.Date(), nullable=True)
    # Rebuild every row (also the recommendations without events) from the events and origins:
    # progress_facts.facts_select as it stands at this revision, frozen as SQL for both engines.
    postgresql = op.get_bind().dialect.name == 'postgresql'
    year = "CAST(EXTRACT(YEAR FROM {0}) AS INTEGER)" if postgresql else "CAST(strftime('%Y', {0}) AS INTEGER)"
    yes, no = ('true', 'false') if postgresql else ('1', '0')
    rank = ("CASE e.stage WHEN 'transmitted' THEN 1 WHEN 'acknowledged' THEN 2 WHEN 'adopted' THEN 3 "
            "WHEN 'implemented' THEN 4 ELSE 0 END")
    first = "MIN(CASE WHEN {rank} >= {n} THEN e.occurred_on END)"
    origin = "CASE WHEN r.workshop_id IS NOT NULL THEN w.{0} ELSE o.{1} END"
    end = origin.format('end_date', 'date')
    later = f"(CASE WHEN f.l > {end} THEN f.l ELSE {end} END)"  # the later of the last event and the end
    op.execute("DELETE FROM recommendation_progress")
    op.execute(
        "INSERT INTO recommendation_progress (recommendation_id, rank, transmitted_on, acknowledged_on, "
        "adopted_on, implemented_on, last_event_on, workshop_id, output_id, series_id, origin_start, "
        "origin_end, origin_year, origin_precision, origin_approximate, origin_cancelled, closed_as, closed_on, "
        "last_change_on) "
        f"SELECT r.id, COALESCE(f.rank, 0), f.t, f.a, f.d, f.i, f.l, r.workshop_id, r.output_id, "
        f"{origin.format('series_id', 'series_id')}, {origin.format('start_date', 'date')}, "
        f"{origin.format('end_date', 'date')}, {year.format(origin.format('start_date', 'date'))}, "
        f"COALESCE({origin.format('date_precision', 'date_precision')}, 'day'), "
        f"COALESCE({origin.format('approximate', 'approximate')}, {no}), "
        f"CASE WHEN w.status = 'cancelled' THEN {yes} ELSE {no} END, r.closed_as, r.closed_on, "
        f"CASE WHEN r.closed_on > {later} THEN r.closed_on ELSE {later} END "
        "FROM recommendation r LEFT JOIN workshop w ON w.id = r.workshop_id "
        "LEFT JOIN output o ON o.id = r.output_id "
        f"LEFT JOIN (SELECT e.recommendation_id AS rid, MAX({rank}) AS rank, "
        f"{first.format(rank=rank, n=1)} AS t, {first.format(rank=rank, n=2)} AS a, "
        f"{first.format(rank=rank, n=3)} AS d, {first.format(rank=rank, n=4)} AS i, "
        f"MAX(e.occurred_on) AS l FROM uptake_event e WHERE e.confirmed = {yes} "
        "GROUP BY e.recommendation_id) f ON f.rid = r.id"
    )
    with op.batch_alter_table('recommendation_progress', schema=None) as batch_op:
        for name in FILLED:
            column = next(c for c in origin_columns() if c.name == name)
            batch_op.alter_column(name, existing_type=column.type, nullable=False)
        batch_op.create_index('ix_recommendation_progress_origin_start', ['origin_start'], unique=False)
        batch_op.create_index('ix_recommendation_progress_last_change_on', ['last_change_on'], unique=False)
        batch_op.create_index('ix_recommendation_progress_carry',
                              ['origin_year', 'rank', 'closed_as', 'origin_cancelled', 'last_change_on',
                               'origin_start', 'series_id', 'workshop_id', 'output_id'], unique=False)
        batch_op.create_index('ix_recommendation_progress_adopted_on', ['adopted_on'], unique=False)
        batch_op.create_index('ix_recommendation_progress_implemented_on', ['implemented_on'], unique=False)


def downgrade():
    op.execute("DELETE FROM recommendation_progress WHERE last_event_on IS NULL")
    with op.batch_alter_table('recommendation_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_recommendation_progress_implemented_on')
        batch_op.drop_index('ix_recommendation_progress_adopted_on')
        batch_op.drop_index('ix_recommendation_progress_carry')
        batch_op.drop_index('ix_recommendation_progress_last_change_on')
        batch_op.drop_index('ix_recommendation_progress_origin_start')
        batch_op.alter_column('last_event_on', existing_type=sa.Date(), nullable=False)
        for column in reversed(origin_columns()):
            batch_op.drop_column(column.name)
