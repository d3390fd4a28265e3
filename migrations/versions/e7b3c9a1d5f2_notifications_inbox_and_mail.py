"""notifications: one row per recipient user, stored as a kind and its parameters
(rendered in the reader's language), read and e-mailed moments, a key for notices
that must not repeat; users choose how notifications are e-mailed

Revision ID: e7b3c9a1d5f2
Revises: e3b8c1d4f6a2
Create Date: 2026-12-07 09:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e7b3c9a1d5f2'
down_revision = 'e3b8c1d4f6a2'
branch_labels = None
depends_on = None

MAIL_CHOICES = ('immediately', 'daily_digest', 'no_email')


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'mail_choice', sa.Enum(*MAIL_CHOICES, name='mailchoice', native_enum=False,
                                   create_constraint=True, length=32),
            server_default='immediately', nullable=False))

    # The old rows were stored translated, to an address: each one an address's user
    # has is kept as plain text ("text" kind) in that user's inbox.
    connection = op.get_bind()
    old = connection.execute(sa.text(
        "SELECT n.created_at, u.id, n.subject, n.body, n.read_at FROM notifications n "
        "JOIN users u ON lower(u.email) = lower(n.recipient_email)")).all()
    op.drop_table('notifications')
    notifications = op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('link', sa.String(length=300), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=True),
        sa.Column('read_at', sa.DateTime(), nullable=True),
        sa.Column('emailed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
        sa.UniqueConstraint('user_id', 'key', name=op.f('uq_notifications_user_id_key')),
    )
    op.create_index(op.f('ix_notifications_created_at'), 'notifications', ['created_at'])
    op.create_index(op.f('ix_notifications_user_id'), 'notifications', ['user_id'])
    # Kept rows count as e-mailed: nobody is e-mailed news of before the upgrade.
    op.bulk_insert(notifications, [
        {'created_at': created_at, 'user_id': user_id, 'kind': 'text',
         'params': {'subject': subject, 'body': body}, 'link': '', 'key': None,
         'read_at': read_at, 'emailed_at': created_at}
        for created_at, user_id, subject, body, read_at in old])


def downgrade():
    op.drop_index(op.f('ix_notifications_user_id'), table_name='notifications')
    op.drop_index(op.f('ix_notifications_created_at'), table_name='notifications')
    op.drop_table('notifications')
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('recipient_email', sa.String(length=254), nullable=False),
        sa.Column('employer_id', sa.Integer(), nullable=True),
        sa.Column('institution_id', sa.Integer(), nullable=True),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('read_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['employer_id'], ['employers.id'],
                                name=op.f('fk_notifications_employer_id_employers')),
        sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'],
                                name=op.f('fk_notifications_institution_id_institutions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    )
    op.create_index(op.f('ix_notifications_employer_id'), 'notifications', ['employer_id'])
    op.create_index(op.f('ix_notifications_institution_id'), 'notifications',
                    ['institution_id'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('mail_choice')
