"""Participants: consent to be named on the public agenda (issue 11)

A public agenda names a chair, speaker or discussant only when their
participation says they consented to be named publicly; otherwise it shows
their role and sector (docs/domain.md). Existing participations get false:
nobody has given that consent yet, and false is the safe default — the
public agenda then describes them until an organiser records their consent.
Secret and personal links still name everyone.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 08:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_to_be_named', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.drop_column('consent_to_be_named')
