"""The audit trail records exports of a person's data (action 'export')

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:00:00

"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

OLD = "action IN ('create', 'update', 'delete')"
NEW = "action IN ('create', 'update', 'delete', 'export')"


def _replace_check(condition):
    # SQLite cannot alter a CHECK constraint: batch mode copies the table.
    with op.batch_alter_table('audit_entry', schema=None, recreate='auto') as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_entry_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_entry_action'), condition)


def upgrade():
    _replace_check(NEW)


def downgrade():
    op.execute("DELETE FROM audit_entry WHERE action = 'export'")
    _replace_check(OLD)
