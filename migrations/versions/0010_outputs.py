"""Written outputs: memoranda, reports, statements; a recommendation from a workshop, an output or both (issue 13)

(Stub reserved for this change; filled in by the work that owns it.)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 10:30:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
