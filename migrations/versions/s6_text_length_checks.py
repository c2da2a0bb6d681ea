"""CHECK the length of notes and comments in the database, as the form and the API do

Revision ID: s6_text_length_checks
Revises: s5_rate_limit_counters
Create Date: 2026-11-25 20:05:00

Rows written before the limit existed may be longer (the HTML form took 5,000
characters); they are kept as they are. PostgreSQL adds the checks NOT VALID:
enforced for every new write, existing rows untouched. SQLite can only add a
check by rebuilding the table, which would refuse such a row, so there the
check is added only to a table without one; the service layer refuses an
over-long note on every database regardless.
"""
from alembic import op
import sqlalchemy as sa


revision = 's6_text_length_checks'
down_revision = 's5_rate_limit_counters'
branch_labels = None
depends_on = None

# Frozen here: NOTE_MAX and COMMENT_MAX of korch_pwa/domain/limits.py when written.
CHECKS = [
    ("answers", "ck_answers_note_length", "note", 2000),
    ("assessment_events", "ck_assessment_events_comment_length", "comment", 2000),
    ("indicator_comments", "ck_indicator_comments_comment_length", "comment", 2000),
]


def upgrade():
    bind = op.get_bind()
    for table, name, column, limit in CHECKS:
        condition = f"length({column}) <= {limit}"
        if bind.dialect.name == "postgresql":
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition}) NOT VALID")
            continue
        longer = bind.execute(sa.text(
            f"SELECT count(*) FROM {table} WHERE NOT ({condition})")).scalar()
        if longer:
            print(f"{table}: {longer} rows longer than {limit} characters are kept; "
                  f"the check {name} is not added on this SQLite database")
            continue
        with op.batch_alter_table(table) as batch:
            batch.create_check_constraint(op.f(name), condition)


def downgrade():
    bind = op.get_bind()
    for table, name, _column, _limit in CHECKS:
        if bind.dialect.name == "postgresql":
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
            continue
        names = {c["name"] for c in sa.inspect(bind).get_check_constraints(table)}
        if name in names:
            with op.batch_alter_table(table) as batch:
                batch.drop_constraint(op.f(name), type_="check")
