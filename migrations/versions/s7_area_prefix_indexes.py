"""area prefix indexes: dashboards, results and reports at country scale

``code LIKE '30%'`` (everything under a province or district) can use a
btree index on PostgreSQL only with a pattern operator class when the
database's collation is not "C" (C.UTF-8 and th_TH are not): these indexes
give the dashboard, results and report loaders an index range scan instead
of reading every row of the country. On SQLite they are plain indexes.
An index of answers by assessment carrying the indicator and the score lets a
province's results be read by an index-only scan.

Revision ID: s7_area_prefix_indexes
Revises: s6_text_length_checks
Create Date: 2026-11-25 20:00:00

"""
from alembic import op


revision = 's7_area_prefix_indexes'
down_revision = 's6_text_length_checks'
branch_labels = None
depends_on = None

PATTERN = 'varchar_pattern_ops'


def upgrade():
    op.create_index('ix_areas_code_prefix', 'areas', ['code'], unique=False,
                    postgresql_ops={'code': PATTERN})
    op.create_index('ix_assessments_round_code_prefix', 'assessments',
                    ['round_id', 'subdistrict_code'], unique=False,
                    postgresql_ops={'subdistrict_code': PATTERN})
    op.create_index('ix_committees_area_code_prefix', 'committees', ['area_code'],
                    unique=False, postgresql_ops={'area_code': PATTERN})
    op.create_index('ix_strong_subdistrict_activities_year_code_prefix',
                    'strong_subdistrict_activities', ['fiscal_year', 'subdistrict_code'],
                    unique=False, postgresql_ops={'subdistrict_code': PATTERN})
    # A province's results read its assessments' scores from the index alone.
    op.create_index('ix_answers_assessment_scores', 'answers', ['assessment_id'],
                    unique=False, postgresql_include=['indicator_code', 'score'])


def downgrade():
    op.drop_index('ix_answers_assessment_scores', table_name='answers')
    op.drop_index('ix_strong_subdistrict_activities_year_code_prefix',
                  table_name='strong_subdistrict_activities')
    op.drop_index('ix_committees_area_code_prefix', table_name='committees')
    op.drop_index('ix_assessments_round_code_prefix', table_name='assessments')
    op.drop_index('ix_areas_code_prefix', table_name='areas')
