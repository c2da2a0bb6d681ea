"""Deadlines dashboard, province acceptance and the district progress report."""
