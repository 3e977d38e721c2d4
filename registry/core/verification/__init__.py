"""Verification of a record, from its QR payload or its credential document: every check
reported (signature, issuer, key window, authority, proof set, identifiers, status,
recognition), and whether what was shown is the record a store issued."""
