"""Security: headers on every response, and login throttling."""
