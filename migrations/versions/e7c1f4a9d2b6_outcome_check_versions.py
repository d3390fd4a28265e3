"""outcome checks: a correction is a new version (R23), the one it replaces kept;
a course completed sooner than its hours allow keeps the officer's reason; a "no"
to a person proposed for a job outside keeps its reason

Revision ID: e7c1f4a9d2b6
Revises: e5b9c1d7a3f2
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7c1f4a9d2b6'
down_revision = 'e5b9c1d7a3f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outcome_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('correction_reason', sa.String(length=500),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('superseded_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_outcome_checks_plan_id_months'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_outcome_checks_plan_id_months_version'),
                                          ['plan_id', 'months', 'version'])
    with op.batch_alter_table('outcome_checks', schema=None) as batch_op:
        batch_op.alter_column('version', server_default=None)
        batch_op.alter_column('correction_reason', server_default=None)
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('early_reason', sa.String(length=300), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.alter_column('early_reason', server_default=None)
    with op.batch_alter_table('job_answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=300), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('job_answers', schema=None) as batch_op:
        batch_op.alter_column('reason', server_default=None)


def downgrade():
    with op.batch_alter_table('job_answers', schema=None) as batch_op:
        batch_op.drop_column('reason')
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_column('early_reason')
    op.execute("DELETE FROM outcome_checks WHERE superseded_at IS NOT NULL")
    with op.batch_alter_table('outcome_checks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_outcome_checks_plan_id_months_version'),
                                 type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_outcome_checks_plan_id_months'),
                                          ['plan_id', 'months'])
        batch_op.drop_column('superseded_at')
        batch_op.drop_column('correction_reason')
        batch_op.drop_column('version')
