"""The QR payload of a record: CWT claims (RFC 8392) in a COSE_Sign1, as versioned text.

Layout of container version ``RC1``: standard claims ``iss`` (issuer USCC), ``iat``,
``nbf``, ``exp`` and ``cti`` (the 16 bytes of the record UUID), plus one private claim
``RECORD_CLAIM`` holding a map with small integer keys. Codes travel as the code lists'
``qr`` numbers, never as labels, so a title fits QR version 15 at level M.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core import cose, qrcontainer
from registry.core.codes import code_list
from registry.core.errors import RegistryError, malformed
from registry.core.records import JOINT_TITLE, RecordFacts, TitleFacts
from registry.core.timefmt import epoch_seconds, from_epoch_seconds

CLAIM_ISS = 1
CLAIM_EXP = 4
CLAIM_NBF = 5
CLAIM_IAT = 6
CLAIM_CTI = 7
RECORD_CLAIM = -65537  # first integer of the CWT private-use range

TYPE, NAME, SERIES, SPECIALTY, LEVEL, TITLE_NAME, OBTAINED_BY, OBTAINED_ON = range(8)
STATUS_INDEX, JOINT_COMMITTEE, REVIEW_REGIONS = 8, 9, 10
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class SignedQr:
    """A decoded, not yet verified QR payload: its COSE message and the facts it states."""

    message: cose.Sign1Message
    facts: RecordFacts

    @property
    def kid(self) -> bytes | None:
        """The key id the issuer signed with."""
        return self.message.kid


def _qr(list_name: str, code: str) -> int:
    return code_list(list_name).by_code(code).qr


def claims_of(facts: RecordFacts) -> dict[int, Any]:
    """The CWT claims for a record's public facts."""
    title = facts.title
    record: dict[int, Any] = {
        TYPE: _qr("record-types", facts.record_type),
        NAME: facts.masked_name,
        SERIES: _qr("title-series", title.series),
        SPECIALTY: _qr("specialties", title.specialty),
        LEVEL: _qr("title-levels", title.level),
        TITLE_NAME: _qr("title-names", title.title_name),
        OBTAINED_BY: _qr("obtained-by", title.obtained_by),
        OBTAINED_ON: (title.obtained_on - _EPOCH).days,
    }
    if facts.status_index is not None:
        record[STATUS_INDEX] = facts.status_index
    if facts.record_type == JOINT_TITLE:
        record[JOINT_COMMITTEE] = title.joint_committee
        record[REVIEW_REGIONS] = [_qr("divisions", code) for code in title.review_regions]
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


def _claims_error() -> RegistryError:
    return malformed(
        "QR_CLAIMS_INVALID",
        "二维码内容不完整或格式错误",
        "the QR claims are incomplete or malformed",
    )


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _claims_error()
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > 128:
        raise _claims_error()
    return value


def facts_of_claims(claims: object) -> RecordFacts:
    """Parse CWT claims into record facts; anything unexpected is refused."""
    if not isinstance(claims, Mapping) or not isinstance(claims.get(RECORD_CLAIM), Mapping):
        raise _claims_error()
    record = claims[RECORD_CLAIM]
    cti = claims.get(CLAIM_CTI)
    if not isinstance(cti, bytes) or len(cti) != 16:
        raise _claims_error()
    try:
        record_type = code_list("record-types").by_qr(_int(record.get(TYPE))).code
        regions_raw = record.get(REVIEW_REGIONS, [])
        if not isinstance(regions_raw, list):
            raise _claims_error()
        title = TitleFacts(
            series=code_list("title-series").by_qr(_int(record.get(SERIES))).code,
            specialty=code_list("specialties").by_qr(_int(record.get(SPECIALTY))).code,
            level=code_list("title-levels").by_qr(_int(record.get(LEVEL))).code,
            title_name=code_list("title-names").by_qr(_int(record.get(TITLE_NAME))).code,
            obtained_by=code_list("obtained-by").by_qr(_int(record.get(OBTAINED_BY))).code,
            obtained_on=_EPOCH + timedelta(days=_int(record.get(OBTAINED_ON))),
            joint_committee=_text(record.get(JOINT_COMMITTEE))
            if record_type == JOINT_TITLE
            else None,
            review_regions=tuple(
                code_list("divisions").by_qr(_int(code)).code for code in regions_raw
            ),
        )
        exp = claims.get(CLAIM_EXP)
        status_index = record.get(STATUS_INDEX)
        return RecordFacts(
            record_id=str(uuid.UUID(bytes=cti)),
            record_type=record_type,
            issuer_uscc=_text(claims.get(CLAIM_ISS)),
            issued_at=from_epoch_seconds(_int(claims.get(CLAIM_IAT))),
            valid_from=from_epoch_seconds(_int(claims.get(CLAIM_NBF))),
            valid_until=from_epoch_seconds(_int(exp)) if exp is not None else None,
            masked_name=_text(record.get(NAME)),
            title=title,
            status_index=_int(status_index) if status_index is not None else None,
        )
    except RegistryError as error:
        if error.code == "QR_CLAIMS_INVALID":
            raise
        raise _claims_error() from None
    except (OverflowError, ValueError, OSError):
        raise _claims_error() from None


def decode_payload(text: str) -> SignedQr:
    """Decode QR text (URL, fragment or bare payload) into a message and its facts."""
    raw = qrcontainer.decode_payload(qrcontainer.payload_from_text(text))
    message = cose.decode_sign1(raw)
    try:
        claims = cbor2.loads(message.payload)
    except Exception:  # cbor2 raises many types on hostile input
        raise _claims_error() from None
    return SignedQr(message=message, facts=facts_of_claims(claims))


__all__ = [
    "RECORD_CLAIM",
    "SignedQr",
    "claims_of",
    "decode_payload",
    "facts_of_claims",
    "sign_payload",
]
