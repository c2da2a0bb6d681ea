"""framework versions: the text each assessment was made with, and each year's active version

``framework_versions`` keeps a framework's YAML text under its version name,
never changed or deleted (a trigger on each dialect refuses it), so an
assessment's ``framework_version`` always means what it meant when it was
made. The framework files shipped with this release are stored now: every
assessment already made names one of them. ``framework_activations`` is
empty: until the department activates one, each year keeps using the
newest shipped file for it, as before. Activations are added, never changed:
the latest for a year is in force and the earlier ones are its history.

Revision ID: s10_framework_versions
Revises: s9_accounts
Create Date: 2026-12-04 16:45:00

"""
import hashlib
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic import op


# revision identifiers, used by Alembic.
revision = 's10_framework_versions'
down_revision = 's9_accounts'
branch_labels = None
depends_on = None

SHIPPED = Path(__file__).resolve().parents[2] / "korch_pwa" / "frameworks"

# Copied, not imported: a migration must keep meaning what it meant when written.
UNCHANGING = {
    "postgresql": [
        """CREATE OR REPLACE FUNCTION framework_versions_unchanging() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'framework_versions rows never change'; END; $$
           LANGUAGE plpgsql""",
        """CREATE TRIGGER framework_versions_unchanging BEFORE UPDATE OR DELETE
           ON framework_versions FOR EACH ROW EXECUTE FUNCTION framework_versions_unchanging()""",
    ],
    "sqlite": [
        """CREATE TRIGGER framework_versions_no_update BEFORE UPDATE ON framework_versions
           BEGIN SELECT RAISE(ABORT, 'framework_versions rows never change'); END""",
        """CREATE TRIGGER framework_versions_no_delete BEFORE DELETE ON framework_versions
           BEGIN SELECT RAISE(ABORT, 'framework_versions rows never change'); END""",
    ],
}


def upgrade():
    versions = op.create_table(
        'framework_versions',
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
        sa.PrimaryKeyConstraint('version'))
    op.create_table(
        'framework_activations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('activated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('activated_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['activated_by'], ['users.id'], ),
        sa.ForeignKeyConstraint(['version'], ['framework_versions.version'], ),
        sa.PrimaryKeyConstraint('id'))
    op.create_index(op.f('ix_framework_activations_fiscal_year'), 'framework_activations',
                    ['fiscal_year'], unique=False)
    rows, now = [], datetime.now(timezone.utc)
    for path in sorted(SHIPPED.glob("*.yaml")):
        source = path.read_text(encoding="utf-8")
        data = yaml.safe_load(source)
        rows.append({"version": str(data["version"]), "fiscal_year": int(data["fiscal_year"]),
                     "source": source, "sha256": hashlib.sha256(source.encode()).hexdigest(),
                     "created_at": now, "created_by": None})
    if rows:
        op.bulk_insert(versions, rows)
    for statement in UNCHANGING.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    op.drop_table('framework_activations')
    op.drop_table('framework_versions')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS framework_versions_unchanging()")
