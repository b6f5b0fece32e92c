"""Report highlights: featured recommendations and the report's foreword (issue 16)

Recommendation gains `featured` (false for every existing one): an
organiser's mark that puts it first among the report's highlights.
report_foreword holds the short foreword of a year's report, in Markdown,
for all networks (network_id NULL) or for one network: one per year and
network, kept unique by two partial indexes (a NULL network is not equal
to another NULL in a plain unique constraint).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 14:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('featured', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        'report_foreword',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('network_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('year BETWEEN 1900 AND 2200', name=op.f('ck_report_foreword_year')),
        sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_report_foreword_network_id_network'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_report_foreword_updated_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_foreword')),
    )
    with op.batch_alter_table('report_foreword', schema=None) as batch_op:
        batch_op.create_index('ix_report_foreword_year_all', ['year'], unique=True,
                              sqlite_where=sa.text('network_id IS NULL'),
                              postgresql_where=sa.text('network_id IS NULL'))
        batch_op.create_index('ix_report_foreword_year_network', ['year', 'network_id'], unique=True,
                              sqlite_where=sa.text('network_id IS NOT NULL'),
                              postgresql_where=sa.text('network_id IS NOT NULL'))


def downgrade():
    op.drop_table('report_foreword')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_column('featured')
