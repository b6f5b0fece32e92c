"""A theme carries a version, as every other editable record does

Two admins renaming the same theme at once: the second save is refused
with 409 and what changed meanwhile instead of silently overwriting the
first (workshops/audit/operations.py expect_version). Existing themes
start at version 1.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 21:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_column('version')
