"""Several references per uptake event, uploaded documents, attribution and confirmation (issue 13)

- `document`: an uploaded PDF, DOCX or XLSX file, its bytes in the database.
- `uptake_event_reference`: the sources of an uptake event, in order: a web
  address, an uploaded document, or only a label (a document symbol).
  Every existing `uptake_event.reference` becomes its event's first
  reference — a web address (http:// or https://) as its `url`, anything
  else (a document symbol such as ARF/SOM/2025/3) as its `label` — and the
  column goes. Downgrading puts each event's first reference back.
- `uptake_event.attribution` (explicit, paraphrase, thematic; empty for the
  existing events: nobody judged them) and `uptake_event.confirmed` (true
  for the existing events, which all count today). Downgrading forgets which
  events were not yet confirmed: they all count again, and the progress
  facts are rebuilt so.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# vocab.ATTRIBUTIONS, frozen as it was when this migration was written.
ATTRIBUTIONS = "attribution IS NULL OR attribution IN ('explicit', 'paraphrase', 'thematic')"
IS_LINK = "(lower(reference) LIKE 'http://%' OR lower(reference) LIKE 'https://%')"
# The ranks of vocab.STAGE_RANK, frozen as they were when this migration was written (as in 0007).
RANK = "CASE stage WHEN 'transmitted' THEN 1 WHEN 'acknowledged' THEN 2 WHEN 'adopted' THEN 3 " \
       "WHEN 'implemented' THEN 4 ELSE 0 END"


def upgrade():
    op.create_table(
        'document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_document_uploaded_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_sha256'), ['sha256'], unique=False)

    op.create_table(
        'uptake_event_reference',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uptake_event_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=True),
        sa.Column('document_id', sa.Integer(), nullable=True),
        sa.Column('label', sa.String(length=500), nullable=False),
        sa.CheckConstraint('url IS NULL OR document_id IS NULL',
                           name=op.f('ck_uptake_event_reference_url_or_document')),
        sa.CheckConstraint("url IS NOT NULL OR document_id IS NOT NULL OR label <> ''",
                           name=op.f('ck_uptake_event_reference_not_empty')),
        sa.ForeignKeyConstraint(['uptake_event_id'], ['uptake_event.id'],
                                name=op.f('fk_uptake_event_reference_uptake_event_id_uptake_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['document_id'], ['document.id'],
                                name=op.f('fk_uptake_event_reference_document_id_document'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_uptake_event_reference')),
    )
    with op.batch_alter_table('uptake_event_reference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uptake_event_reference_uptake_event_id'), ['uptake_event_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_uptake_event_reference_document_id'), ['document_id'], unique=False)

    op.execute(
        "INSERT INTO uptake_event_reference (uptake_event_id, position, url, document_id, label) "  # noqa: S608
        f"SELECT id, 0, CASE WHEN {IS_LINK} THEN reference END, NULL, "
        f"CASE WHEN {IS_LINK} THEN '' ELSE reference END "
        "FROM uptake_event WHERE reference <> '' ORDER BY id"
    )
    with op.batch_alter_table('uptake_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attribution', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('confirmed', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_uptake_event_attribution'), ATTRIBUTIONS)
        batch_op.drop_column('reference')


def downgrade():
    with op.batch_alter_table('uptake_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference', sa.String(length=500), server_default='', nullable=False))
    # The first link or label of each event (a document has no text to go back to but its name).
    op.execute(
        "UPDATE uptake_event SET reference = COALESCE((SELECT COALESCE(r.url, NULLIF(r.label, ''), d.filename, '') "
        "FROM uptake_event_reference r LEFT JOIN document d ON d.id = r.document_id "
        "WHERE r.uptake_event_id = uptake_event.id ORDER BY r.position, r.id LIMIT 1), '')"
    )
    with op.batch_alter_table('uptake_event', schema=None) as batch_op:
        batch_op.alter_column('reference', existing_type=sa.String(length=500), server_default=None)
        batch_op.drop_constraint(batch_op.f('ck_uptake_event_attribution'), type_='check')
        batch_op.drop_column('confirmed')
        batch_op.drop_column('attribution')
    # Below this revision every event counts: the progress facts count the ones not yet confirmed too.
    first = ", ".join(f"MIN(CASE WHEN {RANK} >= {rank} THEN occurred_on END)" for rank in (1, 2, 3, 4))
    op.execute("DELETE FROM recommendation_progress")
    op.execute(
        "INSERT INTO recommendation_progress (recommendation_id, rank, transmitted_on, acknowledged_on, "  # noqa: S608
        "adopted_on, implemented_on, last_event_on) "
        f"SELECT recommendation_id, MAX({RANK}), {first}, MAX(occurred_on) "  # constants only
        "FROM uptake_event GROUP BY recommendation_id"
    )
    with op.batch_alter_table('uptake_event_reference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uptake_event_reference_document_id'))
        batch_op.drop_index(batch_op.f('ix_uptake_event_reference_uptake_event_id'))
    op.drop_table('uptake_event_reference')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_sha256'))
    op.drop_table('document')
