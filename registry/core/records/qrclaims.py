"""The QR payload of a record: CWT claims (RFC 8392) in a COSE_Sign1, as versioned text.

Layout of container version ``RC1``: standard claims ``iss`` (issuer USCC), ``iat``,
``nbf``, ``exp`` and ``cti`` (the 16 bytes of the record UUID), plus one private claim
``RECORD_CLAIM`` holding a map with small integer keys: ``0`` the record type, ``1`` the
masked name, ``8`` the status index, and the type's own keys (``2``-``10`` for titles,
``16`` upward for the other types; each type module documents its keys). Codes travel as
the code lists' ``qr`` numbers, never as labels, so every type fits QR version 15 at
level M.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.codes import code_list
from registry.core.errors import RegistryError
from registry.core.formats import cose, qrcontainer
from registry.core.formats.timefmt import epoch_seconds, from_epoch_seconds
from registry.core.records.credential import RecordFacts
from registry.core.recordtypes import spec_of
from registry.core.recordtypes.base import claims_error, code_at, int_claim, text_claim
from registry.core.recordtypes.title import (
    JOINT_COMMITTEE,
    LEVEL,
    OBTAINED_BY,
    OBTAINED_ON,
    REVIEW_REGIONS,
    SERIES,
    SPECIALTY,
    TITLE_NAME,
)

CLAIM_ISS = 1
CLAIM_EXP = 4
CLAIM_NBF = 5
CLAIM_IAT = 6
CLAIM_CTI = 7
RECORD_CLAIM = -65537  # first integer of the CWT private-use range

TYPE, NAME, STATUS_INDEX = 0, 1, 8


@dataclass(frozen=True)
class SignedQr:
    """A decoded, not yet verified QR payload: its COSE message and the facts it states."""

    message: cose.Sign1Message
    facts: RecordFacts

    @property
    def kid(self) -> bytes:
        """The key id the issuer signed with (protected, as ``decode_payload`` checked)."""
        return self.message.require_kid()


def claims_of(facts: RecordFacts) -> dict[int, Any]:
    """The CWT claims for a record's public facts."""
    record: dict[int, Any] = {
        TYPE: code_list("record-types").by_code(facts.record_type).qr,
        NAME: facts.masked_name,
    }
    record.update(spec_of(facts.record_type).encode(facts.details))
    if facts.status_index is not None:
        record[STATUS_INDEX] = facts.status_index
    claims: dict[int, Any] = {
        CLAIM_ISS: facts.issuer_uscc,
        CLAIM_IAT: epoch_seconds(facts.issued_at),
        CLAIM_NBF: epoch_seconds(facts.valid_from),
        CLAIM_CTI: uuid.UUID(facts.record_id).bytes,
        RECORD_CLAIM: record,
    }
    if facts.valid_until is not None:
        claims[CLAIM_EXP] = epoch_seconds(facts.valid_until)
    return claims


def sign_payload(facts: RecordFacts, private_key: Ed25519PrivateKey, kid: bytes) -> str:
    """The QR payload text (``RC1:...``) for a record, signed by the issuer's key."""
    payload = cbor2.dumps(claims_of(facts))
    return qrcontainer.encode_payload(cose.sign1(payload, private_key, kid=kid))


_claims_error = claims_error
_int = int_claim
_text = text_claim


def _is_map(value: object) -> TypeGuard[Mapping[Any, Any]]:
    """A CBOR map (decoded as a ``dict``; any other mapping is asked the slower way)."""
    return type(value) is dict or isinstance(value, Mapping)


def _uuid_text(raw: bytes) -> str:
    """``str(uuid.UUID(bytes=raw))`` of 16 bytes, without building the UUID."""
    digits = raw.hex()
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def facts_of_claims(claims: object) -> RecordFacts:
    """Parse CWT claims into record facts; anything unexpected is refused."""
    if not _is_map(claims):
        raise _claims_error()
    record = claims.get(RECORD_CLAIM)
    if not _is_map(record):
        raise _claims_error()
    cti = claims.get(CLAIM_CTI)
    if not isinstance(cti, bytes) or len(cti) != 16:
        raise _claims_error()
    try:
        record_type = code_at("record-types", record.get(TYPE))
        details = spec_of(record_type).decode(record)
        exp = claims.get(CLAIM_EXP)
        status_index = record.get(STATUS_INDEX)
        return RecordFacts(
            record_id=_uuid_text(cti),
            record_type=record_type,
            issuer_uscc=_text(claims.get(CLAIM_ISS)),
            issued_at=from_epoch_seconds(_int(claims.get(CLAIM_IAT)), "iat"),
            valid_from=from_epoch_seconds(_int(claims.get(CLAIM_NBF)), "nbf"),
            valid_until=from_epoch_seconds(_int(exp), "exp") if exp is not None else None,
            masked_name=_text(record.get(NAME)),
            details=details,
            status_index=_int(status_index) if status_index is not None else None,
        )
    except RegistryError as error:
        if error.code == "QR_CLAIMS_INVALID":
            raise
        raise _claims_error() from None
    except (OverflowError, ValueError, OSError):
        raise _claims_error() from None


def decode_payload(text: str) -> SignedQr:
    """Decode QR text (URL, fragment or bare payload) into a message and its facts.

    ``alg`` and ``kid`` must be in the protected header (``COSE_ALG_*``, ``COSE_KID_*``).
    """
    raw = qrcontainer.decode_payload(qrcontainer.payload_from_text(text))
    message = cose.decode_sign1(raw)
    message.require_alg()
    message.require_kid()
    try:
        claims = cbor2.loads(message.payload)
    except Exception:  # cbor2 raises many types on hostile input
        raise _claims_error() from None
    return SignedQr(message=message, facts=facts_of_claims(claims))


__all__ = [
    "JOINT_COMMITTEE",
    "LEVEL",
    "NAME",
    "OBTAINED_BY",
    "OBTAINED_ON",
    "RECORD_CLAIM",
    "REVIEW_REGIONS",
    "SERIES",
    "SPECIALTY",
    "STATUS_INDEX",
    "TITLE_NAME",
    "TYPE",
    "SignedQr",
    "claims_of",
    "decode_payload",
    "facts_of_claims",
    "sign_payload",
]
