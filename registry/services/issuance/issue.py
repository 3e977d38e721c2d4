"""Issuing a record of any type: validate (schema, the type's consistency rules, its
database rules), sign the credential (a proof set for joint titles), sign its QR payload
and store everything in one transaction. The request's own checks are in ``requests``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session

from registry.core.errors import RegistryError, forbidden, invalid_field
from registry.core.formats import dataintegrity, qrcontainer
from registry.core.formats.canonical import require_shallow
from registry.core.people.identifiers import parse_uscc
from registry.core.people.privacy import mask_name
from registry.core.records import qrclaims
from registry.core.records.credential import (
    JOINT_TITLE,
    RecordFacts,
    build_credential,
    facts_from_credential,
    new_record_id,
)
from registry.core.records.schemas import require_schema
from registry.services.access.tokens import Principal
from registry.services.authority.scopes import require_in_scope
from registry.services.issuance.issuer_facts import issuer_facts
from registry.services.issuance.record_rules import check_record_rules
from registry.services.issuance.requests import (
    check_consistency,
    check_issuer_named,
    idempotency_key_of,
    in_request,
    record_type_in,
    request_digest,
    require_issuer_token,
)
from registry.services.issuance.stored import (
    IssuedRecord,
    replay_issued,
    store_issued,
    store_subject_numbers,
)
from registry.services.lifecycle.changes import Amendment
from registry.services.people.personal_data import (
    amended_electronic_licence_id,
    electronic_licence_id,
    holder_digest,
    read_subject,
)
from registry.services.runtime.context import Registry
from registry.services.trust.directory import BUREAU, method_id
from registry.storage.repositories import (
    IssuerRepository,
    SigningKeyRepository,
)
from registry.storage.tables import CredentialRow, IssuerRow, SigningKeyRow

STATUS_LIST_SIZE = 131_072  # the smallest list; lists grow (core.formats.statuslist.list_entries)


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
        raise invalid_field(pointer, error.code, error.message_zh, error.message_en) from None
    committee = issuers.by_uscc(committee_uscc)
    if committee is None or committee.kind != "joint_committee":
        raise invalid_field(
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
            raise invalid_field(
                "/credential/credentialSubject/professionalTitle/reviewRegions",
                "REVIEW_REGION_NO_BUREAU",
                "参与评审地区没有登记的人社部门",
                "a co-reviewing region has no registered HR bureau",
            )
        signers.append(bureaus[0])
    return signers


def issue_record(
    registry: Registry,
    principal: Principal,
    credential: Mapping[str, Any],
    *,
    now: datetime,
    idempotency_key: str | None = None,
    amends: Amendment | None = None,
    session_row_key: str | None = None,
    within: Session | None = None,
) -> IssuedRecord:
    """Issue one record, of any type in ``RECORD_TYPES``, for the principal's issuer.

    With ``amends`` the record is a new version of an earlier one (same type and holder):
    it names the old credential in ``supersedes``, and the old record becomes superseded
    in the same transaction. ``idempotency_key`` is a client's key; a review session passes
    its row's key as ``session_row_key`` instead.

    The record is stored in a transaction of its own, or in ``within`` (a review session
    issues many rows per transaction); the caller then commits. A refusal is raised before
    anything is written, so the other rows of ``within`` are unaffected by it.
    """
    idempotency_key = idempotency_key_of(idempotency_key, session_row_key)
    issuer_uscc = require_issuer_token(principal)
    require_shallow(credential)
    record_type = record_type_in(credential)
    try:
        require_schema(record_type, credential)
    except RegistryError as error:  # pointers relative to the request body, as elsewhere
        raise in_request(error) from None
    check_consistency(record_type, credential, now)
    subject = credential["credentialSubject"]
    numbers = read_subject(subject, now=now)  # ID and passport numbers, checked
    digest = request_digest(credential) if idempotency_key else ""
    with _transaction(registry, within) as session:
        issuer, key_row = _issuer_in_scope(
            registry, session, issuer_uscc, record_type, credential, now=now
        )
        assert issuer.id is not None
        check_issuer_named(credential, issuer, registry)
        if idempotency_key:
            earlier = replay_issued(registry, session, issuer.id, idempotency_key, digest)
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
            raise in_request(error) from None
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
        holder = holder_digest(registry, numbers)
        issuer_id = issuer.id

        def draw(index: int) -> CredentialRow:
            record_id, signed, payload, facts = draft.sign(index)
            licence_id = (
                amended_electronic_licence_id(previous.row.electronic_licence_id, record_type)
                if previous is not None and previous.row.electronic_licence_id
                else electronic_licence_id(record_type, issuer.uscc, record_id, now)
            )
            return CredentialRow.model_construct(  # stored as given: no validation to run
                id=record_id,
                issuer_id=issuer_id,
                record_type=record_type,
                issued_at=now,
                valid_from=facts.valid_from,
                valid_until=facts.valid_until,
                document=signed,
                qr_payload=payload,
                id_number_digest=holder,
                status="active",
                status_list_index=index,
                idempotency_key=idempotency_key,
                request_digest=digest,
                electronic_licence_id=licence_id,
                supersedes=previous.row.id if previous else None,
            )

        stored = store_issued(
            registry,
            session,
            issuer,
            key_row.kid,
            draw,
            idempotency_key=idempotency_key,
            digest=digest,
        )
        if isinstance(stored, IssuedRecord):
            return stored
        store_subject_numbers(session, registry, stored.id, numbers)
        if previous is not None:
            previous.close(session, principal, stored.id, stored.document, now)
        return IssuedRecord.of(stored, registry.settings.base_url)


def _issuer_in_scope(
    registry: Registry,
    session: Session,
    issuer_uscc: str,
    record_type: str,
    credential: Mapping[str, Any],
    *,
    now: datetime,
) -> tuple[IssuerRow, SigningKeyRow | None]:
    """The token's issuer and its signing key, once it is known to have authority for
    this record (kept across transactions while the authority generation stays put, and
    read once per transaction)."""
    facts = _once_per_transaction(
        session,
        ("issuer", issuer_uscc),
        lambda: issuer_facts(registry.engine, session, issuer_uscc),
    )
    if facts is None:
        raise forbidden(
            "ISSUER_UNKNOWN", "令牌所属签发机构不存在", "the token's issuer does not exist"
        )
    require_in_scope(session, facts.issuer, record_type, credential, now, scope_rows=facts.scopes)
    return facts.issuer, facts.key


_T = TypeVar("_T")
_CACHE = "registry.issuance"  # the key of the transaction's own cache in ``Session.info``


def _once_per_transaction(session: Session, key: tuple[str, Any], read: Callable[[], _T]) -> _T:
    """``read()`` the first time a transaction asks, the same answer after: a review
    session issues many rows of one issuer in one transaction, and the issuer, its key and
    its scopes cannot change under the write lock it holds (SQLite) or matter if they
    change within its run (PostgreSQL: as if every row were issued when the first was)."""
    cache: dict[tuple[str, Any], Any] = session.info.setdefault(_CACHE, {})
    if key not in cache:
        cache[key] = read()
    found: _T = cache[key]
    return found


@contextmanager
def _transaction(registry: Registry, within: Session | None) -> Iterator[Session]:
    """The caller's transaction, or a new one committed on exit."""
    if within is not None:
        yield within
        return
    with registry.transaction() as session:
        yield session


def _no_key() -> RegistryError:
    return RegistryError(
        "ISSUER_HAS_NO_KEY", "签发机构没有可用的签名密钥", "the issuer has no active signing key"
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

__all__ = ["IssuedRecord", "issue_record", "issue_title"]
