"""Generic credentials: any well-formed VCDM 2.0 credential an issuer of ours asks the
VC-API to sign, beside the registry's own record types.

A generic credential keeps the claims it was given. The registry fills in what a VC-API
issuer owns: the credential ``id`` (``urn:uuid:`` when none is given), the ``issuer`` (the
caller's own id) and two Bitstring status entries (revocation and suspension) from the
issuer's status lists. It has no schema of ours, no QR and no recognition rules.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from registry.core.errors import RegistryError, forbidden, invalid_field
from registry.core.formats.timefmt import parse_instant
from registry.core.people.identifiers import resident_id_check_char
from registry.core.records.credential import (
    STATUS_PURPOSES,
    VC_V2_CONTEXT,
    RecordFacts,
    RegistryUrls,
    status_index_of,
)
from registry.core.recordtypes.base import RecordDetails

GENERIC = "VerifiableCredential"  # the stored record type of a generic credential
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
URN_UUID = "urn:uuid:"
STATUS_ENTRY_TYPE = "BitstringStatusListEntry"
# Set by the issuer, never taken from the request (a request carrying one is refused).
ISSUER_OWNED = ("proof", "credentialStatus")


def _refuse(pointer: str, code: str, zh: str, en: str) -> RegistryError:
    return invalid_field("/credential" + pointer, code, zh, en)


def require_not_v1(credential: Mapping[str, Any]) -> None:
    """VC 1.1 input (the ``credentials/v1`` context or ``issuanceDate``) is refused, not
    upgraded: ``VC_V1_UNSUPPORTED``."""
    context = credential.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if VC_V1_CONTEXT in contexts or "issuanceDate" in credential or "expirationDate" in credential:
        raise _refuse(
            "/@context",
            "VC_V1_UNSUPPORTED",
            "不支持 VC 1.1 凭证（credentials/v1 上下文或 issuanceDate），请使用 VC 2.0 数据模型",
            "VC 1.1 credentials (the credentials/v1 context or issuanceDate) are not "
            "supported: use the VC Data Model 2.0",
        )


def _is_url(value: object) -> bool:
    return (
        isinstance(value, str) and ":" in value and not value.startswith(":") and (" " not in value)
    )


def _check_context(credential: Mapping[str, Any]) -> None:
    context = credential.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_V2_CONTEXT:
        raise _refuse(
            "/@context",
            "CONTEXT_INVALID",
            "@context 必须是以 VC 2.0 上下文开头的列表",
            f"@context must be a list starting with {VC_V2_CONTEXT}",
        )
    for index, entry in enumerate(context[1:], start=1):
        if not (_is_url(entry) or isinstance(entry, Mapping)):
            raise _refuse(
                f"/@context/{index}",
                "CONTEXT_INVALID",
                "@context 的每一项必须是 URL 或对象",
                "each @context entry must be a URL or an object",
            )


def _check_type(credential: Mapping[str, Any]) -> None:
    types = credential.get("type")
    names = [types] if isinstance(types, str) else types
    if (
        not isinstance(names, list)
        or GENERIC not in names
        or not all(isinstance(name, str) and name for name in names)
    ):
        raise _refuse(
            "/type",
            "TYPE_INVALID",
            "type 必须包含 VerifiableCredential，且每一项都是非空字符串",
            "type must include VerifiableCredential, each entry a non-empty string",
        )


def _check_subjects(credential: Mapping[str, Any]) -> None:
    subject = credential.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    if not subjects:
        subjects = [None]
    for index, one in enumerate(subjects):
        pointer = (
            f"/credentialSubject/{index}" if isinstance(subject, list) else ("/credentialSubject")
        )
        if not isinstance(one, Mapping) or not any(name != "id" for name in one):
            raise _refuse(
                pointer,
                "SUBJECT_INVALID",
                "credentialSubject 必须是对象（或对象的非空列表），且每个主体至少有一项声明",
                "credentialSubject must be an object (or a non-empty list of objects), each "
                "with at least one claim",
            )
        if "id" in one and not _is_url(one["id"]):
            raise _refuse(
                pointer + "/id",
                "SUBJECT_INVALID",
                "credentialSubject 的 id 必须是 URL",
                "a credentialSubject id must be a URL",
            )


def _check_dates(credential: Mapping[str, Any]) -> None:
    for name in ("validFrom", "validUntil"):
        if name in credential:
            try:
                parse_instant(credential[name], name)
            except RegistryError as error:
                raise _refuse(f"/{name}", error.code, error.message_zh, error.message_en) from None


def _check_typed_entries(credential: Mapping[str, Any]) -> None:
    """``evidence``, ``termsOfUse``, ``refreshService`` and ``credentialSchema`` entries
    each carry a ``type`` (a schema also a URL ``id``)."""
    for name in ("evidence", "termsOfUse", "refreshService", "credentialSchema"):
        if name not in credential:
            continue
        value = credential[name]
        entries = value if isinstance(value, list) else [value]
        for index, entry in enumerate(entries):
            pointer = f"/{name}/{index}" if isinstance(value, list) else f"/{name}"
            typed = isinstance(entry, Mapping) and "type" in entry
            if not typed or (name == "credentialSchema" and not _is_url(entry.get("id"))):
                raise _refuse(
                    pointer,
                    "ENTRY_TYPE_MISSING",
                    f"{name} 的每一项必须是带 type 的对象",
                    f"each {name} entry must be an object with a type"
                    + (" and a URL id" if name == "credentialSchema" else ""),
                )


_ID_NUMBER = re.compile(r"[0-9]{17}[0-9Xx]")
PERSONAL_NUMBER_KEYS = frozenset({"idNumber", "passportNumber"})


def _holds_id_number(value: object) -> bool:
    """Does any key or string anywhere in ``value`` carry an ID number (GB 11643 form with
    a valid check character, wherever it sits in the text)?"""
    if isinstance(value, Mapping):
        return any(
            key in PERSONAL_NUMBER_KEYS or _holds_id_number(item) for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_holds_id_number(item) for item in value)
    if isinstance(value, str):
        return any(
            resident_id_check_char(found[:17]) == found[17].upper()
            for found in _ID_NUMBER.findall(value)
        )
    return False


def require_no_personal_numbers(credential: Mapping[str, Any]) -> None:
    """A generic credential is signed and returned as given, with nothing masked or sealed,
    so it may carry no ID or passport number (PIPL): ``PERSONAL_NUMBER_NOT_ALLOWED``."""
    if _holds_id_number(credential):
        raise _refuse(
            "/credentialSubject",
            "PERSONAL_NUMBER_NOT_ALLOWED",
            "通用凭证不得包含身份证件号码或护照号码（本系统的记录类型会遮蔽并加密保存它们）",
            "a generic credential may not carry an ID or passport number (the registry's "
            "own record types mask and seal them)",
        )


def check_generic_shape(credential: Mapping[str, Any]) -> None:
    """The data model's basics an issuer must not sign without (VCDM 2.0 §4): contexts,
    types, subjects with claims, dates, typed entries; and no proof or status of the
    caller's own (the issuer adds them)."""
    require_not_v1(credential)
    _check_context(credential)
    _check_type(credential)
    _check_subjects(credential)
    _check_dates(credential)
    _check_typed_entries(credential)
    require_no_personal_numbers(credential)
    for name in ISSUER_OWNED:
        if name in credential:
            raise _refuse(
                f"/{name}",
                "ISSUER_OWNED_PROPERTY",
                f"{name} 由签发方添加，请求中不得包含",
                f"{name} is added by the issuer and must not be in the request",
            )
    for name in ("name", "description"):
        if name in credential and not isinstance(credential[name], str | Mapping | list):
            raise _refuse(
                f"/{name}",
                "LANGUAGE_VALUE_INVALID",
                f"{name} 必须是字符串或语言值对象",
                f"{name} must be a string or language value objects",
            )


