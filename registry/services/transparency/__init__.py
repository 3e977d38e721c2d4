"""What the registry did, on record: the transparency log (events appended inside the
caller's transaction, signed tree heads and proofs for readers, a partner's audit of a log
over its public API) and the history of authority changes (who changed an issuer, scope,
key, region, agreement, equivalence or imported trust list, and when)."""
