"""The partner-only (A) facts of a record, read from the credential the registry holds.

Only the partner API adds them to an answer, and only for a record whose QR or credential
has just verified as authentic. The stored credential carries every number masked, and
``idNumber`` is never listed: a partner matches ID numbers, it does not read them.
"""

from __future__ import annotations

from typing import Any

from registry.core.records.credential import RecordFacts
from registry.core.recordtypes import RECORD_TYPES, field_labels, partner_view
from registry.services.runtime.context import Registry
from registry.storage.repositories import CredentialRepository, IssuerRepository


def partner_facts(registry: Registry, facts: RecordFacts) -> dict[str, Any] | None:
    """The record type's partner fields and the holder's, codes expanded, with labels;
    ``None`` when this registry does not hold the record (as issued by that issuer)."""
    spec = RECORD_TYPES.get(facts.record_type)
    if spec is None:
        return None
    with registry.reading() as session:
        row = CredentialRepository(session).get(facts.record_id)
        if row is None or row.record_type != facts.record_type:
            return None
        issuer = IssuerRepository(session).by_id(row.issuer_id)
        if issuer is None or issuer.uscc != facts.issuer_uscc:
            return None
        subject = row.document.get("credentialSubject") or {}
    view = partner_view(spec, subject)
    labels = field_labels(spec)
    shown = set(view) | set(view[spec.subject_key])
    return {
        "detailsKey": spec.subject_key,
        **view,
        "labels": {name: labels[name] for name in sorted(shown) if name in labels},
    }


__all__ = ["partner_facts"]
