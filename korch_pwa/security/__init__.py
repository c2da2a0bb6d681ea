"""Security headers on every response."""
