"""Results people can use: exports of every score, for the areas they cover."""
