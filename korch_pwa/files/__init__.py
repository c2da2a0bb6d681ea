"""Uploaded files (order scans, minutes), kept in the database."""
