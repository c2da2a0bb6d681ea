"""evidence: files by SHA-256, who holds them, chunked uploads, attachments

New tables, and a flag on a return's comment per indicator asking for better
evidence (false for every comment already made).

Revision ID: s8_evidence
Revises: s7_area_prefix_indexes
Create Date: 2026-11-26 00:44:42.751545

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 's8_evidence'
down_revision = 's7_area_prefix_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evidence_files',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('has_thumbnail', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_evidence_files'))
    )
    op.create_table('evidence_objects',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_evidence_objects'))
    )
    op.create_table('evidence_holders',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('subdistrict_code', sa.String(length=6), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['evidence_files.sha256'], name=op.f('fk_evidence_holders_sha256_evidence_files'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subdistrict_code'], ['areas.code'], name=op.f('fk_evidence_holders_subdistrict_code_areas')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_evidence_holders_uploaded_by_users')),
    sa.PrimaryKeyConstraint('sha256', 'subdistrict_code', name=op.f('pk_evidence_holders'))
    )
    op.create_table('evidence_uploads',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('subdistrict_code', sa.String(length=6), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('started_by', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['started_by'], ['users.id'], name=op.f('fk_evidence_uploads_started_by_users')),
    sa.ForeignKeyConstraint(['subdistrict_code'], ['areas.code'], name=op.f('fk_evidence_uploads_subdistrict_code_areas')),
    sa.PrimaryKeyConstraint('sha256', 'subdistrict_code', name=op.f('pk_evidence_uploads'))
    )
    op.create_table('evidence_attachments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('assessment_id', sa.String(length=36), nullable=False),
    sa.Column('indicator_code', sa.String(length=16), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('added_by', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_by', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(caption) <= 200', name=op.f('ck_evidence_attachments_caption_length')),
    sa.ForeignKeyConstraint(['added_by'], ['users.id'], name=op.f('fk_evidence_attachments_added_by_users')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_evidence_attachments_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['removed_by'], ['users.id'], name=op.f('fk_evidence_attachments_removed_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_attachments'))
    )
    with op.batch_alter_table('evidence_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_attachments_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_attachments_sha256'), ['sha256'], unique=False)

    op.create_table('evidence_chunks',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('subdistrict_code', sa.String(length=6), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['sha256', 'subdistrict_code'], ['evidence_uploads.sha256', 'evidence_uploads.subdistrict_code'], name=op.f('fk_evidence_chunks_sha256_evidence_uploads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sha256', 'subdistrict_code', 'position', name=op.f('pk_evidence_chunks'))
    )


    with op.batch_alter_table('indicator_comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wants_evidence', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('indicator_comments', schema=None) as batch_op:
        batch_op.drop_column('wants_evidence')
    op.drop_table('evidence_chunks')
    with op.batch_alter_table('evidence_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_attachments_sha256'))
        batch_op.drop_index(batch_op.f('ix_evidence_attachments_assessment_id'))

    op.drop_table('evidence_attachments')
    op.drop_table('evidence_uploads')
    op.drop_table('evidence_holders')
    op.drop_table('evidence_objects')
    op.drop_table('evidence_files')
