"""Qualification-equivalence catalogues (imported as versions, read back, and the issuance
rule of equivalence records that needs them) and continuing-education hour totals for
partners."""
