"""placements: a day's figures (R1 counts, the labour pool, violations) kept once computed,
and the version that forgets them

Revision ID: d1a5e7c3b2f4
Revises: c4d2e8f1a9b3
Create Date: 2026-11-30 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd1a5e7c3b2f4'
down_revision = 'c4d2e8f1a9b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kept_days',
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('institution_id', sa.Integer(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('kept_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'day', 'key', 'institution_id',
                                name=op.f('pk_kept_days')),
    )
    version = op.create_table(
        'kept_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_version')),
    )
    op.bulk_insert(version, [{'id': 1, 'version': 0}])


def downgrade():
    op.drop_table('kept_version')
    op.drop_table('kept_days')
