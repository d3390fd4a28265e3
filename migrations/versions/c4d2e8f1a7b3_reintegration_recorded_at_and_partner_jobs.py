"""reintegration: when releases and outcome checks were recorded; jobs posted by
employment centres

Revision ID: c4d2e8f1a7b3
Revises: 0d7a125dbf86
Create Date: 2026-11-30 04:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d2e8f1a7b3'
down_revision = '0d7a125dbf86'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('release_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('release_recorded_at', sa.DateTime(), nullable=True))
    # Rows from before: the best known moment is the day itself.
    op.execute("UPDATE release_plans SET release_recorded_at = released_on "
               "WHERE released_on IS NOT NULL")

    with op.batch_alter_table('outcome_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE outcome_checks SET recorded_at = checked_on")
    with op.batch_alter_table('outcome_checks', schema=None) as batch_op:
        batch_op.alter_column('recorded_at', existing_type=sa.DateTime(), nullable=False)

    with op.batch_alter_table('outside_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_id', sa.Integer(), nullable=True))
        batch_op.alter_column('employer_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_outside_jobs_partner_id'), ['partner_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outside_jobs_partner_id_partner_organisations'),
                                    'partner_organisations', ['partner_id'], ['id'])
        batch_op.create_check_constraint(
            batch_op.f('ck_outside_jobs_one_poster'),
            '(employer_id IS NULL) <> (partner_id IS NULL)')


def downgrade():
    op.execute("DELETE FROM outside_jobs WHERE employer_id IS NULL")
    with op.batch_alter_table('outside_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outside_jobs_one_poster'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_outside_jobs_partner_id_partner_organisations'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outside_jobs_partner_id'))
        batch_op.alter_column('employer_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('partner_id')

    with op.batch_alter_table('outcome_checks', schema=None) as batch_op:
        batch_op.drop_column('recorded_at')

    with op.batch_alter_table('release_plans', schema=None) as batch_op:
        batch_op.drop_column('release_recorded_at')
