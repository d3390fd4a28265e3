"""the person's own agreement to a release plan's part (agreed, or declined with the
reason); who escorts a person still in custody to an interview a partner arranged

Revision ID: a7c5e3f9d2b8
Revises: a7c3e5d9b2f1
Create Date: 2026-12-07 15:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c5e3f9d2b8'
down_revision = 'a7c3e5d9b2f1'  # after attendance and suspensions
branch_labels = None
depends_on = None

TEXTS = {
    'plan_parts': (('agreement', 16), ('agreement_reason', 500)),
    'referrals': (('interview_escort', 200),),
}


def upgrade():
    for table, columns in TEXTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, length in columns:
                batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=False,
                                              server_default=''))
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _length in columns:
                batch_op.alter_column(name, server_default=None)


def downgrade():
    for table, columns in TEXTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _length in columns:
                batch_op.drop_column(name)
