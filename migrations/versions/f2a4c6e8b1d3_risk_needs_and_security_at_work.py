"""risk, needs and security at work (R27-R30): risk-and-needs assessments, serious
incidents, the scattered model's restricted flag, court bans and the trades they cover,
a vacancy's highest risk level, an institution's own cap and the year's settings

Revision ID: f2a4c6e8b1d3
Revises: 45d8870cb620
Create Date: 2026-12-07 12:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f2a4c6e8b1d3'
down_revision = '45d8870cb620'
branch_labels = None
depends_on = None

RISK_REASONS = ('admission', 'review', 'incident')
PLAN_PARTS = "'job', 'accommodation', 'documents', 'medical', 'benefits', 'family', " \
    "'psychological', 'certificate', 'travel', 'clothing'"
NEED_PARTS = ", 'substance_use_treatment', 'debts'"
PART_CHECK = "kind IN ({})"


def _plan_parts(kinds):
    """The release plan's parts (R20) as the CHECK of the enumeration allows them."""
    with op.batch_alter_table('plan_parts', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_parts_planpartkind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_plan_parts_planpartkind'),
                                         PART_CHECK.format(kinds))


def _inmate_fk(table):
    return sa.ForeignKeyConstraint(['inmate_id'], ['inmates.id'],
                                   name=op.f(f'fk_{table}_inmate_id_inmates'),
                                   ondelete='CASCADE')


def upgrade():
    op.create_table(
        'risk_assessments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inmate_id', sa.Integer(), nullable=False),
        sa.Column('assessed_on', sa.Date(), nullable=False),
        sa.Column('level', sa.String(length=32), nullable=False),
        sa.Column('needs', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Enum(*RISK_REASONS, name='riskreason', native_enum=False,
                                    create_constraint=True, length=32), nullable=False),
        sa.Column('assessed_by', sa.String(length=200), nullable=False),
        sa.Column('notes', sa.String(length=500), nullable=False),
        _inmate_fk('risk_assessments'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_assessments')),
    )
    op.create_index(op.f('ix_risk_assessments_inmate_id'), 'risk_assessments', ['inmate_id'])
    op.create_table(
        'serious_incidents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inmate_id', sa.Integer(), nullable=False),
        sa.Column('occurred_on', sa.Date(), nullable=False),
        sa.Column('summary', sa.String(length=300), nullable=False),
        _inmate_fk('serious_incidents'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_serious_incidents')),
    )
    op.create_index(op.f('ix_serious_incidents_inmate_id'), 'serious_incidents', ['inmate_id'])
    op.create_table(
        'scattered_flags',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inmate_id', sa.Integer(), nullable=False),
        sa.Column('flagged_on', sa.Date(), nullable=False),
        sa.Column('lifted_on', sa.Date(), nullable=True),
        sa.Column('document_ref', sa.String(length=100), nullable=False),
        sa.CheckConstraint('lifted_on IS NULL OR lifted_on > flagged_on',
                           name=op.f('ck_scattered_flags_dates_in_order')),
        _inmate_fk('scattered_flags'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scattered_flags')),
    )
    op.create_index(op.f('ix_scattered_flags_inmate_id'), 'scattered_flags', ['inmate_id'])
    op.create_table(
        'court_bans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inmate_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('decision_ref', sa.String(length=200), nullable=False),
        sa.Column('notes', sa.String(length=500), nullable=False),
        sa.CheckConstraint('ends_on IS NULL OR ends_on > starts_on',
                           name=op.f('ck_court_bans_dates_in_order')),
        _inmate_fk('court_bans'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_court_bans')),
    )
    op.create_index(op.f('ix_court_bans_inmate_id'), 'court_bans', ['inmate_id'])
    op.create_table(
        'court_ban_trades',
        sa.Column('ban_id', sa.Integer(), nullable=False),
        sa.Column('trade_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['ban_id'], ['court_bans.id'],
                                name=op.f('fk_court_ban_trades_ban_id_court_bans'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['trade_id'], ['trades.id'],
                                name=op.f('fk_court_ban_trades_trade_id_trades')),
        sa.PrimaryKeyConstraint('ban_id', 'trade_id', name=op.f('pk_court_ban_trades')),
    )
    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_risk_level', sa.String(length=32), nullable=True))
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scattered_cap', sa.Integer(), nullable=True))
    with op.batch_alter_table('year_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('risk_levels', sa.String(length=200), nullable=False,
                                      server_default='low,medium,high'))
        batch_op.add_column(sa.Column('risk_assessment_days', sa.Integer(), nullable=False,
                                      server_default='30'))
        batch_op.add_column(sa.Column('risk_review_months', sa.Integer(), nullable=False,
                                      server_default='12'))
        batch_op.add_column(sa.Column('unassessed_highest_outside', sa.Boolean(),
                                      nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('scattered_cap', sa.Integer(), nullable=False,
                                      server_default='2'))
        batch_op.add_column(sa.Column('bans_run_in_prison', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    # R27: parts for substance-use treatment and debts, where the needs are recorded
    _plan_parts(PLAN_PARTS + NEED_PARTS)


def downgrade():
    op.execute("DELETE FROM plan_parts WHERE kind IN ('substance_use_treatment', 'debts')")
    _plan_parts(PLAN_PARTS)
    with op.batch_alter_table('year_settings', schema=None) as batch_op:
        for column in ('bans_run_in_prison', 'scattered_cap', 'unassessed_highest_outside',
                       'risk_review_months', 'risk_assessment_days', 'risk_levels'):
            batch_op.drop_column(column)
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_column('scattered_cap')
    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.drop_column('max_risk_level')
    op.drop_table('court_ban_trades')
    for table in ('court_bans', 'scattered_flags', 'serious_incidents', 'risk_assessments'):
        op.drop_index(op.f(f'ix_{table}_inmate_id'), table_name=table)
        op.drop_table(table)
