"""users.session_epoch: logging out ends every session of the person

Revision ID: s4_session_epoch
Revises: s3_sync_receipts
Create Date: 2026-11-25 18:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = 's4_session_epoch'
down_revision = 's3_sync_receipts'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows start at 0, which is what their current sessions carry.
    op.add_column('users', sa.Column('session_epoch', sa.Integer(), nullable=False,
                                     server_default='0'))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('session_epoch')
