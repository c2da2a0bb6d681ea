"""Plain-Python domain logic: no Flask, no SQLAlchemy imports here."""
