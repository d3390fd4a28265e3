"""pay: the late-timesheet window per year; a payslip's timesheet and scope as one key

Revision ID: c4d2e8f1a9b3
Revises: c4d2e8f1a7b3
Create Date: 2026-11-30 04:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d2e8f1a9b3'
down_revision = 'c4d2e8f1a7b3'
branch_labels = None
depends_on = None

SCOPE = ['id', 'placement_id', 'inmate_id', 'institution_id', 'employer_id']
SINGLE = {'timesheet_id': 'timesheets', 'placement_id': 'placements', 'inmate_id': 'inmates',
          'institution_id': 'institutions', 'employer_id': 'employers'}


def upgrade():
    with op.batch_alter_table('pay_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timesheet_due_days', sa.Integer(), server_default='10',
                                      nullable=False))
    with op.batch_alter_table('timesheets', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_timesheets_scope', SCOPE)
    with op.batch_alter_table('payslips', schema=None) as batch_op:
        for column, table in SINGLE.items():
            batch_op.drop_constraint(f'fk_payslips_{column}_{table}', type_='foreignkey')
        batch_op.create_foreign_key('fk_payslips_timesheet_scope', 'timesheets',
                                    ['timesheet_id', *SCOPE[1:]], SCOPE)


def downgrade():
    with op.batch_alter_table('payslips', schema=None) as batch_op:
        batch_op.drop_constraint('fk_payslips_timesheet_scope', type_='foreignkey')
        for column, table in SINGLE.items():
            batch_op.create_foreign_key(f'fk_payslips_{column}_{table}', table, [column], ['id'])
    with op.batch_alter_table('timesheets', schema=None) as batch_op:
        batch_op.drop_constraint('uq_timesheets_scope', type_='unique')
    with op.batch_alter_table('pay_settings', schema=None) as batch_op:
        batch_op.drop_column('timesheet_due_days')
