"""Public outcomes: a recommendation an organiser marked public (issue 16)

Recommendation gains `is_public`, off for every existing one: nothing
appears on a network's public outcomes page (/outcomes/<network>) until an
organiser of its network marks it, and even then only when it comes from a
public workshop (workshops/public_outcomes/queries.py shown_publicly). It is
a flag of its own, apart from the report's "featured" (0016).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 14:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_public', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_column('is_public')
