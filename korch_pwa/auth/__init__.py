"""People, roles, login and the access checks every route uses."""
