"""notices: each person's inbox

A new table, empty: nobody is told of anything that happened before this
release. A notice keeps its event and values (not its text), so each person
reads it in their own language; one event is one notice per person
(``user_id``, ``key`` unique).

Revision ID: s11_notices
Revises: s10_framework_versions
Create Date: 2026-12-05 05:33:48.857788

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 's11_notices'
down_revision = 's10_framework_versions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_notices_user_id'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_user_newest', ['user_id', 'id'], unique=False)
        batch_op.create_index('ix_notices_user_unread', ['user_id', 'read_at'], unique=False)



def downgrade():
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_user_unread')
        batch_op.drop_index('ix_notices_user_newest')

    op.drop_table('notices')
