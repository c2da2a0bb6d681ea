"""The evidence stores (database, directory) and the CLI that moves files between them."""

import pytest

from korch_pwa.evidence.content import sha256_hex
from korch_pwa.evidence.storage import DatabaseStore, DirectoryStore, store_for
from korch_pwa.extensions import db
from tests.conftest import make_app


@pytest.fixture(params=["database", "directory"])
def store(request, ctx, tmp_path):
    """Each kind of store, empty."""
    return DatabaseStore() if request.param == "database" else DirectoryStore(tmp_path / "ev")


def test_a_store_keeps_bytes_by_key(store):
    key = sha256_hex(b"photo")
    assert (store.get(key), store.has(key), store.keys()) == (None, False, [])
    store.put(key, b"photo")
    store.put(key, b"photo")  # the same bytes again: no error, still one
    store.put(key + ".thumb", b"small")
    db.session.commit()
    assert store.get(key) == b"photo" and store.has(key)
    assert store.keys() == sorted([key, key + ".thumb"])
    store.delete(key)
    store.delete(key)  # gone already: nothing to do
    db.session.commit()
    assert store.keys() == [key + ".thumb"]


def test_a_directory_store_leaves_no_half_written_file(tmp_path, ctx):
    store = DirectoryStore(tmp_path)
    key = sha256_hex(b"x")
    store.put(key, b"x")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [p.name for p in files] == [key]
    with pytest.raises(ValueError):
        store.get("../../etc/passwd")


def test_store_uris(tmp_path):
    assert isinstance(store_for("database"), DatabaseStore)
    assert isinstance(store_for(""), DatabaseStore)
    directory = store_for(tmp_path.as_uri())
    assert isinstance(directory, DirectoryStore) and directory.root == tmp_path
    for wrong in ("s3://bucket", "file://relative/dir", "/tmp/x", "redis://x"):
        with pytest.raises(ValueError):
            store_for(wrong)


def test_a_wrong_store_setting_stops_the_start(database_url):
    with pytest.raises(ValueError, match="EVIDENCE_STORE"):
        make_app(database_url, EVIDENCE_STORE="s3://somewhere")


def _put_files(app, count):
    """Store ``count`` files (and one thumbnail) in the app's store; return their keys."""
    from korch_pwa.evidence.models import EvidenceFile
    from korch_pwa.evidence.storage import current_store

    keys = []
    with app.app_context():
        store = current_store()
        for n in range(count):
            data = f"file {n}".encode()
            key = sha256_hex(data)
            store.put(key, data)
            db.session.add(EvidenceFile(sha256=key, content_type="application/pdf",
                                        size=len(data), has_thumbnail=n == 0))
            keys.append(key)
        store.put(keys[0] + ".thumb", b"thumb")
        db.session.commit()
        db.session.remove()
    return keys


def test_move_from_the_database_to_a_directory_and_back(app, runner, tmp_path):
    keys = _put_files(app, 3)
    target = tmp_path / "evidence"
    result = runner.invoke(args=["evidence", "move", "--to", target.as_uri()])
    assert result.exit_code == 0, result.output
    assert "moved 4 objects" in result.output
    directory = DirectoryStore(target)
    assert sorted(directory.keys()) == sorted(keys + [keys[0] + ".thumb"])
    with app.app_context():
        assert DatabaseStore().keys() == []  # moved, not copied
    # Now run from the directory: verify finds everything, then move it back, keeping both.
    app.config["EVIDENCE_STORE"] = target.as_uri()
    verified = runner.invoke(args=["evidence", "verify"])
    assert verified.exit_code == 0 and "0 problems" in verified.output
    back = runner.invoke(args=["evidence", "move", "--to", "database", "--keep"])
    assert back.exit_code == 0, back.output
    with app.app_context():
        assert sorted(DatabaseStore().keys()) == sorted(directory.keys())


def test_verify_finds_a_damaged_and_a_missing_file(app, runner, tmp_path):
    keys = _put_files(app, 2)
    app.config["EVIDENCE_STORE"] = tmp_path.as_uri()
    directory = DirectoryStore(tmp_path)
    directory.put(keys[0], b"not what was sent")
    result = runner.invoke(args=["evidence", "verify"])
    assert result.exit_code == 1
    assert f"missing or damaged: {keys[0]}" in result.output
    assert f"missing or damaged: {keys[1]}" in result.output
    assert f"thumbnail missing: {keys[0]}" in result.output


def test_move_refuses_the_store_it_is_already_in(app, runner):
    result = runner.invoke(args=["evidence", "move", "--to", "database"])
    assert result.exit_code != 0 and "already" in result.output
