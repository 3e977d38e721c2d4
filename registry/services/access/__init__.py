"""API access: bearer tokens (shown once, stored hashed), the principal a token names and
the roles it may act in."""
