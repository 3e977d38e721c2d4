"""A record after issuance: status changes (suspend, reinstate, revoke, cancel, amend) with
their history, and the signed status lists that publish them."""
