"""Issuing a generic credential through the VC-API: any well-formed VCDM 2.0 credential,
for the token's issuer, signed by its current key, with Bitstring status entries and a
transparency-log leaf like every record. Lifecycle and status lists treat it as any other
record; it has no QR and no schema of ours (``core.records.generic``)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.checks import Outcome
from registry.core.errors import (
    FieldProblem,
    RegistryError,
    conflict,
    forbidden,
    invalid,
    invalid_field,
)
from registry.core.formats import dataintegrity, jsonld
from registry.core.formats.canonical import require_shallow
from registry.core.formats.timefmt import parse_instant
from registry.core.records.credential import STATUS_PURPOSES, record_type_of
from registry.core.records.generic import (
    GENERIC,
    STATUS_ENTRY_TYPE,
    URN_UUID,
    build_generic,
    check_generic_shape,
    record_id_of_credential_id,
    require_issuer,
    require_not_v1,
    status_entries_for,
)
from registry.core.verification.datamodel import check_data_model
from registry.services.access.tokens import Principal
from registry.services.issuance.issue import issue_record
from registry.services.issuance.requests import (
    idempotency_key_of,
    request_digest,
    require_issuer_token,
)
from registry.services.issuance.stored import IssuedRecord, replay_issued, store_issued
from registry.services.runtime.context import Registry
from registry.services.trust.directory import method_id
from registry.storage.repositories import CredentialRepository, IssuerRepository
from registry.storage.tables import CredentialRow

JCS = dataintegrity.JCS_CRYPTOSUITE
RDFC = dataintegrity.RDFC_CRYPTOSUITE
CRYPTOSUITES = dataintegrity.CRYPTOSUITES


@dataclass(frozen=True)
class GenericOptions:
    """The VC-API issue options a generic credential may carry."""

    credential_id: str | None = None
    mandatory_pointers: Sequence[str] | None = None
    credential_status: Mapping[str, Any] | None = None
    cryptosuite: str | None = None
    idempotency_key: str | None = None


def _option_error(name: str, code: str, zh: str, en: str) -> RegistryError:
    return invalid_field(f"/options/{name}", code, zh, en)


def check_options(options: GenericOptions) -> str:
    """Refuse options this issuer cannot honour; answer the cryptosuite to sign with."""
    if options.mandatory_pointers is not None:
        raise _option_error(
            "mandatoryPointers",
            "MANDATORY_POINTERS_UNSUPPORTED",
            "mandatoryPointers 仅适用于选择性披露的密码套件，eddsa 套件不支持",
            "mandatoryPointers apply to selective-disclosure cryptosuites only, not to the "
            "eddsa suites this issuer signs with",
        )
    status = options.credential_status
    if status is not None:
        if status.get("type", STATUS_ENTRY_TYPE) != STATUS_ENTRY_TYPE:
            raise _option_error(
                "credentialStatus/type",
                "STATUS_TYPE_UNSUPPORTED",
                f"仅支持 {STATUS_ENTRY_TYPE} 状态",
                f"only {STATUS_ENTRY_TYPE} status is supported",
            )
        purposes = status.get("statusPurpose", list(STATUS_PURPOSES))
        purposes = [purposes] if isinstance(purposes, str) else purposes
        unknown = not isinstance(purposes, list) or any(p not in STATUS_PURPOSES for p in purposes)
        if unknown or set(status) - {"type", "statusPurpose"}:
            raise _option_error(
                "credentialStatus/statusPurpose",
                "STATUS_PURPOSE_UNSUPPORTED",
                "状态用途仅支持 revocation 和 suspension",
                "the only status purposes are revocation and suspension",
            )
    suite = options.cryptosuite or JCS
    if suite not in CRYPTOSUITES:
        raise _option_error(
            "cryptosuite",
            "CRYPTOSUITE_UNSUPPORTED",
            "不支持该密码套件",
            f"unsupported cryptosuite (supported: {', '.join(CRYPTOSUITES)})",
        )
    return suite


def _credential_id(
    credential: Mapping[str, Any], options: GenericOptions, registry: Registry
) -> tuple[str, str]:
    """The credential id to write and its record id (the UUID in it)."""
    stated = credential.get("id")
    if stated is not None and options.credential_id is not None and stated != options.credential_id:
        raise _option_error(
            "credentialId",
            "CREDENTIAL_ID_CONFLICT",
            "options.credentialId 与 credential.id 不一致",
            "options.credentialId differs from credential.id",
        )
    if stated is not None:
        return str(stated), record_id_of_credential_id(stated, registry.urls, "/id")
    if options.credential_id is not None:
        text = options.credential_id
        record_id = record_id_of_credential_id(text, registry.urls, "/credentialId")
        return text, record_id
    record_id = str(uuid.uuid4())
    return URN_UUID + record_id, record_id


def _own_context(registry: Registry) -> jsonld.OwnContext:
    """This registry's own context URL (a generic credential may use its terms)."""
    own = registry.urls.context
    return lambda url: url == own


def require_data_model(unsigned: Mapping[str, Any], own_context: jsonld.OwnContext) -> None:
    """The credential about to be signed must pass the verifier's own data-model checks
    (VCDM 2.0 §4, JSON-LD expansion dropping no term): ``DATA_MODEL_INVALID`` naming each
    failed check's code and pointer, so nothing is signed that ``/credentials/verify``
    would refuse."""
    failed = [c for c in check_data_model(unsigned, own_context) if c.outcome == Outcome.FAILED]
    if not failed:
        return
    problems = tuple(
        FieldProblem(
            "/credential" + str(c.detail.get("pointer", "")), c.code, c.message_zh, c.message_en
        )
        for c in failed
    )
    raise invalid(
        "DATA_MODEL_INVALID",
        "凭证不符合 VC 2.0 数据模型：" + "；".join(c.message_zh for c in failed),
        "the credential does not conform to the VC Data Model 2.0: "
        + "; ".join(c.message_en for c in failed),
        problems,
    )


