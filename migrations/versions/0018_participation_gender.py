"""Participation gender: an optional, self-described gender (free text, at most 60 characters)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 14:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("participation") as batch:
        batch.add_column(sa.Column("gender", sa.String(60), nullable=True))


def downgrade():
    with op.batch_alter_table("participation") as batch:
        batch.drop_column("gender")
