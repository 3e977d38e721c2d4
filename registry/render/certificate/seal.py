"""Seal a certificate's PDF: a PAdES signature by the issuer's own Ed25519 key, carried in
a self-signed X.509 certificate naming the issuer and its unified social credit code, so a
PDF reader shows who sealed it and a verifier can match the key against the trust list.

pyHanko's synchronous API runs an event loop of its own, which fails in a thread that
already runs one (an async handler, Playwright's sync API): there it signs in a worker
thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Final, TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID

from registry.render.certificate.content import Sealer

# pyHanko imports cryptography's DSA types, which cryptography 47+ marks deprecated on
# import; certificates are sealed with Ed25519 and never touch DSA. Only that warning, with
# that exact text and raised from pyHanko, is kept quiet: any other still shows.
PYHANKO_DSA_WARNING: Final[dict[str, Any]] = {
    "message": re.escape(
        "DSA is deprecated and support will be removed in a future release. Use a more "
        "modern signature algorithm."
    )
    + r"\Z",
    "category": CryptographyDeprecationWarning,
    "module": r"pyhanko\.",
}

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", **PYHANKO_DSA_WARNING)
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
    from pyhanko_certvalidator.registry import SimpleCertificateStore

T = TypeVar("T")
SEAL_FIELD: Final = "IssuerSeal"
SEAL_REASON: Final = "签发机构电子印章 / Sealed by the issuer"
NO_END: Final = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)  # RFC 5280 4.1.2.5
CLOCK_SKEW: Final = timedelta(minutes=5)
DIGEST: Final = "sha512"  # pyHanko's digest for Ed25519 (RFC 8419)


def _common_name(name: str) -> x509.NameAttribute[str]:
    # RFC 5280 bounds a common name at 64 characters; cryptography counts UTF-8 bytes
    # (and warns past 64 when told not to refuse), which would refuse a 30-character
    # Chinese name, so the bound is kept here.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Attribute's length", UserWarning)
        return x509.NameAttribute(NameOID.COMMON_NAME, name[:64], _validate=False)


def sealing_certificate(sealer: Sealer, *, now: datetime) -> x509.Certificate:
    """A self-signed certificate for the issuer's signing key: subject and issuer are the
    issuer's Chinese name (CN, O), its USCC (organizationIdentifier) and CN. It has no end
    date: whether the key is trusted is for the trust list to say."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, sealer.name_zh),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, sealer.uscc),
            _common_name(sealer.name_zh),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    public_key = sealer.key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(NO_END)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(sealer.key, None)
    )


def _signer(sealer: Sealer, now: datetime) -> signers.SimpleSigner:
    certificate = sealing_certificate(sealer, now=now)
    der = certificate.public_bytes(serialization.Encoding.DER)
    key_der = sealer.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(der),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore(),  # type: ignore[no-untyped-call]
    )


async def _room(signer: signers.SimpleSigner, now: datetime) -> int:
    """The bytes to reserve in the PDF for the seal's CMS, as pyHanko reckons them by
    default (a dry-run signature, in hex, plus half again): the same for every certificate
    the same sealer seals at the same time, so reckoned once for them all."""
    dry_run = await signer.async_sign(
        hashlib.new(DIGEST).digest(),
        DIGEST,
        dry_run=True,
        use_pades=True,
        signed_attr_settings=PdfCMSSignedAttributes(signing_time=now),
    )
    in_hex = len(dry_run.dump()) * 2
    return in_hex + 2 * (in_hex // 4)


@lru_cache(maxsize=16)
def _sealing(sealer: Sealer, now: datetime) -> tuple[signers.SimpleSigner, int]:
    """The sealer's signer, with its sealing certificate dated ``now``, and the room its
    seal needs. A review session's certificates are all printed at one time by a few
    issuers: its signers are made once, not once a certificate."""
    signer = _signer(sealer, now)
    return signer, _outside_any_event_loop(lambda: asyncio.run(_room(signer, now)))


def _outside_any_event_loop(work: Callable[[], T]) -> T:
    """Run ``work`` here, or in a worker thread when this thread runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf-seal") as pool:
        return pool.submit(work).result()


def seal_pdf(pdf: bytes, sealer: Sealer, *, signed_at: datetime | None = None) -> bytes:
    """``pdf`` with a PAdES seal by ``sealer`` appended (an incremental update).

    Safe to call from a thread that runs an event loop.
    """
    now = signed_at or datetime.now(UTC)
    signer, room = _sealing(sealer, now)
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=SEAL_REASON,
        name=sealer.name_zh,
        md_algorithm=DIGEST,
        subfilter=fields.SigSeedSubFilter.PADES,
    )

    def sign() -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        output: io.BytesIO = signers.sign_pdf(writer, metadata, signer=signer, bytes_reserved=room)
        return output.getvalue()

    return _outside_any_event_loop(sign)


__all__ = ["SEAL_FIELD", "seal_pdf", "sealing_certificate"]
