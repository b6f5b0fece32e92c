"""Agenda builder: guest speakers and "to be confirmed" on an item's people

An agenda item's chair, speaker or discussant is either a participation of
the workshop or a guest who is not (yet) a participant: a name, honorific
and affiliation on the row itself (participation_id NULL). A CHECK keeps
exactly one of the two set. Any row may be marked "to be confirmed". The
order of the people is the existing `position` column.

Downgrade drops the guest rows (they cannot exist without a participation).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 14:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

ONE_OF_THE_TWO = ("(participation_id IS NOT NULL AND guest_name = '') "
                  "OR (participation_id IS NULL AND guest_name <> '')")


def upgrade():
    with op.batch_alter_table('agenda_item_person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guest_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('guest_honorific', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('guest_affiliation', sa.String(length=200), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('to_be_confirmed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.alter_column('participation_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(op.f('ck_agenda_item_person_participant_or_guest'), ONE_OF_THE_TWO)


def downgrade():
    op.execute("DELETE FROM agenda_item_person WHERE participation_id IS NULL")
    with op.batch_alter_table('agenda_item_person', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_agenda_item_person_participant_or_guest'), type_='check')
        batch_op.alter_column('participation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('to_be_confirmed')
        batch_op.drop_column('guest_affiliation')
        batch_op.drop_column('guest_honorific')
        batch_op.drop_column('guest_name')
