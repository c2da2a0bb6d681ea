"""Notices delivered beyond the inbox: e-mail and LINE, by each person's choice."""
