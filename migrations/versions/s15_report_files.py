"""report_files: each area's progress report as last rendered to PDF or XLSX

A new, empty table of derived data: the first download of each report
renders it as before and stores it.

Revision ID: s15_report_files
Revises: s14_deliveries
Create Date: 2026-12-06 02:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 's15_report_files'
down_revision = 's14_deliveries'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_files',
    sa.Column('area_code', sa.String(length=6), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=4), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_report_files_area_code_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('area_code', 'fiscal_year', 'format', name=op.f('pk_report_files'))
    )


def downgrade():
    op.drop_table('report_files')
