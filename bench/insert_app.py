"""A Flask endpoint doing one durable INSERT and nothing else: the sync baseline.

It reads the same JSON body as POST /api/v1/sync, stores it as one row and
commits with the same durability as the app (SQLite: WAL, ``synchronous =
FULL``; PostgreSQL: a normal commit), so the sync endpoint's cost can be
compared with the least a durable write through Flask can cost.
"""

import json
import os
import uuid

from flask import Flask, jsonify, request
from sqlalchemy import Column, MetaData, String, Table, Text, create_engine

from config import sqlalchemy_url
from korch_pwa.sqlite import register_sqlite_pragmas

metadata = MetaData()
inserts = Table("bench_inserts", metadata, Column("id", String(36), primary_key=True),
                Column("body", Text, nullable=False))


def _engine():
    """Return an engine on $DATABASE_URL with the app's SQLite durability settings."""
    url = sqlalchemy_url(os.environ["DATABASE_URL"])
    # The app's own SQLite settings (WAL, synchronous = FULL, BEGIN IMMEDIATE
    # for a POST), registered the same way; nothing for PostgreSQL.
    register_sqlite_pragmas()
    engine = create_engine(url)
    metadata.create_all(engine)
    return engine


def insert_app():
    """Return the Flask app with the one-INSERT endpoint."""
    flask_app = Flask(__name__)
    engine = _engine()

    @flask_app.post("/api/v1/sync")
    def store():
        """Store the body as one row, durably, and answer like a sync."""
        body = request.get_json() or {}
        items = body.get("items", [])
        with engine.begin() as connection:
            connection.execute(inserts.insert().values(id=str(uuid.uuid4()),
                                                       body=json.dumps(body)))
        return jsonify(results=[{"client_id": i.get("client_id"), "status": "ok"}
                                for i in items])

    return flask_app


app = insert_app()
