"""The mail outbox, password reset and user invitations (issue 14)

(Stub reserved for this change; filled in by the work that owns it.)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 10:30:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