def record_id_of_credential_id(credential_id: object, urls: RegistryUrls, pointer: str) -> str:
    """The record id a requested credential id names: ``urn:uuid:<uuid>`` or the
    registry's own ``<base>/credentials/<uuid>``; anything else is ``CREDENTIAL_ID_INVALID``."""
    text = credential_id if isinstance(credential_id, str) else ""
    candidate: str | None = None
    if text.lower().startswith(URN_UUID):
        candidate = text[len(URN_UUID) :]
    elif text.startswith(urls.credential("")):
        candidate = text[len(urls.credential("")) :]
    if candidate is not None and candidate == candidate.lower():
        try:
            if str(uuid.UUID(candidate)) == candidate:
                return candidate
        except ValueError:
            pass
    raise _refuse(
        pointer,
        "CREDENTIAL_ID_INVALID",
        "凭证标识必须是 urn:uuid:<UUID> 或本登记系统的 /credentials/<UUID> 地址",
        f"a credential id must be urn:uuid:<UUID> or {urls.credential('<UUID>')}",
    )


def require_issuer(credential: Mapping[str, Any], issuer_id: str) -> Any:
    """The ``issuer`` to write: the caller's own id when absent, else what was given, which
    must name the caller (``ISSUER_MISMATCH``, 403)."""
    stated = credential.get("issuer")
    if stated is None:
        return issuer_id
    named = stated.get("id") if isinstance(stated, Mapping) else stated
    if named != issuer_id:
        raise forbidden(
            "ISSUER_MISMATCH",
            "凭证中的签发机构与令牌不符",
            "the credential names another issuer than the token's",
        )
    return stated


