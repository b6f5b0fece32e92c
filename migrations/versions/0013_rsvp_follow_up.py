"""Participants' RSVP and needs, invitations, follow-up owners and checks (issue 14)

Participation gains the participant's own answer from their personal page
(dietary and access needs, when they answered, the zone of their mails),
when they were invited by mail, and the state of the "agenda changed"
digests (on or unsubscribed, the day of the last one, the moment up to
which changes were told). Existing participations start their digests from
the upgrade: nothing that happened before is mailed.

Recommendation gains an owner (a user) and a next-check day;
follow_up_check records "checked, no trace found" with a note, and
follow_up_digest the weekly digest sent to each owner (one per week).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:30:00

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dietary_needs', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('access_needs', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('responded_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('agenda_mail', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('agenda_digest_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('agenda_digest_through', sa.DateTime(), nullable=True))
    participation = sa.table('participation', sa.column('agenda_digest_through', sa.DateTime()))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    op.execute(participation.update().values(agenda_digest_through=now))

    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('next_check_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_recommendation_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_next_check_on'), ['next_check_on'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_recommendation_owner_id_user'), 'user', ['owner_id'], ['id'],
                                    ondelete='SET NULL')

    op.create_table(
        'follow_up_check',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('checked_on', sa.Date(), nullable=False),
        sa.Column('checked_by_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=2000), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['checked_by_id'], ['user.id'], name=op.f('fk_follow_up_check_checked_by_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'],
                                name=op.f('fk_follow_up_check_recommendation_id_recommendation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_check')),
    )
    with op.batch_alter_table('follow_up_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_check_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table(
        'follow_up_digest',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('week_of', sa.Date(), nullable=False),
        sa.Column('due_count', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_follow_up_digest_user_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_digest')),
        sa.UniqueConstraint('user_id', 'week_of', name=op.f('uq_follow_up_digest_user_id_week_of')),
    )


def downgrade():
    op.drop_table('follow_up_digest')
    with op.batch_alter_table('follow_up_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_check_recommendation_id'))
    op.drop_table('follow_up_check')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_recommendation_owner_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_recommendation_next_check_on'))
        batch_op.drop_index(batch_op.f('ix_recommendation_owner_id'))
        batch_op.drop_column('next_check_on')
        batch_op.drop_column('owner_id')
    with op.batch_alter_table('participation', schema=None) as batch_op:
        for column in ('agenda_digest_through', 'agenda_digest_on', 'agenda_mail', 'invited_at', 'timezone',
                       'responded_at', 'access_needs', 'dietary_needs'):
            batch_op.drop_column(column)
