"""The mail outbox, password reset and user invitations (issue 14)

outbox_message: every mail, written in the transaction of the change that
causes it and sent by `flask --app wsgi send-mail`. password_link: the
hashed single-use tokens of password-reset and invitation links. Both
tables are new: no existing row to carry over.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 10:30:00

"""
import sqlalchemy as sa
from alembic import op

import workshops.db

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', workshops.db.UTCDateTime(), nullable=False),
    sa.Column('claimed_at', workshops.db.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', workshops.db.UTCDateTime(), nullable=False),
    sa.Column('sent_at', workshops.db.UTCDateTime(), nullable=True),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('resent_from_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('waiting', 'sending', 'sent', 'failed')", name=op.f('ck_outbox_message_status')),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_outbox_message_network_id_network'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resent_from_id'], ['outbox_message.id'],
                            name=op.f('fk_outbox_message_resent_from_id_outbox_message'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outbox_message_message_id'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_network_id'), ['network_id'], unique=False)
        batch_op.create_index('ix_outbox_message_status_next_attempt_at', ['status', 'next_attempt_at'],
                              unique=False)

    op.create_table('password_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', workshops.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', workshops.db.UTCDateTime(), nullable=False),
    sa.Column('used_at', workshops.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint("purpose IN ('reset', 'invitation')", name=op.f('ck_password_link_purpose')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_password_link_user_id_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_link_token_hash'))
    )
    with op.batch_alter_table('password_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_link_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('password_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_link_user_id'))
    op.drop_table('password_link')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_status_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_outbox_message_network_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_created_at'))
    op.drop_table('outbox_message')
