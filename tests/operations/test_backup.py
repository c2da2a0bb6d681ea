"""Backups that restore: create, verify, restore into a fresh database, compare every table.

On SQLite and, with DATABASE_URL, on PostgreSQL (pg_dump and pg_restore).
"""

import io
import tarfile

import pytest
from sqlalchemy import create_engine, inspect, text

from korch_pwa.evidence.content import sha256_hex
from korch_pwa.evidence.storage import store_for
from korch_pwa.operations import backup as backups
from tests.conftest import make_app
from tests.evidence.images import pdf, photo
from tests.helpers import new_postgres_database, record_as


@pytest.fixture
def fresh_database_url(database_url, tmp_path):
    """A new, empty database of the same kind as the test one."""
    if database_url.startswith("sqlite"):
        yield "sqlite:///" + str(tmp_path / "restored.sqlite")
        return
    for url in new_postgres_database(database_url, "restore"):
        yield url.render_as_string(hide_password=False)


def every_row(url):
    """Return table -> its rows, sorted, for every table of the database at ``url``."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table: sorted(map(tuple, connection.execute(text(f'SELECT * FROM "{table}"'))),
                                  key=repr)
                    for table in inspect(connection).get_table_names()}
    finally:
        engine.dispose()


@pytest.fixture
def some_data(app, world, client, auth):
    """Answers, a submit and two evidence files (a photo and a PDF) of 520101."""
    record_as(app, world, "member_a", {"1.1": 2, "1.2": 3}, send=False)
    auth.login("member_a")
    for data in (photo(), pdf()):
        response = client.put(f"/api/v1/evidence/520101/{sha256_hex(data)}",
                              query_string={"offset": 0, "length": len(data)}, data=data)
        assert response.status_code == 200
    auth.logout()


def url_of(app):
    """Return the app's database URL with its password."""
    return app.config["SQLALCHEMY_DATABASE_URI"]


def test_a_backup_restores_every_row_into_a_fresh_database(app, some_data, tmp_path,
                                                           fresh_database_url):
    made = app.test_cli_runner().invoke(args=["backup", "create", "--out", str(tmp_path)])
    assert made.exit_code == 0, made.output
    [path] = tmp_path.glob("korch-*.tar")
    checked = app.test_cli_runner().invoke(args=["backup", "verify", str(path)])
    assert checked.exit_code == 0 and "sound" in checked.output, checked.output
    before = every_row(url_of(app))
    assert before["answers"] and before["evidence_objects"]

    target = make_app(fresh_database_url)
    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert restored.exit_code == 0, restored.output
    after = every_row(fresh_database_url)
    assert set(after) == set(before)
    for table in before:
        assert after[table] == before[table], table


@pytest.fixture(params=["directory", "object store"])
def outside_store(request, tmp_path):
    """Return uri(name): a store outside the database, each kind in turn."""
    if request.param == "directory":
        return lambda name: (tmp_path / name).as_uri()
    bucket = request.getfixturevalue("s3_bucket")
    return lambda name: f"s3://{bucket}/{name}"


def test_evidence_in_a_store_outside_the_database_goes_into_the_backup_and_back(
        app, world, client, auth, tmp_path, fresh_database_url, outside_store):
    app.config["EVIDENCE_STORE"] = outside_store("evidence")
    auth.login("member_a")
    data = photo(width=200, height=100)
    assert client.put(f"/api/v1/evidence/520101/{sha256_hex(data)}",
                      query_string={"offset": 0, "length": len(data)},
                      data=data).status_code == 200
    out = tmp_path / "backups"
    made = app.test_cli_runner().invoke(args=["backup", "create", "--out", str(out)])
    assert made.exit_code == 0 and "2 evidence files outside the database" in made.output
    [path] = out.glob("*.tar")
    restored_files = store_for(outside_store("restored-evidence"))
    target = make_app(fresh_database_url, EVIDENCE_STORE=restored_files.uri)
    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert restored.exit_code == 0, restored.output
    assert restored_files.get(sha256_hex(data)) == data
    assert restored_files.has(sha256_hex(data) + ".thumb")


def _rewrite(path, name, change):
    """Rewrite one member of a backup tar with ``change(bytes)``."""
    with tarfile.open(path) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(path, "w") as tar:
        for member, data in members:
            if member.name == name:
                data = change(data)
                member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def test_a_damaged_backup_is_found_out_and_never_restored(app, some_data, tmp_path,
                                                         fresh_database_url):
    app.test_cli_runner().invoke(args=["backup", "create", "--out", str(tmp_path)])
    [path] = tmp_path.glob("*.tar")
    member = "database.sqlite" if url_of(app).startswith("sqlite") else "database.dump"
    # Ten bytes turned over (not zeroed: a page may end in zeros already).
    _rewrite(path, member, lambda data: data[:200] + bytes(b ^ 0xFF for b in data[200:210])
             + data[210:])
    checked = app.test_cli_runner().invoke(args=["backup", "verify", str(path)])
    assert checked.exit_code == 1
    assert f"problem: {member}: checksum does not match" in checked.output
    target = make_app(fresh_database_url)
    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert restored.exit_code != 0 and "damaged" in restored.output
    assert every_row(fresh_database_url) == {}
    # A manifest edited to match damaged data is caught by its own checksum.
    _rewrite(path, "manifest.json", lambda data: data.replace(b'"format": 1', b'"format": 1 '))
    assert "manifest.json does not match" in backups.verify(path).problems[0]


def test_restore_refuses_a_database_that_has_tables(app, some_data, tmp_path):
    app.test_cli_runner().invoke(args=["backup", "create", "--out", str(tmp_path)])
    [path] = tmp_path.glob("*.tar")
    refused = app.test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert refused.exit_code != 0 and "not empty" in refused.output


def test_not_a_backup(tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar at all")
    assert not backups.verify(junk).ok
    with tarfile.open(tmp_path / "empty.tar", "w"):
        pass
    assert backups.verify(tmp_path / "empty.tar").problems == [
        "no manifest: not a korch-pwa backup"]


def test_prune_keeps_the_rotation_and_never_a_file_that_is_not_a_backup(app, tmp_path):
    names = [f"korch-202611{day:02d}-020000.tar" for day in range(1, 26)]
    for name in [*names, "korch-notes.tar", "other.tar"]:
        (tmp_path / name).write_bytes(b"x")
    result = app.test_cli_runner().invoke(args=[
        "backup", "prune", "--dir", str(tmp_path), "--daily", "3", "--weekly", "2",
        "--monthly", "1"])
    assert result.exit_code == 0, result.output
    left = sorted(p.name for p in tmp_path.iterdir())
    # The last 3 nights; the newest of the week before (Sunday the 22nd); the notes and other.
    assert left == ["korch-20261122-020000.tar", "korch-20261123-020000.tar",
                    "korch-20261124-020000.tar", "korch-20261125-020000.tar",
                    "korch-notes.tar", "other.tar"]
