"""One record's sealed certificate, for the issuer that issued it (or an admin) and for
the holder through their access link. Never for the public, and never for a record that
was revoked, cancelled or superseded (its QR would say so; the paper should not exist)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from registry.core.errors import RegistryError, conflict, not_found
from registry.core.lifecycle.status import FINAL_STATES
from registry.render.certificate import Sealer, sealed_certificate
from registry.services.access.tokens import Principal
from registry.services.certificates.content import certificate_content
from registry.services.people.holder import linked_record
from registry.services.records.stored import record_for
from registry.services.runtime.context import Registry
from registry.storage.repositories import (
    CredentialRepository,
    IssuerRepository,
    SigningKeyRepository,
)
from registry.storage.tables import CredentialRow, IssuerRow

PDF = "application/pdf"


@dataclass(frozen=True)
class Certificate:
    """A sealed certificate and the file name it is offered under."""

    record_id: str
    filename: str
    pdf: bytes


@dataclass(frozen=True)
class Printable:
    """A stored record with what sealing its certificate needs."""

    row: CredentialRow
    issuer: IssuerRow
    sealer: Sealer
    masked_id: bool = False  # the issuer's setting: show the ID number, masked


def no_sealing_key() -> RegistryError:
    """``ISSUER_HAS_NO_KEY``: nothing can seal the certificate."""
    return RegistryError(
        "ISSUER_HAS_NO_KEY", "签发机构没有可用的签名密钥", "the issuer has no active signing key"
    )


def record_final(status: str) -> RegistryError:
    """``CERTIFICATE_RECORD_FINAL``: a revoked, cancelled or superseded record."""
    return conflict(
        "CERTIFICATE_RECORD_FINAL",
        f"记录状态为 {status}（已撤销、注销或被更正记录取代），不再出具证书",
        f"the record is {status} (revoked, cancelled or superseded): it gets no certificate",
    )


def require_printable(row: CredentialRow) -> None:
    """Refuse a record in a final state (``CERTIFICATE_RECORD_FINAL``), and a generic
    VC-API credential, which has no QR and no facts of ours to print
    (``CERTIFICATE_NOT_AVAILABLE``, 404)."""
    if not row.qr_payload:
        raise not_found(
            "CERTIFICATE_NOT_AVAILABLE",
            "通用 VC-API 凭证没有证书（没有二维码和本系统记录类型的事实）",
            "a generic VC-API credential has no certificate (no QR, no facts of our record types)",
        )
    if row.status in FINAL_STATES:
        raise record_final(row.status)


def certificate_filename(record_id: str) -> str:
    """The file name a record's certificate is offered under."""
    return f"certificate-{record_id}.pdf"


def sealer_of(registry: Registry, session: Session, issuer: IssuerRow) -> Sealer:
    """The issuer's newest active signing key, as the certificate's sealer."""
    assert issuer.id is not None
    key_row = SigningKeyRepository(session).signing_key_of(issuer.id)
    if key_row is None:
        raise no_sealing_key()
    return Sealer(
        name_zh=issuer.name_zh,
        name_en=issuer.name_en,
        uscc=issuer.uscc,
        key=registry.keystore.private_key(key_row),
        key_id=bytes.fromhex(key_row.kid),
    )


def printable(
    registry: Registry,
    session: Session,
    row: CredentialRow,
    known: dict[int, tuple[IssuerRow, Sealer]] | None = None,
) -> Printable:
    """The record with its issuer and sealer (``known`` keeps them by issuer for a run)."""
    known = {} if known is None else known
    if row.issuer_id not in known:
        issuer = IssuerRepository(session).by_id(row.issuer_id)
        if issuer is None:
            raise not_found("ISSUER_UNKNOWN", "签发机构不存在", "no such issuer")
        known[row.issuer_id] = issuer, sealer_of(registry, session, issuer)
    issuer, sealer = known[row.issuer_id]
    masked_id = registry.settings.certificate_shows_masked_id(issuer.uscc)
    return Printable(row, issuer, sealer, masked_id)


def print_certificate(item: Printable, base_url: str, *, now: datetime) -> Certificate:
    """Render and seal one record's certificate, its QR linking to the verify page under
    ``base_url`` (``CERTIFICATE_RECORD_FINAL``, ``CERTIFICATE_GLYPH_MISSING``)."""
    require_printable(item.row)
    content = certificate_content(
        item.row, item.issuer, base_url, now=now, masked_id=item.masked_id
    )
    pdf = sealed_certificate(content, item.sealer)
    return Certificate(item.row.id, certificate_filename(item.row.id), pdf)


def _stored(registry: Registry, record_id: str, *, now: datetime) -> Certificate:
    with registry.reading() as session:
        row = CredentialRepository(session).get(record_id)
        if row is None:
            raise not_found("RECORD_UNKNOWN", "记录不存在", "no such record")
        item = printable(registry, session, row)
    return print_certificate(item, registry.settings.base_url, now=now)


def record_certificate(
    registry: Registry, principal: Principal, record: str, *, now: datetime
) -> Certificate:
    """The sealed certificate of a record (by record id or e-licence identifier) for the
    issuer that issued it, or an admin (``RECORD_NOT_YOURS`` for another issuer)."""
    stored = record_for(registry, principal, record)
    return _stored(registry, stored.record_id, now=now)


def holder_certificate(registry: Registry, token: str, *, now: datetime) -> Certificate:
    """The sealed certificate of the record a holder's working access link names
    (``HOLDER_LINK_UNKNOWN`` for an unknown or revoked link)."""
    return _stored(registry, linked_record(registry, token), now=now)


__all__ = [
    "PDF",
    "Certificate",
    "Printable",
    "certificate_filename",
    "holder_certificate",
    "print_certificate",
    "printable",
    "record_certificate",
    "require_printable",
]
