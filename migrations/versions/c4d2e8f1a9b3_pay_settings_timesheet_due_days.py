"""pay_settings.timesheet_due_days: the late-timesheet window per year

Revision ID: c4d2e8f1a9b3
Revises: 0d7a125dbf86
Create Date: 2026-11-30 04:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d2e8f1a9b3'
down_revision = '0d7a125dbf86'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pay_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timesheet_due_days', sa.Integer(), server_default='10',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('pay_settings', schema=None) as batch_op:
        batch_op.drop_column('timesheet_due_days')
