"""partner organisations' contact person and address (shown to officers on
referrals); the interview a partner arranged on a referral (when, where, with whom);
a finding's due date, the institution's answer and the scan of its signed reply

Revision ID: f3a8d2c6b1e4
Revises: f1a2b3c4d5e6
Create Date: 2026-12-07 12:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a8d2c6b1e4'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None

TEXTS = {
    'partner_organisations': (('contact_person', 200), ('address', 300)),
    'referrals': (('interview_place', 300), ('interview_with', 200)),
}


def upgrade():
    for table, columns in TEXTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, length in columns:
                batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=False,
                                              server_default=''))
            if table == 'referrals':
                batch_op.add_column(sa.Column('interview_on', sa.DateTime(), nullable=True))
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _length in columns:
                batch_op.alter_column(name, server_default=None)
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('answer', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('answered_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_findings_answered_by_id'), ['answered_by_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_findings_answered_by_id_users'), 'users',
                                    ['answered_by_id'], ['id'])
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.alter_column('answer', server_default=None)
    op.create_table(
        'finding_scans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('finding_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=50), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], ondelete='CASCADE',
                                name=op.f('fk_finding_scans_finding_id_findings')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                                name=op.f('fk_finding_scans_uploaded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_scans')),
    )
    with op.batch_alter_table('finding_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_scans_finding_id'), ['finding_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_finding_scans_uploaded_by_id'),
                              ['uploaded_by_id'], unique=False)


def downgrade():
    op.drop_table('finding_scans')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_findings_answered_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_findings_answered_by_id'))
        for name in ('answered_by_id', 'answered_at', 'answer', 'due_on'):
            batch_op.drop_column(name)
    for table, columns in TEXTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _length in columns:
                batch_op.drop_column(name)
            if table == 'referrals':
                batch_op.drop_column('interview_on')
