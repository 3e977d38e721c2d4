"""The transparency log: appending events inside a transaction, signed tree heads and
proofs for readers, and a partner's audit of a registry's log over its public API."""
