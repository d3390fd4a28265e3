"""kept violations hold each violation whole (its day and why), no longer only its rule
and placement: the kept ones of the old form are forgotten, to be computed again when
next read (kept figures are a cache of what the checks compute; app/placements/kept.py)

Revision ID: b3d7f1a9c5e2
Revises: a6c9e2f4b7d1
Create Date: 2026-12-07 19:00:00

"""
from alembic import op


revision = 'b3d7f1a9c5e2'
down_revision = 'a6c9e2f4b7d1'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM kept_days WHERE kind = 'violations'")


def downgrade():
    op.execute("DELETE FROM kept_days WHERE kind = 'violations'")
