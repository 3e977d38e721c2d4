"""Issuer authority: issuers and their jurisdiction, dated scopes (and refusing an
issuance outside them), issuer keys over time, and the history of every authority change."""
