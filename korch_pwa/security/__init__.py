"""Security: headers on every response, login throttling, CSRF and the signed session cookie."""