def _taken() -> RegistryError:
    return conflict(
        "CREDENTIAL_ID_TAKEN",
        "该凭证标识已被使用",
        "a credential with this id was already issued",
    )


def issue_generic(
    registry: Registry,
    principal: Principal,
    credential: Mapping[str, Any],
    *,
    now: datetime,
    options: GenericOptions | None = None,
) -> IssuedRecord:
    """Sign and store a generic credential for the principal's issuer."""
    options = options or GenericOptions()
    idempotency_key = idempotency_key_of(options.idempotency_key, None)
    issuer_uscc = require_issuer_token(principal)
    require_shallow(credential)
    check_generic_shape(credential)
    suite = check_options(options)
    credential_id, record_id = _credential_id(credential, options, registry)
    issuer_id = registry.urls.issuer(issuer_uscc)
    stated_issuer = require_issuer(credential, issuer_id)
    valid_from = (
        parse_instant(credential["validFrom"], "validFrom") if "validFrom" in credential else now
    )
    valid_until = (
        parse_instant(credential["validUntil"], "validUntil")
        if "validUntil" in credential
        else None
    )
    own_context = _own_context(registry)
    require_data_model(
        build_generic(
            credential,
            credential_id=credential_id,
            issuer=stated_issuer,
            status=status_entries_for(registry.urls, issuer_uscc, 0),
        ),
        own_context,
    )
    digest = request_digest({"credential": credential, "suite": suite}) if idempotency_key else ""
    with registry.transaction() as session:
        issuer, key_row = IssuerRepository(session).with_signing_key(issuer_uscc)
        if issuer is None or issuer.id is None:
            raise forbidden(
                "ISSUER_UNKNOWN", "令牌所属签发机构不存在", "the token's issuer does not exist"
            )
        if idempotency_key:
            earlier = replay_issued(registry, session, issuer.id, idempotency_key, digest)
            if earlier is not None:
                return earlier
        if key_row is None:
            raise RegistryError(
                "ISSUER_HAS_NO_KEY",
                "签发机构没有可用的签名密钥",
                "the issuer has no active signing key",
            )
        records = CredentialRepository(session)
        if records.get(record_id) is not None:
            raise _taken()
        private_key = registry.keystore.private_key(key_row)
        sign = dataintegrity.signer(suite)
        proof_options = dataintegrity.ProofOptions(
            verification_method=method_id(registry.urls, issuer.uscc, key_row.kid),
            created=now,
            cryptosuite=suite,
            own_context=own_context,
        )
        issuer_row_id = issuer.id

        def draw(index: int) -> CredentialRow:
            unsigned = build_generic(
                credential,
                credential_id=credential_id,
                issuer=stated_issuer,
                status=status_entries_for(registry.urls, issuer.uscc, index),
            )
            return CredentialRow.model_construct(
                id=record_id,
                issuer_id=issuer_row_id,
                record_type=GENERIC,
                issued_at=now,
                valid_from=valid_from,
                valid_until=valid_until,
                document=sign(unsigned, private_key, proof_options),
                qr_payload="",  # generic credentials have no QR
                id_number_digest="",
                status="active",
                status_list_index=index,
                idempotency_key=idempotency_key,
                request_digest=digest,
                electronic_licence_id=None,
                supersedes=None,
            )

        def on_clash() -> None:
            if records.get(record_id) is not None:
                raise _taken()

        stored = store_issued(
            registry,
            session,
            issuer,
            key_row.kid,
            draw,
            idempotency_key=idempotency_key,
            digest=digest,
            on_clash=on_clash,
        )
        if isinstance(stored, IssuedRecord):
            return stored
        return IssuedRecord.of(stored, registry.settings.base_url)


def issue_through_vc_api(
    registry: Registry,
    principal: Principal,
    credential: Mapping[str, Any],
    *,
    now: datetime,
    options: GenericOptions,
) -> IssuedRecord:
    """``POST /credentials/issue``: a credential naming one of our record types is issued
    as that type (schema, rules, QR), any other as a generic credential. VC 1.1 input and
    options neither way can honour are refused first."""
    require_not_v1(credential)
    if record_type_of(credential) is None:
        return issue_generic(registry, principal, credential, now=now, options=options)
    if check_options(options) != JCS:
        raise _option_error(
            "cryptosuite",
            "CRYPTOSUITE_NOT_APPLICABLE",
            "本登记系统的记录类型以 eddsa-jcs-2022 签名（其二维码与证明集依赖它）",
            "the registry's own record types are signed with eddsa-jcs-2022 (their QR and "
            "proof sets rely on it)",
        )
    if options.credential_id is not None:
        raise _option_error(
            "credentialId",
            "CREDENTIAL_ID_NOT_APPLICABLE",
            "本登记系统的记录类型由登记系统分配凭证标识",
            "the registry assigns the credential id of its own record types",
        )
    return issue_record(
        registry, principal, credential, now=now, idempotency_key=options.idempotency_key
    )


__all__ = [
    "CRYPTOSUITES",
    "JCS",
    "RDFC",
    "GenericOptions",
    "check_options",
    "issue_generic",
    "issue_through_vc_api",
    "require_data_model",
]
