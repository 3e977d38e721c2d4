"""Trust: the registry's own store as a trust and status source, its signed trust list and
public documents, and the trust lists of other registries imported to verify their records."""
