"""pay: each payslip names the employer's confirmation that paid it; a month may have
several confirmations (late pay is confirmed on its own)

Revision ID: e3b8c1d4f6a2
Revises: 5de06736293b
Create Date: 2026-12-07 09:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e3b8c1d4f6a2'
down_revision = '5de06736293b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payroll_confirmations', schema=None) as batch_op:
        batch_op.drop_constraint('uq_payroll_confirmations_employer_id_month', type_='unique')
        batch_op.create_index('ix_payroll_confirmations_employer_id_month',
                              ['employer_id', 'month'], unique=False)
    with op.batch_alter_table('payslips', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_payslips_confirmation_id'), ['confirmation_id'],
                              unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_payslips_confirmation_id_payroll_confirmations'),
            'payroll_confirmations', ['confirmation_id'], ['id'])
    # The one confirmation a month had paid the payslips worked out before it; those
    # worked out after it are late pay, still to confirm.
    op.execute(
        "UPDATE payslips SET confirmation_id = (SELECT c.id FROM payroll_confirmations c "
        "WHERE c.employer_id = payslips.employer_id AND c.month = payslips.month "
        "AND c.confirmed_at >= payslips.computed_at)")


def downgrade():
    with op.batch_alter_table('payslips', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_payslips_confirmation_id_payroll_confirmations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_payslips_confirmation_id'))
        batch_op.drop_column('confirmation_id')
    op.execute(
        "DELETE FROM payroll_confirmations WHERE id NOT IN (SELECT min(id) FROM "
        "payroll_confirmations GROUP BY employer_id, month)")
    with op.batch_alter_table('payroll_confirmations', schema=None) as batch_op:
        batch_op.drop_index('ix_payroll_confirmations_employer_id_month')
        batch_op.create_unique_constraint('uq_payroll_confirmations_employer_id_month',
                                          ['employer_id', 'month'])
