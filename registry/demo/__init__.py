"""Fictional demonstration data (labelled 演示 / demo) and its seeding: the zone's regions,
issuers, people, records, authority and catalogue. Production code never imports it; only
``registry init --demo`` (``registry.cli.serve``) and the tests do."""
