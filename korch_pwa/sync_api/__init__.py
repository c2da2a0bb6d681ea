"""The JSON sync API that offline clients send their outbox to."""
