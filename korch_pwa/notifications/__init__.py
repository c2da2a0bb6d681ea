"""Notices to people: an in-app inbox, filled in the same transaction as the event."""
