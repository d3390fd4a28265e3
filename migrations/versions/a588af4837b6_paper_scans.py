"""the scans of the signed papers behind consents and medical assessments, kept in the
database (app/inmates/papers.py)

Revision ID: a588af4837b6
Revises: b3d7f1a9c5e2
Create Date: 2026-12-07 18:33:24

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a588af4837b6'
down_revision = 'b3d7f1a9c5e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'paper_scans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inmate_id', sa.Integer(), nullable=False),
        sa.Column('consent_id', sa.Integer(), nullable=True),
        sa.Column('assessment_id', sa.Integer(), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=50), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('(consent_id IS NULL) <> (assessment_id IS NULL)',
                           name=op.f('ck_paper_scans_one_paper')),
        sa.ForeignKeyConstraint(['assessment_id'], ['medical_assessments.id'],
                                name=op.f('fk_paper_scans_assessment_id_medical_assessments'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['consent_id'], ['consents.id'],
                                name=op.f('fk_paper_scans_consent_id_consents'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['inmate_id'], ['inmates.id'],
                                name=op.f('fk_paper_scans_inmate_id_inmates'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                                name=op.f('fk_paper_scans_uploaded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_scans')),
        sa.UniqueConstraint('assessment_id', name=op.f('uq_paper_scans_assessment_id')),
        sa.UniqueConstraint('consent_id', name=op.f('uq_paper_scans_consent_id')),
    )
    with op.batch_alter_table('paper_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_scans_inmate_id'), ['inmate_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_paper_scans_uploaded_by_id'), ['uploaded_by_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('paper_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_scans_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_paper_scans_inmate_id'))
    op.drop_table('paper_scans')
