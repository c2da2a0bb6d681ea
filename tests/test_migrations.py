"""`flask db upgrade` on an empty database gives the schema of the models."""

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from korch_pwa.extensions import db
from tests.conftest import make_app

def test_upgrade_from_empty_matches_models_and_downgrades(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diffs == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"assessments", "answers", "committees", "district_reports"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_single_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from korch_pwa import ROOT

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_session_epoch_upgrade_keeps_every_user(empty_database_url):
    """The previous release's database with people in it: same rows, epoch 0, downgrade back."""
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="s3_sync_receipts")
        with db.engine.begin() as conn:
            for n in range(3):
                conn.execute(text(
                    "INSERT INTO users (username, password_hash, full_name, position, role, "
                    "locale, active, created_at) VALUES (:u, 'x', :f, '', 'member', 'th', :a, "
                    "CURRENT_TIMESTAMP)"), {"u": f"person{n}", "f": f"คนที่ {n}", "a": n != 1})
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT username, active, session_epoch FROM users ORDER BY username")).all()
        assert [(r[0], bool(r[1]), r[2]) for r in rows] == [
            ("person0", True, 0), ("person1", False, 0), ("person2", True, 0)]
        downgrade(revision="s3_sync_receipts")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 3
        downgrade(revision="base")
        db.engine.dispose()


def _assessment_with_note(conn, note, answer_code="1.1"):
    """Insert the rows an answer needs, and the answer (raw SQL: any schema version)."""
    if not conn.execute(text("SELECT count(*) FROM areas")).scalar():
        conn.execute(text("INSERT INTO areas (code, level, name_th, name_en) "
                          "VALUES ('520101', 'subdistrict', 'เวียงเหนือ', '')"))
        conn.execute(text("INSERT INTO rounds (id, fiscal_year, number, department_due) "
                          "VALUES (1, 2570, 1, '2026-11-30')"))
        conn.execute(text(
            "INSERT INTO assessments (id, round_id, subdistrict_code, status, version, "
            "framework_version, created_at, updated_at) VALUES ('a1', 1, '520101', 'draft', 1, "
            "'2568', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    conn.execute(text("INSERT INTO answers (assessment_id, indicator_code, score, note, "
                      "updated_at) VALUES ('a1', :code, 1, :note, CURRENT_TIMESTAMP)"),
                 {"code": answer_code, "note": note})


def test_note_length_check_keeps_older_long_notes_and_refuses_new_ones(empty_database_url):
    """The previous release took 5,000-character notes in the form: such a row survives."""
    from sqlalchemy.exc import IntegrityError

    from korch_pwa.domain.limits import NOTE_MAX

    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="s5_rate_limit_counters")
        with db.engine.begin() as conn:
            _assessment_with_note(conn, "ก" * 4000)
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT length(note) FROM answers")).scalar() == 4000
        postgres = db.engine.dialect.name == "postgresql"
        if postgres:  # NOT VALID: the old row stays, a new long note is refused
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                _assessment_with_note(conn, "ข" * (NOTE_MAX + 1), "1.2")
        downgrade(revision="s5_rate_limit_counters")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM answers")).scalar() == 1
        downgrade(revision="base")
        db.engine.dispose()


def test_a_new_database_refuses_an_over_long_note_itself(empty_database_url):
    from sqlalchemy.exc import IntegrityError

    from korch_pwa.domain.limits import NOTE_MAX

    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            _assessment_with_note(conn, "ก" * NOTE_MAX)
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            _assessment_with_note(conn, "ข" * (NOTE_MAX + 1), "1.2")
        downgrade(revision="base")
        db.engine.dispose()


def test_framework_versions_upgrade_pins_what_assessments_were_made_with(empty_database_url):
    """Assessments already made keep their version; its text is stored and can never change."""
    from korch_pwa.domain.framework import FRAMEWORK_DIR

    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="s9_accounts")
        with db.engine.begin() as conn:
            _assessment_with_note(conn, "บันทึก")
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT framework_version FROM assessments")).all() == [
                ("2568",)]
            assert conn.execute(text("SELECT count(*) FROM answers")).scalar() == 1
            stored = dict(conn.execute(text("SELECT version, source FROM framework_versions")).all())
        shipped = {p.read_text(encoding="utf-8") for p in FRAMEWORK_DIR.glob("*.yaml")}
        assert set(stored.values()) == shipped and "2568.1-draft" in stored
        for statement in ("UPDATE framework_versions SET source = 'x'",
                          "DELETE FROM framework_versions"):
            with pytest.raises(Exception, match="never change"):
                with db.engine.begin() as conn:
                    conn.execute(text(statement))
        downgrade(revision="s9_accounts")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM assessments")).scalar() == 1
        downgrade(revision="base")
        db.engine.dispose()


