"""Rounds and the committees' self-assessments."""
