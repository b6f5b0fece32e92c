"""Speakers in order and guest speakers; check-in (issue 15)

(Stub reserved for this change; filled in by the work that owns it.)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 10:30:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
