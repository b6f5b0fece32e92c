"""Written outputs: memoranda, reports, statements; a recommendation from a workshop, an output or both (issue 13)

A new table `output` (a network's written product, with its date and the
date's precision) and `output_workshop` (the workshops that produced it).
A recommendation gains `output_id` and its `workshop_id` may be empty, as
long as one of the two is set. Existing recommendations all have a
workshop: they carry over unchanged.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 10:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# vocab.OUTPUT_KINDS and vocab.DATE_PRECISIONS, frozen as they were when this migration was written.
KINDS = "kind IN ('memorandum', 'study_group_report', 'recommendation_paper', 'chairs_statement', " \
        "'policy_brief', 'other')"
PRECISIONS = "date_precision IN ('day', 'month', 'year')"


def upgrade():
    op.create_table(
        'output',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('date_precision', sa.String(length=10), nullable=False),
        sa.Column('approximate', sa.Boolean(), nullable=False),
        sa.Column('network_id', sa.Integer(), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=True),
        sa.Column('issuing_body', sa.String(length=200), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=True),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint(KINDS, name=op.f('ck_output_kind')),
        sa.CheckConstraint(PRECISIONS, name=op.f('ck_output_date_precision')),
        sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_output_document_id_document'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_output_network_id_network'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_output_series_id_series'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_output')),
    )
    with op.batch_alter_table('output', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_output_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_output_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_output_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_output_series_id'), ['series_id'], unique=False)
    op.create_table(
        'output_workshop',
        sa.Column('output_id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['output_id'], ['output.id'], name=op.f('fk_output_workshop_output_id_output'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'],
                                name=op.f('fk_output_workshop_workshop_id_workshop'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('output_id', 'workshop_id', name=op.f('pk_output_workshop')),
    )
    with op.batch_alter_table('output_workshop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_output_workshop_workshop_id'), ['workshop_id'], unique=False)
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('output_id', sa.Integer(), nullable=True))
        batch_op.alter_column('workshop_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_recommendation_output_id'), ['output_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_recommendation_output_id_output'), 'output', ['output_id'],
                                    ['id'], ondelete='RESTRICT')
        batch_op.create_check_constraint(batch_op.f('ck_recommendation_has_origin'),
                                         'workshop_id IS NOT NULL OR output_id IS NOT NULL')


def downgrade():
    # Recommendations of an output alone have no workshop to fall back on: they go with their
    # outputs, and what hangs from them with them (named, not left to ON DELETE CASCADE: SQLite
    # migrates with foreign keys off).
    gone = "SELECT id FROM recommendation WHERE workshop_id IS NULL"
    op.execute("DELETE FROM uptake_event_reference WHERE uptake_event_id IN "  # noqa: S608  (constants only)
               f"(SELECT id FROM uptake_event WHERE recommendation_id IN ({gone}))")
    for table in ("uptake_event", "recommendation_progress", "recommendation_theme", "recommendation_target"):
        op.execute(f"DELETE FROM {table} WHERE recommendation_id IN ({gone})")  # noqa: S608  (constants only)
    op.execute("DELETE FROM recommendation WHERE workshop_id IS NULL")
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_recommendation_has_origin'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_recommendation_output_id_output'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_recommendation_output_id'))
        batch_op.alter_column('workshop_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('output_id')
    with op.batch_alter_table('output_workshop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_output_workshop_workshop_id'))
    op.drop_table('output_workshop')
    with op.batch_alter_table('output', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_output_series_id'))
        batch_op.drop_index(batch_op.f('ix_output_network_id'))
        batch_op.drop_index(batch_op.f('ix_output_document_id'))
        batch_op.drop_index(batch_op.f('ix_output_date'))
    op.drop_table('output')
