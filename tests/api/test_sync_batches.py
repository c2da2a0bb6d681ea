"""A batch is one transaction with a savepoint per item: it pays to batch."""

from sqlalchemy import event, select

from korch_pwa.assessment.models import Assessment
from korch_pwa.extensions import db
from korch_pwa.sync_api.models import SyncReceipt
from tests.api.test_sync_api import change, count, item, post, stored
from tests.helpers import statements_during


def commits_during(app, send):
    """Return how many transactions ``send()`` committed, and its response."""
    commits = []
    with app.app_context():
        engine = db.engine

    def counted(_connection):
        commits.append(1)

    event.listen(engine, "commit", counted)
    try:
        response = send()
    finally:
        event.remove(engine, "commit", counted)
    return len(commits), response


def test_ten_items_commit_once_and_each_is_applied_in_turn(app, client, auth, world):
    """Each item's base is the one before it; all ten stored, with one commit."""
    auth.login("member_a")
    items = [item(world, changes=[change("1.1", (n + 1) % 4, base=n % 4 if n else None)])
             for n in range(10)]
    commits, response = commits_during(app, lambda: post(client, *items))
    results = response.json["results"]
    assert [r["status"] for r in results] == ["ok"] * 10
    assert [r["assessment"]["version"] for r in results] == list(range(2, 12))
    assert commits == 1
    assert stored(app) == {"1.1": 10 % 4} and count(app, SyncReceipt) == 10


def test_a_refused_item_undoes_only_itself(app, client, auth, world):
    """A rule refusal (bad score) and a rights refusal (another area) between good items."""
    auth.login("member_a")
    bad_score = item(world, changes=[change("1.2", 1), change("1.3", 9)])
    other_area = item(world, code="520102")
    batch = [item(world), bad_score, other_area,
             item(world, changes=[change("1.4", 3)])]
    results = post(client, *batch).json["results"]
    assert [r["status_code"] for r in results] == [200, 422, 404, 200]
    assert results[1]["error"]["field"] == "items.1.changes.1.mine.score"
    assert stored(app) == {"1.1": 2, "1.4": 3}
    assert count(app, Assessment, Assessment.subdistrict_code == "520102") == 0
    with app.app_context():
        kept = set(db.session.scalars(select(SyncReceipt.client_id)))
        db.session.remove()
    # The rule refusal is answered the same way when resent; the rights one is not kept.
    assert kept == {batch[0]["client_id"], bad_score["client_id"], batch[3]["client_id"]}


def test_a_new_assessment_made_in_a_batch_survives_a_later_refusal(app, client, auth, world):
    """The savepoint of a refused item does not take the new assessment with it."""
    auth.login("member_a")
    results = post(client, item(world), item(world, changes=[change("1.2", 7)])).json["results"]
    assert [r["status"] for r in results] == ["ok", "error"]
    assert stored(app) == {"1.1": 2}


def test_saves_of_a_stored_assessment_cost_few_statements_each(app, client, auth, world):
    """On PostgreSQL a save needs no savepoint: its writes are one all-or-nothing statement."""
    auth.login("member_a")
    post(client, item(world, changes=[change("1.1", 0)]))  # the assessment exists from here
    items = [item(world, changes=[change("1.1", (n + 1) % 4, base=n % 4),
                                  change("1.2", n % 4, base=(n - 1) % 4 if n else None)])
             for n in range(10)]
    statements, response = statements_during(app, lambda: post(client, *items))
    assert [r["status"] for r in response.json["results"]] == ["ok"] * 10
    assert stored(app) == {"1.1": 10 % 4, "1.2": 9 % 4}
    savepoints = [s for s in statements if s.startswith("SAVEPOINT")]
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "postgresql":
        # Per item its locked read (the first also reads the person: the
        # session's claims, auth.claims) and its one write.
        assert savepoints == [] and len(statements) == 2 * 10, statements
    else:
        # SQLite writes as it goes: each item in its savepoint, so a refusal undoes it alone.
        assert len(savepoints) == 10
