"""Give a record the earlier-form e-licence identifier that migration 0011 keeps for the
records issued before it, as if it had been issued then."""

from __future__ import annotations

from registry.core.records import elicence
from registry.services.runtime.context import Registry
from registry.storage.tables import CredentialRow


def give_earlier_form(registry: Registry, record_id: str) -> str:
    """Store the record's identifier in the registry's earlier form beside its national one
    (same issuer, serial and version) and return it."""
    with registry.transaction() as session:
        row = session.get(CredentialRow, record_id)
        assert row is not None and row.electronic_licence_id
        national = elicence.parse(row.electronic_licence_id)
        earlier = elicence.build_legacy(
            elicence.legacy_type_code_of(row.record_type),
            national.issuer_uscc,
            national.serial,
            national.version,
        )
        row.legacy_electronic_licence_id = str(earlier)
        session.add(row)
    return str(earlier)
