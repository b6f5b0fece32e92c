"""Dates known to the day, the month or the year, and roughly (issue 13)

Workshops and uptake events carry `date_precision` ('day', 'month',
'year') and `approximate` beside their date (workshops/core/partial_dates.py).
Existing rows carry over as known to the day and not approximate (the
server defaults fill them).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# vocab.DATE_PRECISIONS, frozen as it was when this migration was written.
PRECISIONS = "date_precision IN ('day', 'month', 'year')"


def upgrade():
    for table in ('workshop', 'uptake_event'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('date_precision', sa.String(length=10), server_default='day',
                                          nullable=False))
            batch_op.add_column(sa.Column('approximate', sa.Boolean(), server_default=sa.false(),
                                          nullable=False))
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_date_precision'), PRECISIONS)


def downgrade():
    for table in ('uptake_event', 'workshop'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_date_precision'), type_='check')
            batch_op.drop_column('approximate')
            batch_op.drop_column('date_precision')
