"""What a verifier trusts: regions, issuers, keys, scopes and agreements as a ``TrustSource``
shows them, and whether an issuer's dated scope covered a record on its issue date."""
