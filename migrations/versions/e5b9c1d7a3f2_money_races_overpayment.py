"""pay: an entry reversed at most once and a payslip's pay credited once (unique);
overpayments owed back (a claim kind and an entry kind)

Revision ID: e5b9c1d7a3f2
Revises: d1a5e7c3b2f4
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5b9c1d7a3f2'
down_revision = 'd1a5e7c3b2f4'
branch_labels = None
depends_on = None

ENTRY_KINDS = ['pay', 'deduction', 'family_transfer', 'purchase', 'release_payout', 'reversal']
CLAIM_KINDS = ['civil_claim', 'alimony', 'other_writ']
PAY_ONLY = "kind = 'pay'"


def _kinds(table, name, kinds):
    """Replace the CHECK constraint that lists an enumeration's values."""
    values = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
        batch_op.create_check_constraint(name, sa.text(f"kind IN ({values})"))


def _refuse_double_reversals():
    """An entry reversed twice before this revision (two requests at once) cannot
    take the unique key; say which, rather than fail on the constraint's name."""
    twice = op.get_bind().execute(sa.text(
        "SELECT reverses_id FROM account_entries WHERE reverses_id IS NOT NULL "
        "GROUP BY reverses_id HAVING count(*) > 1")).scalars().all()
    if twice:
        raise RuntimeError(
            f"account entries reversed more than once: {sorted(twice)}; the ledger is "
            "append-only, so an accountant must decide how to book them before upgrading")


def upgrade():
    _refuse_double_reversals()
    with op.batch_alter_table('account_entries', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_account_entries_reverses_id', ['reverses_id'])
        batch_op.create_index('uq_account_entries_pay_payslip_id', ['payslip_id'], unique=True,
                              postgresql_where=sa.text(PAY_ONLY),
                              sqlite_where=sa.text(PAY_ONLY))
    _kinds('account_entries', 'entrykind', [*ENTRY_KINDS, 'overpayment'])
    _kinds('claims', 'claimkind', [*CLAIM_KINDS, 'overpayment'])


def downgrade():
    _kinds('claims', 'claimkind', CLAIM_KINDS)
    _kinds('account_entries', 'entrykind', ENTRY_KINDS)
    with op.batch_alter_table('account_entries', schema=None) as batch_op:
        batch_op.drop_index('uq_account_entries_pay_payslip_id')
        batch_op.drop_constraint('uq_account_entries_reverses_id', type_='unique')