def test_due_items_upgrade_gives_every_round_its_results_item(empty_database_url):
    """The previous release's rounds each get the item of their results, dates left on them."""
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="s12_province_coordinators")
        with db.engine.begin() as conn:
            for rid, year, number, due in ((1, 2569, 1, "2025-11-28"), (2, 2570, 1, "2026-11-30"),
                                           (3, 2570, 2, "2027-06-28")):
                conn.execute(text("INSERT INTO rounds (id, fiscal_year, number, department_due) "
                                  "VALUES (:i, :y, :n, :d)"),
                             {"i": rid, "y": year, "n": number, "d": due})
            # A district's progress report, submitted, and another's still a draft.
            conn.execute(text("INSERT INTO areas (code, level, name_th, name_en) VALUES "
                              "('52', 'province', 'ลำปาง', ''), "
                              "('5201', 'district', 'เมืองลำปาง', ''), "
                              "('5202', 'district', 'แม่เมาะ', '')"))
            conn.execute(text(
                "INSERT INTO users (id, username, password_hash, full_name, position, role, "
                "locale, active, created_at, session_epoch) VALUES (7, 'd', 'x', 'd', '', "
                "'district_officer', 'th', :t, CURRENT_TIMESTAMP, 0)"), {"t": True})
            for code, status, at in (("5201", "submitted", "2027-06-20 03:00:00"),
                                     ("5202", "draft", None)):
                conn.execute(text(
                    "INSERT INTO district_reports (district_code, fiscal_year, problems, "
                    "suggestions, reporter_name, reporter_position, status, counts, "
                    "submitted_at, submitted_by, updated_at) VALUES (:c, 2570, 'ปัญหา', '', "
                    "'ผู้รายงาน', 'พัฒนาการ', :s, :counts, :at, :by, CURRENT_TIMESTAMP)"),
                    {"c": code, "s": status, "counts": '{"kbt": 3}' if at else None,
                     "at": at, "by": 7 if at else None})
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text(
                "SELECT fiscal_year, kind, round_id, department_due FROM due_items "
                "WHERE round_id IS NOT NULL ORDER BY round_id")).all() == [
                    (2569, "round_results", 1, None), (2570, "round_results", 2, None),
                    (2570, "round_results", 3, None)]
            assert conn.execute(text("SELECT count(*) FROM rounds")).scalar() == 3
            # The submitted report is sent, on the day it was submitted, and can be returned.
            assert [tuple(map(str, r)) for r in conn.execute(text(
                "SELECT i.kind, i.department_due, d.area_code, d.state, d.version, d.sent_by "
                "FROM dispatches d JOIN due_items i ON i.id = d.due_item_id")).all()] == [
                    ("progress_report", "2027-06-28", "5201", "sent", "1", "7")]
            snapshot = conn.execute(text("SELECT snapshot FROM dispatches")).scalar()
            snapshot = json.loads(snapshot) if isinstance(snapshot, str) else snapshot
            assert snapshot["counts"] == {"kbt": 3} and snapshot["problems"] == "ปัญหา"
            assert conn.execute(text("SELECT act FROM dispatch_events")).scalars().all() == [
                "send"]
            assert conn.execute(text("SELECT count(*) FROM district_reports")).scalar() == 2
        # A year's item of another kind is one per year, and needs its own date.
        for statement in ("INSERT INTO due_items (fiscal_year, kind, department_due) "
                          "VALUES (2570, 'register', NULL)",
                          "INSERT INTO due_items (fiscal_year, kind, round_id, department_due) "
                          "VALUES (2570, 'round_results', 1, '2026-11-30')"):
            with pytest.raises(Exception):
                with db.engine.begin() as conn:
                    conn.execute(text(statement))
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO due_items (fiscal_year, kind, department_due) "
                              "VALUES (2570, 'register', '2026-11-30')"))
        # The progress report's item of 2570 is already there: one a year.
        with pytest.raises(Exception):
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO due_items (fiscal_year, kind, department_due) "
                                  "VALUES (2570, 'progress_report', '2027-06-27')"))
        with pytest.raises(Exception):
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO due_items (fiscal_year, kind, department_due) "
                                  "VALUES (2570, 'register', '2026-11-29')"))
        downgrade(revision="s12_province_coordinators")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM rounds")).scalar() == 3
            assert conn.execute(text("SELECT count(*) FROM district_reports")).scalar() == 2
        downgrade(revision="base")
        db.engine.dispose()


def _answers_storage(conn):
    """Return (columns of every index of answers, the table's storage options)."""
    indexes = {i["name"]: tuple(i["column_names"]) + tuple(
        i.get("include_columns") or i.get("dialect_options", {}).get("postgresql_include") or ())
        for i in inspect(conn).get_indexes("answers")}
    options = None
    if conn.dialect.name == "postgresql":
        options = conn.execute(text(
            "SELECT reloptions FROM pg_class WHERE relname = 'answers'")).scalar()
    return indexes, options


def test_saving_a_score_rewrites_no_index_however_the_database_was_made(empty_database_url):
    """Upgraded or made from the models: no index holds a score, and pages keep room.

    An index holding the score would make every answer update rewrite the
    indexes rather than be HOT on PostgreSQL (migration s16_answers_hot_updates).
    """
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="s15_report_files")
        with db.engine.connect() as conn:
            before, _ = _answers_storage(conn)
        assert "ix_answers_assessment_scores" in before
        upgrade()
        with db.engine.connect() as conn:
            upgraded = _answers_storage(conn)
        downgrade(revision="base")
        db.metadata.create_all(db.engine)
        with db.engine.connect() as conn:
            made = _answers_storage(conn)
        db.metadata.drop_all(db.engine)
        db.engine.dispose()
    for indexes, options in (upgraded, made):
        assert not any("score" in columns for columns in indexes.values())
        if options is not None:
            assert options == ["fillfactor=90"]
