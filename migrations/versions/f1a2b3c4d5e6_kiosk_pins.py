"""kiosk: a PIN per person (hash, failures, lock), requests to withdraw a consent
asked at the kiosk, institutions that run kiosks (the person's language: applications)

Revision ID: f1a2b3c4d5e6
Revises: f2a4c6e8b1d3
Create Date: 2026-12-07 12:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f1a2b3c4d5e6'
down_revision = 'f2a4c6e8b1d3'  # risk and needs, after the applications
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('runs_kiosks', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    op.create_table(
        'kiosk_pins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inmate_id', sa.Integer(), nullable=False),
        sa.Column('pin_hash', sa.String(length=200), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
        sa.Column('locked_at', sa.DateTime(), nullable=True),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.Column('session_version', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['inmate_id'], ['inmates.id'],
                                name=op.f('fk_kiosk_pins_inmate_id_inmates'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'],
                                name=op.f('fk_kiosk_pins_issued_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_pins')),
        sa.UniqueConstraint('inmate_id', name=op.f('uq_kiosk_pins_inmate_id')),
    )
    op.create_index(op.f('ix_kiosk_pins_issued_by_id'), 'kiosk_pins', ['issued_by_id'])
    op.create_table(
        'consent_withdrawal_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consent_id', sa.Integer(), nullable=False),
        sa.Column('inmate_id', sa.Integer(), nullable=False),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'],
                                name=op.f('fk_consent_withdrawal_requests_closed_by_id_users')),
        sa.ForeignKeyConstraint(['consent_id'], ['consents.id'],
                                name=op.f('fk_consent_withdrawal_requests_consent_id_consents'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['inmate_id'], ['inmates.id'],
                                name=op.f('fk_consent_withdrawal_requests_inmate_id_inmates'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_withdrawal_requests')),
    )
    for column in ('closed_by_id', 'consent_id', 'inmate_id'):
        op.create_index(op.f(f'ix_consent_withdrawal_requests_{column}'),
                        'consent_withdrawal_requests', [column])


def downgrade():
    op.drop_table('consent_withdrawal_requests')
    op.drop_table('kiosk_pins')
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_column('runs_kiosks')
