"""Geography: provinces, districts and subdistricts with DOPA codes."""
