"""jobs of the system itself (the immediate e-mail of notifications) have no owner

Revision ID: c4a8e2f6b1d9
Revises: e7b3c9a1d5f2
Create Date: 2026-12-07 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a8e2f6b1d9'
down_revision = 'e7b3c9a1d5f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("DELETE FROM jobs WHERE user_id IS NULL")
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
