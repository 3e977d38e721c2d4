"""Issuing a title record: validate, sign the credential (a proof set for joint titles),
sign its QR payload and store everything in one transaction."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from registry.core import dataintegrity, qrclaims, qrcontainer
from registry.core.canonical import canonical_json
from registry.core.errors import FieldProblem, RegistryError, conflict, forbidden, invalid
from registry.core.identifiers import parse_resident_id
from registry.core.privacy import id_number_digest, mask_id_number, mask_name
from registry.core.records import (
    JOINT_TITLE,
    TITLE_TYPES,
    build_credential,
    check_title_consistency,
    facts_from_credential,
    new_record_id,
    record_type_of,
)
from registry.core.schemas import require_schema
from registry.services.context import Registry
from registry.services.directory import BUREAU, method_id
from registry.services.tokens import Principal, require_role
from registry.storage.repositories import (
    CredentialRepository,
    IssuerRepository,
    SigningKeyRepository,
)
from registry.storage.tables import CredentialRow, IssuerRow, SigningKeyRow

STATUS_LIST_SIZE = 131_072
INDEX_ATTEMPTS = 32


@dataclass(frozen=True)
class IssuedRecord:
    """A stored record: its signed credential and its QR payload."""

    record_id: str
    credential: dict[str, Any]
    qr_payload: str
    qr_url: str
    replayed: bool = False


def _problem(pointer: str, code: str, zh: str, en: str) -> RegistryError:
    return invalid(code, zh, en, (FieldProblem(pointer, code, zh, en),))


def _record_type(credential: Mapping[str, Any]) -> str:
    record_type = record_type_of(credential)
    if record_type is None or record_type not in TITLE_TYPES:
        raise _problem(
            "/credential/type",
            "RECORD_TYPE_UNSUPPORTED",
            "不支持的记录类型",
            f"unsupported record type (supported: {', '.join(TITLE_TYPES)})",
        )
    return record_type


def _check_request(credential: Mapping[str, Any], issuer: IssuerRow, registry: Registry) -> None:
    if "proof" in credential:
        raise _problem(
            "/credential/proof",
            "PROOF_NOT_ALLOWED",
            "待签发凭证不能带有证明",
            "a credential to issue must not carry a proof",
        )
    stated = credential.get("issuer")
    if isinstance(stated, Mapping):
        stated = stated.get("id")
    if stated is not None and stated != registry.urls.issuer(issuer.uscc):
        raise forbidden(
            "ISSUER_MISMATCH",
            "凭证中的签发机构与令牌不符",
            "the credential names another issuer than the token's",
        )


def _signing_row(session: Session, issuer: IssuerRow) -> SigningKeyRow:
    assert issuer.id is not None
    row = SigningKeyRepository(session).signing_key_of(issuer.id)
    if row is None:
        raise RegistryError(
            "ISSUER_HAS_NO_KEY",
            "签发机构没有可用的签名密钥",
            "the issuer has no active signing key",
        )
    return row


def _co_signers(session: Session, title: Mapping[str, Any], issuer: IssuerRow) -> list[IssuerRow]:
    """The HR bureau of each co-reviewing region, besides the committee itself."""
    issuers = IssuerRepository(session)
    committee = issuers.by_uscc(str(title["jointCommittee"]))
    if committee is None or committee.kind != "joint_committee":
        raise _problem(
            "/credential/credentialSubject/professionalTitle/jointCommittee",
            "JOINT_COMMITTEE_UNKNOWN",
            "联合评审委员会未登记",
            "the joint committee is not registered",
        )
    if committee.uscc != issuer.uscc:
        raise forbidden(
            "ISSUER_MISMATCH",
            "只有该联合评审委员会可签发其联合评审职称",
            "only the joint committee itself may issue its joint titles",
        )
    signers = []
    for region in title["reviewRegions"]:
        bureaus = [b for b in issuers.in_region(str(region), BUREAU) if b.uscc != issuer.uscc]
        if not bureaus:
            raise _problem(
                "/credential/credentialSubject/professionalTitle/reviewRegions",
                "REVIEW_REGION_NO_BUREAU",
                "参与评审地区没有登记的人社部门",
                "a co-reviewing region has no registered HR bureau",
            )
        signers.append(bureaus[0])
    return signers


def _allocate_index(session: Session, issuer_id: int) -> int:
    repo = CredentialRepository(session)
    for _ in range(INDEX_ATTEMPTS):
        index = secrets.randbelow(STATUS_LIST_SIZE)
        if not repo.index_taken(issuer_id, index):
            return index
    raise conflict(
        "STATUS_LIST_FULL", "状态列表已无可用位置", "the issuer's status list has no free index"
    )


def request_digest(credential: Mapping[str, Any]) -> str:
    """A digest of an issuance request, to tell a replay from a different request."""
    return hashlib.sha256(canonical_json(credential)).hexdigest()


def issue_title(
    registry: Registry,
    principal: Principal,
    credential: Mapping[str, Any],
    *,
    now: datetime,
    idempotency_key: str | None = None,
) -> IssuedRecord:
    """Issue one title record for the principal's issuer."""
    require_role(principal, "issuer")
    if not principal.issuer_uscc:
        raise forbidden(
            "TOKEN_NOT_ISSUER", "该令牌不属于任何签发机构", "this token is not bound to an issuer"
        )
    record_type = _record_type(credential)
    require_schema(record_type, credential)
    subject = credential["credentialSubject"]
    try:
        resident_id = parse_resident_id(str(subject["idNumber"]))
    except RegistryError as error:
        raise _problem(
            "/credential/credentialSubject/idNumber", error.code, error.message_zh, error.message_en
        ) from None
    digest = request_digest(credential)
    with registry.transaction() as session:
        issuer = IssuerRepository(session).by_uscc(principal.issuer_uscc)
        if issuer is None or issuer.id is None:
            raise forbidden(
                "ISSUER_UNKNOWN", "令牌所属签发机构不存在", "the token's issuer does not exist"
            )
        if record_type not in issuer.record_types:
            raise forbidden(
                "ISSUER_NOT_AUTHORISED",
                "该机构无权签发此类记录",
                "this issuer may not issue this record type",
            )
        _check_request(credential, issuer, registry)
        records = CredentialRepository(session)
        if idempotency_key:
            earlier = records.by_idempotency_key(issuer.id, idempotency_key)
            if earlier is not None:
                if earlier.request_digest != digest:
                    raise conflict(
                        "IDEMPOTENCY_KEY_REUSED",
                        "幂等键已用于另一份请求",
                        "the idempotency key was used for a different request",
                    )
                return IssuedRecord(
                    earlier.id,
                    earlier.document,
                    earlier.qr_payload,
                    qrcontainer.verify_url(registry.settings.base_url, earlier.qr_payload),
                    replayed=True,
                )
        title = subject["professionalTitle"]
        co_signers = _co_signers(session, title, issuer) if record_type == JOINT_TITLE else []
        record_id = new_record_id()
        index = _allocate_index(session, issuer.id)
        unsigned = build_credential(
            credential,
            record_id=record_id,
            record_type=record_type,
            issuer_uscc=issuer.uscc,
            issuer_name=issuer.name_zh,
            issued_at=now,
            masked_id_number=mask_id_number(resident_id.value),
            status_index=index,
            urls=registry.urls,
        )
        facts = facts_from_credential(unsigned, mask_name(str(subject["name"])), now)
        check_title_consistency(facts.title)
        key_row = _signing_row(session, issuer)
        signed = unsigned
        for signer, signer_key in [(issuer, key_row)] + [
            (b, _signing_row(session, b)) for b in co_signers
        ]:
            options = dataintegrity.ProofOptions(
                verification_method=method_id(registry.urls, signer.uscc, signer_key.kid),
                created=now,
            )
            signed = dataintegrity.add_proof(
                signed, registry.keystore.private_key(signer_key), options
            )
        payload = qrclaims.sign_payload(
            facts, registry.keystore.private_key(key_row), bytes.fromhex(key_row.kid)
        )
        row = CredentialRow(
            id=record_id,
            issuer_id=issuer.id,
            record_type=record_type,
            issued_at=now,
            valid_from=facts.valid_from,
            valid_until=facts.valid_until,
            document=signed,
            qr_payload=payload,
            id_number_digest=id_number_digest(registry.hash_key, resident_id.value),
            status="active",
            status_list_index=index,
            idempotency_key=idempotency_key,
            request_digest=digest,
        )
        try:
            records.add(row)
        except IntegrityError:
            raise conflict(
                "ISSUE_CONFLICT", "并发签发冲突，请重试", "a concurrent issuance clashed: retry"
            ) from None
    return IssuedRecord(
        record_id, signed, payload, qrcontainer.verify_url(registry.settings.base_url, payload)
    )


__all__ = ["IssuedRecord", "issue_title", "request_digest"]
