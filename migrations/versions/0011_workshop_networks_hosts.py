"""A workshop of several networks, with several institutes in roles; the series optional (issue 13)

A workshop now names its lead network itself (`workshop.network_id`,
backfilled from its series' network), may have co-organising networks
(`workshop_network`) and no series at all (a one-off meeting). Its single
host (`workshop.host_institute_id`) becomes rows of `workshop_institute`
(institute, role: host, co_organiser, funder): every existing host is
carried over as a `host` row, and the column is dropped.

Downgrade keeps every workshop: the host rows go back into the column (the
first host of each workshop), a workshop without a series is put into a
series "One-off meetings" of its lead network, made for it; co-organising
networks and the other roles are lost.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

workshop = sa.table('workshop', sa.column('id', sa.Integer), sa.column('series_id', sa.Integer),
                    sa.column('network_id', sa.Integer), sa.column('host_institute_id', sa.Integer))
series = sa.table('series', sa.column('id', sa.Integer), sa.column('network_id', sa.Integer),
                  sa.column('slug', sa.String), sa.column('name', sa.String), sa.column('kind', sa.String),
                  sa.column('description', sa.String), sa.column('version', sa.Integer))
workshop_institute = sa.table('workshop_institute', sa.column('workshop_id', sa.Integer),
                              sa.column('institute_id', sa.Integer), sa.column('role', sa.String))


def upgrade():
    op.create_table(
        'workshop_network',
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('network_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_workshop_network_network_id_network'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'],
                                name=op.f('fk_workshop_network_workshop_id_workshop'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('workshop_id', 'network_id', name=op.f('pk_workshop_network')),
    )
    with op.batch_alter_table('workshop_network', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_network_network_id'), ['network_id'], unique=False)

    op.create_table(
        'workshop_institute',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('institute_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.CheckConstraint("role IN ('host', 'co_organiser', 'funder')", name=op.f('ck_workshop_institute_role')),
        sa.ForeignKeyConstraint(['institute_id'], ['member_institute.id'],
                                name=op.f('fk_workshop_institute_institute_id_member_institute'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'],
                                name=op.f('fk_workshop_institute_workshop_id_workshop'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_institute')),
        sa.UniqueConstraint('workshop_id', 'institute_id', 'role',
                            name=op.f('uq_workshop_institute_workshop_id_institute_id_role')),
    )
    with op.batch_alter_table('workshop_institute', schema=None) as batch_op:
        batch_op.create_index('ix_workshop_institute_institute_role', ['institute_id', 'role', 'workshop_id'],
                              unique=False)

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('network_id', sa.Integer(), nullable=True))

    bind = op.get_bind()
    bind.execute(workshop.update().values(network_id=sa.select(series.c.network_id)
                                          .where(series.c.id == workshop.c.series_id).scalar_subquery()))
    bind.execute(workshop_institute.insert().from_select(
        ['workshop_id', 'institute_id', 'role'],
        sa.select(workshop.c.id, workshop.c.host_institute_id, sa.literal('host'))
        .where(workshop.c.host_institute_id.is_not(None))))

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.alter_column('network_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('series_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_workshop_network_id'), ['network_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_workshop_network_id_network'), 'network', ['network_id'], ['id'],
                                    ondelete='RESTRICT')
        batch_op.drop_index(batch_op.f('ix_workshop_host_institute_id'))
        batch_op.drop_constraint(batch_op.f('fk_workshop_host_institute_id_member_institute'), type_='foreignkey')
        batch_op.drop_column('host_institute_id')


def downgrade():
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host_institute_id', sa.Integer(), nullable=True))

    bind = op.get_bind()
    first_host = (sa.select(sa.func.min(workshop_institute.c.institute_id))
                  .where(workshop_institute.c.workshop_id == workshop.c.id, workshop_institute.c.role == 'host')
                  .scalar_subquery())
    bind.execute(workshop.update().values(host_institute_id=first_host))
    # A one-off meeting needs a series again: one per lead network, made for them.
    for (network_id,) in bind.execute(sa.select(workshop.c.network_id).where(workshop.c.series_id.is_(None))
                                      .distinct()).all():
        slug = f'one-off-meetings-{network_id}'
        series_id = bind.execute(sa.select(series.c.id).where(series.c.slug == slug)).scalar()
        if series_id is None:
            bind.execute(series.insert().values(network_id=network_id, slug=slug, name='One-off meetings',
                                                kind='workshop_series', description='', version=1))
            series_id = bind.execute(sa.select(series.c.id).where(series.c.slug == slug)).scalar()
        bind.execute(workshop.update().where(workshop.c.series_id.is_(None), workshop.c.network_id == network_id)
                     .values(series_id=series_id))

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_workshop_network_id_network'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_workshop_network_id'))
        batch_op.drop_column('network_id')
        batch_op.alter_column('series_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_workshop_host_institute_id_member_institute'), 'member_institute',
                                    ['host_institute_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_workshop_host_institute_id'), ['host_institute_id'], unique=False)

    with op.batch_alter_table('workshop_institute', schema=None) as batch_op:
        batch_op.drop_index('ix_workshop_institute_institute_role')
    op.drop_table('workshop_institute')
    with op.batch_alter_table('workshop_network', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_network_network_id'))
    op.drop_table('workshop_network')
