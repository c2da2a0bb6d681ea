"""District officers check, approve or return assessments."""
