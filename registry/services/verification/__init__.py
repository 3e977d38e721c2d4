"""Verification use cases: a QR text or a credential document checked against the store
and imported trust lists, ID-number matching, and offline checks with a cached trust list."""
