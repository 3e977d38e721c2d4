"""Mutual recognition: regions, the agreements among them, equivalence tables and the
partner clients of a region."""
