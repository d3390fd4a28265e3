"""placement and removal orders stored as issued, numbered per institution and year;
the kind of a prosecutor's finding (act of response, warning, protest, other)

Placements made before this revision get their orders from a later data migration,
ee56034daeaa, so nothing is backfilled here.

Revision ID: a6c9e2f4b7d1
Revises: a7c5e3f9d2b8
Create Date: 2026-12-07 15:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a6c9e2f4b7d1'
down_revision = 'a7c5e3f9d2b8'  # after the release plan's agreement and escort
branch_labels = None
depends_on = None

FINDING_KINDS = ('act_of_response', 'warning', 'protest', 'other')
ORDER_KINDS = ('placement', 'removal')


def upgrade():
    op.create_table(
        'placement_orders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('placement_id', sa.Integer(), nullable=False),
        sa.Column('institution_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum(*ORDER_KINDS, name='orderkind', native_enum=False,
                                  create_constraint=True, length=32), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('facts', sa.JSON(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('sequence > 0', name=op.f('ck_placement_orders_sequence_positive')),
        sa.ForeignKeyConstraint(['placement_id'], ['placements.id'],
                                name=op.f('fk_placement_orders_placement_id_placements')),
        sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'],
                                name=op.f('fk_placement_orders_institution_id_institutions')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'],
                                name=op.f('fk_placement_orders_issued_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_orders')),
        sa.UniqueConstraint('institution_id', 'year', 'sequence',
                            name=op.f('uq_placement_orders_institution_id_year_sequence')),
        sa.UniqueConstraint('placement_id', 'kind',
                            name=op.f('uq_placement_orders_placement_id_kind')),
        sa.UniqueConstraint('number', name=op.f('uq_placement_orders_number')),
    )
    with op.batch_alter_table('placement_orders', schema=None) as batch_op:
        for column in ('placement_id', 'institution_id', 'issued_by_id'):
            batch_op.create_index(batch_op.f(f'ix_placement_orders_{column}'), [column],
                                  unique=False)
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'kind', sa.Enum(*FINDING_KINDS, name='findingkind', native_enum=False,
                            create_constraint=True, length=32),
            nullable=False, server_default='other'))


def downgrade():
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_column('kind')
    op.drop_table('placement_orders')
