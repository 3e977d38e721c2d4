"""Issuance: one record of any type (validated, signed, stored in one transaction), the
database rules of record types, and whole review sessions from a sheet or a list."""
