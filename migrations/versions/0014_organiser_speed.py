"""No schema change (reserved for issue 15's agenda builder)

Check-in and the merge of two people (issue 15) needed no new column, and
the agenda builder's speakers in order and guest speakers are not built
yet. The revision stays, empty, so that databases already at 0014 remain on
the chain; the builder's columns come in a later revision.

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
