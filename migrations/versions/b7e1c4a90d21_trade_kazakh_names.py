"""trades: Kazakh names

Revision ID: b7e1c4a90d21
Revises: 7feaada3dbe0
Create Date: 2026-11-30 01:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b7e1c4a90d21'
down_revision = '7feaada3dbe0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('trades', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_kk', sa.String(length=200), server_default='',
                                      nullable=False))
    from app.taxonomy.data import NAMES_KK

    trades = sa.table('trades', sa.column('code', sa.String), sa.column('name_kk', sa.String))
    for code, name in NAMES_KK.items():
        op.execute(trades.update().where(trades.c.code == code).values(name_kk=name))


def downgrade():
    with op.batch_alter_table('trades', schema=None) as batch_op:
        batch_op.drop_column('name_kk')
