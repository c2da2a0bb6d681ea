"""answers: no index holds a score, so saving a score rewrites no index

``ix_answers_assessment_scores`` carried each answer's score, for an
index-only scan of a province's results. But an index holding a column
that an UPDATE changes stops PostgreSQL from making that update HOT: each
of a save's 23 answer updates also wrote a new entry into both indexes of
answers, and the indexes swelled with dead entries on every save. Without
it (the primary key, assessment then indicator, already finds an
assessment's answers), saves are HOT updates: bench/sync_throughput.py
measured PostgreSQL's CPU per save down by about a third, and a province's
results page still answers in about 40 ms at country scale
(bench/country_dashboards.py). Pages are left 10% free so that the first
update of an answer finds room on its own page, and is HOT too.

On SQLite the index only repeated the primary key's first column.

Revision ID: s16_answers_hot_updates
Revises: s15_report_files
Create Date: 2026-12-06 10:00:00

"""
from alembic import op


revision = 's16_answers_hot_updates'
down_revision = 's15_report_files'
branch_labels = None
depends_on = None

FILLFACTOR = 90


def upgrade():
    op.drop_index('ix_answers_assessment_scores', table_name='answers')
    if op.get_bind().dialect.name == 'postgresql':
        # New pages only; existing pages get the room as they are rewritten.
        op.execute(f'ALTER TABLE answers SET (fillfactor = {FILLFACTOR})')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE answers RESET (fillfactor)')
    op.create_index('ix_answers_assessment_scores', 'answers', ['assessment_id'],
                    unique=False, postgresql_include=['indicator_code', 'score'])
