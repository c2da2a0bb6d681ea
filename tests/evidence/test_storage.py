"""The evidence stores (database, directory, S3-compatible object store) and the CLI that
moves files between them."""

import pytest

from korch_pwa.evidence.content import sha256_hex
from korch_pwa.evidence.storage import DatabaseStore, DirectoryStore, ObjectStore, store_for
from korch_pwa.extensions import db
from tests.conftest import make_app


@pytest.fixture(params=["database", "directory", "object store"])
def store(request, ctx, tmp_path):
    """Each kind of store, empty."""
    if request.param == "object store":
        return ObjectStore(request.getfixturevalue("s3_bucket"), "evidence")
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
    bucket = store_for("s3://korch-evidence/ubon/photos/")
    assert isinstance(bucket, ObjectStore)
    assert (bucket.bucket, bucket.prefix, bucket.uri) == ("korch-evidence", "ubon/photos/",
                                                          "s3://korch-evidence/ubon/photos/")
    assert store_for("s3://korch-evidence").prefix == ""
    for wrong in ("s3://", "s3://Bad_Bucket/x", "s3://b/x", "s3://korch?region=x",
                  "file://relative/dir", "/tmp/x", "redis://x"):
        with pytest.raises(ValueError):
            store_for(wrong)


def test_a_wrong_store_setting_stops_the_start(database_url):
    with pytest.raises(ValueError, match="EVIDENCE_STORE"):
        make_app(database_url, EVIDENCE_STORE="s3://Not A Bucket")


def test_an_object_store_keeps_to_its_prefix(ctx, s3_bucket):
    photos, other = ObjectStore(s3_bucket, "ubon"), ObjectStore(s3_bucket, "ubon-old")
    key = sha256_hex(b"photo")
    photos.put(key, b"photo")
    other.put(key, b"older")
    assert (photos.get(key), other.get(key)) == (b"photo", b"older")
    assert photos.keys() == [key] and other.keys() == [key]
    photos.delete(key)
    assert (photos.has(key), other.has(key)) == (False, True)
    with pytest.raises(ValueError):
        photos.get("../ubon-old/" + key)


def test_a_missing_bucket_is_an_error_not_a_missing_file(ctx, s3_bucket):
    from botocore.exceptions import ClientError

    store = ObjectStore(s3_bucket + "-not-made", "evidence")  # no such bucket: 404 NoSuchBucket
    with pytest.raises(ClientError):
        store.get(sha256_hex(b"x"))


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


def test_move_to_an_object_store_and_verify_it(app, runner, s3_bucket):
    keys = _put_files(app, 3)
    uri = f"s3://{s3_bucket}/evidence/"
    result = runner.invoke(args=["evidence", "move", "--to", uri])
    assert result.exit_code == 0, result.output
    assert "moved 4 objects" in result.output and f"EVIDENCE_STORE={uri}" in result.output
    assert ObjectStore(s3_bucket, "evidence").keys() == sorted(keys + [keys[0] + ".thumb"])
    with app.app_context():
        assert DatabaseStore().keys() == []
    app.config["EVIDENCE_STORE"] = uri
    verified = runner.invoke(args=["evidence", "verify"])
    assert verified.exit_code == 0 and "0 problems" in verified.output
    ObjectStore(s3_bucket, "evidence").put(keys[1] + ".x", b"")  # not ours: ignored
    ObjectStore(s3_bucket, "evidence").delete(keys[2])
    damaged = runner.invoke(args=["evidence", "verify"])
    assert damaged.exit_code == 1 and f"missing or damaged: {keys[2]}" in damaged.output


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


def test_a_phone_s_upload_lands_in_the_object_store_and_the_officer_sees_it(
        app, client, auth, world, s3_bucket):
    from tests.evidence.images import photo
    from tests.evidence.test_evidence_api import missing, put

    app.config["EVIDENCE_STORE"] = f"s3://{s3_bucket}/evidence"
    data = photo(width=400, height=300)
    auth.login("member_a")
    assert put(client, data, chunk=data[:1000]).status_code == 200
    assert missing(client, data).json["missing"][0]["offset"] == 1000  # parts stay in the db
    assert put(client, data, offset=1000).json["complete"]
    key = sha256_hex(data)
    assert ObjectStore(s3_bucket, "evidence").keys() == sorted([key, key + ".thumb"])
    with app.app_context():
        assert DatabaseStore().keys() == []
    assert client.get(f"/evidence/520101/{key}").data == data
    assert client.get(f"/evidence/520101/{key}/thumb").data[:3] == b"\xff\xd8\xff"
    auth.logout()
    auth.login("member_b")
    assert client.get(f"/evidence/520101/{key}").status_code == 404
