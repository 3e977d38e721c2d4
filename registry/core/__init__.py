"""Pure domain: records, canonical JSON, proofs, QR container, identifiers, verification.

Nothing here imports web, database or image code; time comes in as an argument.
"""
