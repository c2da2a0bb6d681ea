"""The assessment framework's versions: stored, pinned to assessments, active per fiscal year."""
