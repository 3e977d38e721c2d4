"""Issuer authority: issuers and their jurisdiction, dated scopes (and refusing an
issuance outside them) and issuer keys over time. Each change is recorded with
``transparency.history`` and logged with ``transparency.events``."""
