"""Issuing a record of any type: validate (schema, the type's consistency rules, its
database rules), sign the credential (a proof set for joint titles), sign its QR payload
and store everything in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from registry.core.errors import FieldProblem, RegistryError, conflict, forbidden, invalid
from registry.core.formats import dataintegrity, qrcontainer
from registry.core.formats.canonical import canonical_json, require_shallow
from registry.core.formats.timefmt import parse_instant
from registry.core.lifecycle.events import LogEvent, record_digest
from registry.core.people.identifiers import parse_uscc
from registry.core.people.privacy import mask_name
from registry.core.records import qrclaims
from registry.core.records.credential import (
    JOINT_TITLE,
    RecordFacts,
    build_credential,
    facts_from_credential,
    new_record_id,
    record_type_of,
)
from registry.core.records.schemas import require_schema
from registry.core.recordtypes import RECORD_TYPES, public_details, spec_of
from registry.services.access.tokens import Principal, require_role
from registry.services.authority.issuers import require_in_scope
from registry.services.issuance.record_rules import check_record_rules
from registry.services.lifecycle.changes import Amendment
from registry.services.lifecycle.statuslists import allocate_status_index
from registry.services.people.personal_data import (
    amended_electronic_licence_id,
    electronic_licence_id,
    holder_digest,
    read_subject,
    store_numbers,
)
from registry.services.runtime.context import Registry
from registry.services.transparency.events import append_event
from registry.services.trust.directory import BUREAU, method_id
from registry.storage.repositories import (
    CredentialRepository,
    IssuerRepository,
    SigningKeyRepository,
)
from registry.storage.tables import CredentialRow, IssuerRow, SigningKeyRow

STATUS_LIST_SIZE = 131_072  # the smallest list; lists grow (core.statuslist.list_entries)
INDEX_ATTEMPTS = 8


@dataclass(frozen=True)
class IssuedRecord:
    """A stored record: its signed credential and its QR payload."""

    record_id: str
    credential: dict[str, Any]
    qr_payload: str
    qr_url: str
    replayed: bool = False
    electronic_licence_id: str | None = None


def _problem(pointer: str, code: str, zh: str, en: str) -> RegistryError:
    return invalid(code, zh, en, (FieldProblem(pointer, code, zh, en),))


def _record_type(credential: Mapping[str, Any]) -> str:
    record_type = record_type_of(credential)
    if record_type is None:
        raise _problem(
            "/credential/type",
            "RECORD_TYPE_UNSUPPORTED",
            "不支持的记录类型",
            f"unsupported record type (supported: {', '.join(RECORD_TYPES)})",
        )
    return record_type


def _in_request(error: RegistryError) -> RegistryError:
    """The error with its pointers made relative to the request body (``/credential``)."""
    problems = tuple(replace(p, pointer="/credential" + p.pointer) for p in error.problems)
    return replace(error, problems=problems)


def _check_consistency(record_type: str, credential: Mapping[str, Any], now: datetime) -> None:
    """The type's pure rules beyond the schema (title name vs level, permit validity...)."""
    spec = spec_of(record_type)
    subject = credential["credentialSubject"]
    stated_from, stated_until = credential.get("validFrom"), credential.get("validUntil")
    try:
        spec.check(
            public_details(spec, subject),
            subject[spec.subject_key],
            parse_instant(stated_from, "validFrom") if stated_from else now,
            parse_instant(stated_until, "validUntil") if stated_until else None,
        )
    except RegistryError as error:
        raise _in_request(error) from None


def _check_request(credential: Mapping[str, Any], issuer: IssuerRow, registry: Registry) -> None:
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
        raise _no_key()
    return row


