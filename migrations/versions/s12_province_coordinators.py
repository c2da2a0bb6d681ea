"""province coordinators: whom a province's districts call

A new table, empty: each province names its coordinator when it is ready.

Revision ID: s12_province_coordinators
Revises: s11_notices
Create Date: 2026-12-05 05:40:09.779023

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 's12_province_coordinators'
down_revision = 's11_notices'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('province_coordinators',
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['areas.code'], name=op.f('fk_province_coordinators_province_code_areas')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_province_coordinators_updated_by_users')),
    sa.PrimaryKeyConstraint('province_code', name=op.f('pk_province_coordinators'))
    )


def downgrade():
    op.drop_table('province_coordinators')
