"""Accounts: security fixes (issue 11)

TOTP secrets are stored encrypted (user.totp_secret_encrypted), with the last
time step used (user.totp_last_step) so a code works once. Personal agenda
links are stored as their SHA-256 (kept in the column participation.
personal_token and its unique constraint) plus encrypted
(participation.personal_token_encrypted). Existing values are carried over:
encrypted with the key derived from the app's SECRET_KEY, and decrypted back
on downgrade.

No table is copied: SQLite can add and drop these columns in place, and
copying `user` or `participation` (which other tables reference ON DELETE
CASCADE) would delete the rows that refer to them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 08:00:00

"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

from workshops.core.crypto import cipher, decrypt, digest, encrypt

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

user = sa.table(
    'user', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String),
    sa.column('totp_secret_encrypted', sa.String),
)
participation = sa.table(
    'participation', sa.column('id', sa.Integer), sa.column('personal_token', sa.String),
    sa.column('personal_token_encrypted', sa.String),
)


def _cipher():
    config = current_app.config
    return cipher(config['SECRET_KEY'], tuple(config.get('OLD_SECRET_KEYS') or ()))


def upgrade():
    bind = op.get_bind()
    keys = _cipher()
    op.add_column('user', sa.Column('totp_secret_encrypted', sa.String(length=255), nullable=True))
    op.add_column('user', sa.Column('totp_last_step', sa.Integer(), nullable=True))
    op.add_column('participation', sa.Column('personal_token_encrypted', sa.String(length=255), nullable=True))

    for id_, secret in bind.execute(sa.select(user.c.id, user.c.totp_secret).where(
            user.c.totp_secret.is_not(None))).all():
        bind.execute(user.update().where(user.c.id == id_).values(totp_secret_encrypted=encrypt(secret, keys)))
    _drop_column('user', 'totp_secret')

    for id_, token in bind.execute(sa.select(participation.c.id, participation.c.personal_token).where(
            participation.c.personal_token.is_not(None))).all():
        bind.execute(participation.update().where(participation.c.id == id_).values(
            personal_token=digest(token), personal_token_encrypted=encrypt(token, keys)))


def downgrade():
    bind = op.get_bind()
    keys = _cipher()
    for id_, encrypted in bind.execute(sa.select(participation.c.id, participation.c.personal_token_encrypted)
                                       .where(participation.c.personal_token.is_not(None))).all():
        # A link whose ciphertext the key no longer opens cannot be restored: revoked.
        bind.execute(participation.update().where(participation.c.id == id_).values(
            personal_token=decrypt(encrypted, keys)))
    _drop_column('participation', 'personal_token_encrypted')

    op.add_column('user', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    for id_, encrypted in bind.execute(sa.select(user.c.id, user.c.totp_secret_encrypted).where(
            user.c.totp_secret_encrypted.is_not(None))).all():
        secret = decrypt(encrypted, keys)
        if secret is None:  # never turn a second factor off silently
            raise RuntimeError(f"The second factor of user {id_} cannot be decrypted with SECRET_KEY; "
                               "set OLD_SECRET_KEYS to the key it was stored with, then downgrade again.")
        bind.execute(user.update().where(user.c.id == id_).values(totp_secret=secret))
    _drop_column('user', 'totp_last_step')
    _drop_column('user', 'totp_secret_encrypted')


def _drop_column(table, column):
    """In place on both engines (SQLite 3.35+ drops a column with no
    constraint or index on it without copying the table)."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(sa.text(f'ALTER TABLE "{table}" DROP COLUMN "{column}"'))
    else:
        op.drop_column(table, column)
