"""Records as the registry signs them: the credential and its public facts, its JSON Schema
check, its QR claims, its e-licence identifier, and review-session sheet rows turned into
issuance requests. The record types themselves live in ``registry.core.recordtypes``."""
