"""A workshop of several networks, with several institutes in roles; the series optional (issue 13)

(Stub reserved for this change; filled in by the work that owns it.)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:30:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