def status_entries_for(urls: RegistryUrls, issuer_uscc: str, index: int) -> list[dict[str, Any]]:
    """The two Bitstring status entries (revocation, suspension) at one list index."""
    return [
        {
            "id": f"{urls.status_list(issuer_uscc, purpose)}#{index}",
            "type": STATUS_ENTRY_TYPE,
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": urls.status_list(issuer_uscc, purpose),
        }
        for purpose in STATUS_PURPOSES
    ]


def build_generic(
    request: Mapping[str, Any],
    *,
    credential_id: str,
    issuer: Any,
    status: list[dict[str, Any]],
) -> dict[str, Any]:
    """The unsigned generic credential: the request as given, with its id, issuer and
    status entries (placed after ``issuer`` and before the subject, as ours are)."""
    built: dict[str, Any] = {}
    for name, value in request.items():
        if name in ("id", "issuer"):
            continue
        built[name] = value
        if name == "type":
            built["id"] = credential_id
            built["issuer"] = issuer
    built.setdefault("id", credential_id)
    built.setdefault("issuer", issuer)
    built["credentialStatus"] = status
    return built


def generic_facts(
    document: Mapping[str, Any], issuer_uscc: str, issued_at: datetime
) -> RecordFacts | None:
    """What a status source needs to find a generic credential of ours: its record id (the
    UUID of its ``urn:uuid:`` or ``/credentials/`` id), issuer and status index. ``None``
    when the id names no record of ours. Never shown: it has no public details."""
    credential_id = document.get("id")
    if not isinstance(credential_id, str):
        return None
    candidate = credential_id.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    try:
        record_id = str(uuid.UUID(candidate))
    except ValueError:
        return None
    return RecordFacts(
        record_id=record_id,
        record_type=GENERIC,
        issuer_uscc=issuer_uscc,
        issued_at=issued_at,
        valid_from=issued_at,
        valid_until=None,
        masked_name="",
        details=RecordDetails(),
        status_index=status_index_of(document),
    )


__all__ = [
    "GENERIC",
    "STATUS_ENTRY_TYPE",
    "URN_UUID",
    "VC_V1_CONTEXT",
    "build_generic",
    "check_generic_shape",
    "generic_facts",
    "record_id_of_credential_id",
    "require_issuer",
    "require_no_personal_numbers",
    "require_not_v1",
    "status_entries_for",
]