def _co_signers(session: Session, title: Mapping[str, Any], issuer: IssuerRow) -> list[IssuerRow]:
    """The HR bureau of each co-reviewing region, besides the committee itself."""
    issuers = IssuerRepository(session)
    pointer = "/credential/credentialSubject/professionalTitle/jointCommittee"
    try:
        committee_uscc = parse_uscc(str(title["jointCommittee"]))
    except RegistryError as error:
        raise _problem(pointer, error.code, error.message_zh, error.message_en) from None
    committee = issuers.by_uscc(committee_uscc)
    if committee is None or committee.kind != "joint_committee":
        raise _problem(
            pointer,
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


MAX_IDEMPOTENCY_KEY = 128  # the column's length
SHEET_ROW_PREFIX, BATCH_ITEM_PREFIX = "sheet:", "batch:"  # review sessions' row keys
SESSION_ROW_PREFIXES = (BATCH_ITEM_PREFIX, SHEET_ROW_PREFIX)


def _idempotency_key(client_key: str | None, session_row_key: str | None) -> str | None:
    """The key a record is stored under: a client's own (checked: 1-128 characters, none
    a control character, not a review session's row key), or a session row's."""
    if session_row_key is not None:
        return session_row_key
    if client_key is None:
        return None
    reserved = client_key.startswith(SESSION_ROW_PREFIXES)
    if (
        not client_key
        or len(client_key) > MAX_IDEMPOTENCY_KEY
        or not client_key.isprintable()
        or reserved
    ):
        zh = "幂等键须为 1-128 个可打印字符，且不以 batch: 或 sheet: 开头（评审批次专用）"
        en = (
            "an idempotency key is 1-128 printable characters, not starting with batch: or "
            "sheet: (kept for review sessions)"
        )
        problem = FieldProblem("/options/idempotencyKey", "IDEMPOTENCY_KEY_INVALID", zh, en)
        raise invalid("IDEMPOTENCY_KEY_INVALID", zh, en, (problem,))
    return client_key


def require_issuer_token(principal: Principal) -> str:
    """The USCC of the issuer a token is bound to: only such a token issues (an admin
    token bound to none neither)."""
    require_role(principal, "issuer")
    if not principal.issuer_uscc:
        raise forbidden(
            "TOKEN_NOT_ISSUER", "该令牌不属于任何签发机构", "this token is not bound to an issuer"
        )
    return principal.issuer_uscc


def request_digest(credential: Mapping[str, Any]) -> str:
    """A digest of an issuance request, to tell a replay from a different request."""
    return hashlib.sha256(canonical_json(credential)).hexdigest()


def issue_record(
    registry: Registry,
    principal: Principal,
    credential: Mapping[str, Any],
    *,
    now: datetime,
    idempotency_key: str | None = None,
    amends: Amendment | None = None,
    session_row_key: str | None = None,
) -> IssuedRecord:
    """Issue one record, of any type in ``RECORD_TYPES``, for the principal's issuer.

    With ``amends`` the record is a new version of an earlier one (same type and holder):
    it names the old credential in ``supersedes``, and the old record becomes superseded
    in the same transaction. ``idempotency_key`` is a client's key; a review session passes
    its row's key as ``session_row_key`` instead.
    """
    idempotency_key = _idempotency_key(idempotency_key, session_row_key)
    issuer_uscc = require_issuer_token(principal)
    require_shallow(credential)
    record_type = _record_type(credential)
    try:
        require_schema(record_type, credential)
    except RegistryError as error:  # pointers relative to the request body, as elsewhere
        raise _in_request(error) from None
    _check_consistency(record_type, credential, now)
    subject = credential["credentialSubject"]
    numbers = read_subject(subject, now=now)  # ID and passport numbers, checked
    digest = request_digest(credential) if idempotency_key else ""
    with registry.transaction() as session:
        issuer, key_row = IssuerRepository(session).with_signing_key(issuer_uscc)
        if issuer is None or issuer.id is None:
            raise forbidden(
                "ISSUER_UNKNOWN", "令牌所属签发机构不存在", "the token's issuer does not exist"
            )
        require_in_scope(session, issuer, record_type, credential, now)
        _check_request(credential, issuer, registry)
        if idempotency_key:
            earlier = _replay(registry, session, issuer.id, idempotency_key, digest)
            if earlier is not None:
                return earlier
        previous = (
            amends.open(session, principal, record_type, holder_digest(registry, numbers))
            if amends
            else None
        )
        try:
            check_record_rules(
                session,
                registry,
                issuer,
                record_type,
                credential,
                amending=previous.row if previous else None,
            )
        except RegistryError as error:
            raise _in_request(error) from None
        if key_row is None:
            raise _no_key()
        signers = [(issuer, key_row)]
        if record_type == JOINT_TITLE:
            co_signers = _co_signers(session, subject["professionalTitle"], issuer)
            signers += [(b, _signing_row(session, b)) for b in co_signers]
        draft = _Draft(
            registry=registry,
            request={**credential, "credentialSubject": numbers.masked},
            record_type=record_type,
            issuer=issuer,
            signers=signers,
            masked_id=numbers.holder.masked,
            masked_name=mask_name(str(subject["name"])),
            now=now,
            supersedes=previous.credential_id if previous else None,
        )
        for _ in range(INDEX_ATTEMPTS):
            index = allocate_status_index(session, issuer.id)
            record_id, signed, payload, facts = draft.sign(index)
            licence_id = (
                amended_electronic_licence_id(previous.row.electronic_licence_id)
                if previous is not None and previous.row.electronic_licence_id
                else electronic_licence_id(record_type, issuer.uscc, record_id, now)
            )
            row = CredentialRow.model_construct(  # stored as given: no validation to run
                id=record_id,
                issuer_id=issuer.id,
                record_type=record_type,
                issued_at=now,
                valid_from=facts.valid_from,
                valid_until=facts.valid_until,
                document=signed,
                qr_payload=payload,
                id_number_digest=holder_digest(registry, numbers),
                status="active",
                status_list_index=index,
                idempotency_key=idempotency_key,
                request_digest=digest,
                electronic_licence_id=licence_id,
                supersedes=previous.row.id if previous else None,
            )
            if not CredentialRepository(session).add_unless_taken(row):
                continue  # index or e-licence id taken (or a concurrent replay): draw again
            store_numbers(session, registry, record_id, numbers)
            append_event(
                session,
                LogEvent(
                    "issued",
                    now,
                    issuer.uscc,
                    record_id=record_id,
                    kid=key_row.kid,
                    record_digest=record_digest(signed),
                ),
            )
            if previous is not None:
                previous.close(session, principal, record_id, signed, now)
            url = qrcontainer.verify_url(registry.settings.base_url, payload)
            return IssuedRecord(record_id, signed, payload, url, electronic_licence_id=licence_id)
    raise conflict(
        "ISSUE_CONFLICT",
        "签发冲突（状态索引或幂等键），请重试",
        "issuance clashed repeatedly: retry",
    )


def _no_key() -> RegistryError:
    return RegistryError(
        "ISSUER_HAS_NO_KEY", "签发机构没有可用的签名密钥", "the issuer has no active signing key"
    )


def _replay(
    registry: Registry, session: Session, issuer_id: int, key: str, digest: str
) -> IssuedRecord | None:
    earlier = CredentialRepository(session).by_idempotency_key(issuer_id, key)
    if earlier is None:
        return None
    if earlier.request_digest != digest:
        raise conflict(
            "IDEMPOTENCY_KEY_REUSED",
            "幂等键已用于另一份请求",
            "the idempotency key was used for a different request",
        )
    url = qrcontainer.verify_url(registry.settings.base_url, earlier.qr_payload)
    return IssuedRecord(
        earlier.id,
        earlier.document,
        earlier.qr_payload,
        url,
        replayed=True,
        electronic_licence_id=earlier.electronic_licence_id,
    )


@dataclass(frozen=True)
class _Draft:
    """Everything needed to sign a record once its status index is drawn."""

    registry: Registry
    request: Mapping[str, Any]
    record_type: str
    issuer: IssuerRow
    signers: list[tuple[IssuerRow, SigningKeyRow]]
    masked_id: str
    masked_name: str
    now: datetime
    supersedes: str | None = None  # the credential id an amendment replaces

    def sign(self, index: int) -> tuple[str, dict[str, Any], str, RecordFacts]:
        """Build the credential for a status index; sign it and its QR payload."""
        registry = self.registry
        record_id = new_record_id()
        signed = build_credential(
            self.request,
            record_id=record_id,
            record_type=self.record_type,
            issuer_uscc=self.issuer.uscc,
            issuer_name=self.issuer.name_zh,
            issued_at=self.now,
            masked_id_number=self.masked_id,
            status_index=index,
            urls=registry.urls,
            supersedes=self.supersedes,
        )
        facts = facts_from_credential(signed, self.masked_name, self.now)
        for signer, key_row in self.signers:
            options = dataintegrity.ProofOptions(
                verification_method=method_id(registry.urls, signer.uscc, key_row.kid),
                created=self.now,
            )
            signed = dataintegrity.add_proof(
                signed, registry.keystore.private_key(key_row), options
            )
        issuer_key = self.signers[0][1]
        payload = qrclaims.sign_payload(
            facts, registry.keystore.private_key(issuer_key), bytes.fromhex(issuer_key.kid)
        )
        qrcontainer.require_within_budget(payload)  # raised inside the transaction: no row
        return record_id, signed, payload, facts


issue_title = issue_record  # the first slice's name, kept for callers not yet renamed

__all__ = ["IssuedRecord", "issue_record", "issue_title", "request_digest", "require_issuer_token"]
