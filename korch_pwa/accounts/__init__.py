"""People: accounts managed by area, one-time codes, passwords and the audit log."""
