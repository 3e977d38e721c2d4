"""The VCDM 2.0 data model of a credential document, checked strictly (pure).

Every MUST of "Verifiable Credentials Data Model v2.0" section 4 (and the related
properties of section 5) and of "Verifiable Credential Data Integrity 1.0" section 2.1
(the proof's own properties) that a verifier can check from the document alone. Each
failure is its own ``data_model`` check with a stable code (``VC_*``, ``DI_*`` or
``JSONLD_*``) and, where it helps, the JSON pointer of what is wrong; their messages are
in ``registry.core.checks.MESSAGES``. A document that breaks nothing gets one passed
``DATA_MODEL_VALID`` check.

JSON-LD: the document is expanded offline (``registry.core.formats.jsonld``); an unknown
context, a redefined protected term or any expansion error fails, and so does any
property or type the contexts do not define (expansion would drop it or leave it a
relative IRI): ``VC_TERM_UNDEFINED`` names each such pointer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from registry.core.checks import Check, Outcome, check
from registry.core.errors import RegistryError
from registry.core.formats import jsonld
from registry.core.formats.dataintegrity import ASSERTION_METHOD, CRYPTOSUITES, PROOF_TYPE

CHECK_NAME = "data_model"
VC_V2_CONTEXT = jsonld.VC_V2_CONTEXT
VC_V1_CONTEXT = jsonld.VC_V1_CONTEXT
VERIFIABLE_CREDENTIAL = "VerifiableCredential"

# An absolute URL (RFC 3986 scheme, then something): https:, urn:, did:, ...
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+")
# XML Schema dateTimeStamp: a dateTime whose time zone offset is required.
_DATETIME_STAMP = re.compile(
    r"(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))", re.ASCII
)
_LANGUAGE_KEYS = frozenset({"@value", "@language", "@direction"})
_DIRECTIONS = frozenset({"ltr", "rtl"})
_V1_ONLY = ("issuanceDate", "expirationDate")
# Properties whose every entry must be an object with a type (VCDM 2.0, 4.10 to 5.6).
_TYPED_ENTRIES = {
    "credentialStatus": "VC_STATUS_INVALID",
    "evidence": "VC_EVIDENCE_INVALID",
    "termsOfUse": "VC_TERMS_OF_USE_INVALID",
    "refreshService": "VC_REFRESH_SERVICE_INVALID",
    "credentialSchema": "VC_CREDENTIAL_SCHEMA_INVALID",
}


def pointer(*parts: str | int) -> str:
    """An RFC 6901 JSON pointer to ``parts``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def is_url(value: object) -> bool:
    """Is ``value`` a single absolute URL (any scheme: https, urn, did, ...)?"""
    return isinstance(value, str) and _URL.fullmatch(value) is not None


def is_datetime_stamp(value: object) -> bool:
    """Is ``value`` an XML Schema ``dateTimeStamp`` (a date and time with an offset)?"""
    if not isinstance(value, str):
        return False
    match = _DATETIME_STAMP.fullmatch(value)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    if year == 0 or not 1 <= month <= 12 or not 1 <= day <= days[month - 1]:
        return False
    if match.group(9) is not None and (int(match.group(9)) > 14 or int(match.group(10)) > 59):
        return False
    if hour == 24:  # XML Schema allows 24:00:00 for the end of a day
        return minute == 0 and second == 0 and not (match.group(7) or "").strip(".0")
    return hour <= 23 and minute <= 59 and second <= 59


def _fail(code: str, at: str | None = None, **detail: Any) -> Check:
    if at is not None:
        detail["pointer"] = at
    return check(CHECK_NAME, Outcome.FAILED, code, **detail)


def _members(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else [value]


def check_data_model(
    document: Mapping[str, Any], own_context: jsonld.OwnContext = jsonld.no_own_context
) -> list[Check]:
    """Every data-model failure of a credential, or one passed ``DATA_MODEL_VALID`` check.

    ``own_context`` says which context URLs name this registry's own context (it is
    published under each deployment's base URL). Pure apart from reading the shipped
    contexts; never raises.
    """
    if not isinstance(document, Mapping):
        return [_fail("VC_NOT_AN_OBJECT", "")]
    failures = list(_v1_checks(document))
    if failures:
        return failures
    failures.extend(_context_checks(document))
    failures.extend(_id_checks(document))
    failures.extend(_type_checks(document))
    failures.extend(_issuer_checks(document.get("issuer")))
    failures.extend(_subject_checks(document))
    failures.extend(_validity_checks(document))
    failures.extend(_language_checks(document))
    failures.extend(_entry_checks(document))
    failures.extend(_related_resource_checks(document.get("relatedResource")))
    failures.extend(proof_checks(document))
    if not any(f.code in ("VC_CONTEXT_INVALID", "VC_CONTEXT_ENTRY_INVALID") for f in failures):
        failures.extend(_jsonld_checks(document, own_context))
    if failures:
        return failures
    return [check(CHECK_NAME, Outcome.PASSED, "DATA_MODEL_VALID")]


def data_model_failed(checks: list[Check]) -> bool:
    """Did ``check_data_model`` find anything wrong?"""
    return any(c.outcome == Outcome.FAILED for c in checks)


def _v1_checks(document: Mapping[str, Any]) -> Iterator[Check]:
    contexts = _members(document.get("@context"))
    v1_fields = [name for name in _V1_ONLY if name in document]
    if VC_V1_CONTEXT in contexts or v1_fields:
        yield _fail("VC_V1_UNSUPPORTED", "/@context" if not v1_fields else pointer(v1_fields[0]))


def _context_checks(document: Mapping[str, Any]) -> Iterator[Check]:
    context = document.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_V2_CONTEXT:
        yield _fail("VC_CONTEXT_INVALID", "/@context")
        return
    for index, entry in enumerate(context[1:], start=1):
        if not (is_url(entry) or isinstance(entry, Mapping)):
            yield _fail("VC_CONTEXT_ENTRY_INVALID", pointer("@context", index))


def _objects(value: object, *at: str | int) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every JSON object in ``value`` with its path, outside ``@context`` values."""
    if isinstance(value, Mapping):
        yield at, value
        for key, member in value.items():
            if key != "@context":
                yield from _objects(member, *at, key)
    elif isinstance(value, list):
        for index, member in enumerate(value):
            yield from _objects(member, *at, index)


def _id_checks(document: Mapping[str, Any]) -> Iterator[Check]:
    """VCDM 2.0, 4.4: any ``id`` is a single URL."""
    for at, node in _objects(document):
        if "id" in node and not is_url(node["id"]):
            yield _fail("VC_ID_INVALID", pointer(*at, "id"))


def _type_values(value: object) -> list[object] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return list(value)
    return None


def _type_checks(document: Mapping[str, Any]) -> Iterator[Check]:
    if "type" not in document:
        yield _fail("VC_TYPE_MISSING", "/type")
        return
    types = _type_values(document["type"])
    if types is None:
        yield _fail("VC_TYPE_INVALID", "/type")
    elif VERIFIABLE_CREDENTIAL not in types:
        yield _fail("VC_TYPE_NOT_CREDENTIAL", "/type")
    for at, node in _objects(document):
        if at and "type" in node and _type_values(node["type"]) is None:
            yield _fail("VC_TYPE_INVALID", pointer(*at, "type"))


def _issuer_checks(issuer: object) -> Iterator[Check]:
    """VCDM 2.0, 4.7: a URL, or an object whose ``id`` is a URL."""
    if issuer is None:
        yield _fail("VC_ISSUER_MISSING", "/issuer")
    elif isinstance(issuer, Mapping):
        if not is_url(issuer.get("id")):
            yield _fail("VC_ISSUER_INVALID", "/issuer/id")
    elif not is_url(issuer):
        yield _fail("VC_ISSUER_INVALID", "/issuer")


def _subject_checks(document: Mapping[str, Any]) -> Iterator[Check]:
    """VCDM 2.0, 4.8: an object or a non-empty set of objects, each with a claim."""
    if "credentialSubject" not in document:
        yield _fail("VC_SUBJECT_MISSING", "/credentialSubject")
        return
    subject = document["credentialSubject"]
    if isinstance(subject, list):
        if not subject:
            yield _fail("VC_SUBJECT_INVALID", "/credentialSubject")
        entries = [(pointer("credentialSubject", i), s) for i, s in enumerate(subject)]
    else:
        entries = [("/credentialSubject", subject)]
    for at, entry in entries:
        if not isinstance(entry, Mapping):
            yield _fail("VC_SUBJECT_INVALID", at)
        elif not any(key not in ("id", "@context") for key in entry):
            yield _fail("VC_SUBJECT_NO_CLAIMS", at)


def _validity_checks(document: Mapping[str, Any]) -> Iterator[Check]:
    """VCDM 2.0, 4.9: ``dateTimeStamp`` values, ``validFrom`` not after ``validUntil``."""
    stamps: dict[str, datetime] = {}
    for name, code in (
        ("validFrom", "VC_VALID_FROM_INVALID"),
        ("validUntil", "VC_VALID_UNTIL_INVALID"),
    ):
        if name not in document:
            continue
        value = document[name]
        if not is_datetime_stamp(value):
            yield _fail(code, pointer(name))
            continue
        try:
            stamps[name] = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            continue  # outside Python's years; its order is not checked
    if (
        "validFrom" in stamps
        and "validUntil" in stamps
        and stamps["validFrom"] > stamps["validUntil"]
    ):
        yield _fail("VC_VALIDITY_RANGE_INVALID", "/validUntil")


def _language_value_ok(value: object) -> bool:
    if isinstance(value, str):
        return True
    if not isinstance(value, Mapping) or not set(value) <= _LANGUAGE_KEYS:
        return False
    if not isinstance(value.get("@value"), str):
        return False
    if "@language" in value and not isinstance(value["@language"], str):
        return False
    return "@direction" not in value or value["@direction"] in _DIRECTIONS


def _language_checks(document: Mapping[str, Any]) -> Iterator[Check]:
    """VCDM 2.0, 4.6: ``name`` and ``description`` are strings or language value objects."""
    holders: list[tuple[tuple[str, ...], Mapping[str, Any]]] = [((), document)]
    if isinstance(document.get("issuer"), Mapping):
        holders.append((("issuer",), document["issuer"]))
    for at, holder in holders:
        for name, code in (("name", "VC_NAME_INVALID"), ("description", "VC_DESCRIPTION_INVALID")):
            if name not in holder:
                continue
            values = holder[name]
            members = values if isinstance(values, list) and values else [values]
            for index, value in enumerate(members):
                if not _language_value_ok(value):
                    where: tuple[str | int, ...] = (*at, name)
                    if isinstance(values, list):
                        where = (*where, index)
                    yield _fail(code, pointer(*where))


def _entry_checks(document: Mapping[str, Any]) -> Iterator[Check]:
    """VCDM 2.0, 4.10 to 5.6: status, schema, evidence, terms of use, refresh: typed objects."""
    for name, code in _TYPED_ENTRIES.items():
        if name not in document:
            continue
        value = document[name]
        entries = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        if isinstance(value, list) and not value:
            yield _fail(code, pointer(name))
        for index, entry in entries:
            at = (name,) if index is None else (name, index)
            if not isinstance(entry, Mapping) or "type" not in entry:
                yield _fail(code, pointer(*at))
            elif name == "credentialSchema" and not is_url(entry.get("id")):
                yield _fail(code, pointer(*at, "id"))


def _related_resource_checks(value: object) -> Iterator[Check]:
    """VCDM 2.0, 5.3: each related resource has a URL ``id`` (unique) and a digest."""
    if value is None:
        return
    seen: set[str] = set()
    entries = value if isinstance(value, list) else [value]
    for index, entry in enumerate(entries):
        at = pointer("relatedResource", index) if isinstance(value, list) else "/relatedResource"
        if not isinstance(entry, Mapping) or not is_url(entry.get("id")):
            yield _fail("VC_RELATED_RESOURCE_INVALID", at)
            continue
        digests = [entry.get("digestSRI"), entry.get("digestMultibase")]
        if entry["id"] in seen or not any(isinstance(d, str) and d for d in digests):
            yield _fail("VC_RELATED_RESOURCE_INVALID", at)
        seen.add(entry["id"])


def proof_checks(document: Mapping[str, Any]) -> Iterator[Check]:
    """Data Integrity 1.0, 2.1: each proof's own properties (its signature is checked elsewhere)."""
    if "proof" not in document:
        return
    proof = document["proof"]
    members = list(enumerate(proof)) if isinstance(proof, list) else [(None, proof)]
    if isinstance(proof, list) and not proof:
        yield _fail("DI_PROOF_INVALID", "/proof")
    for index, member in members:
        at: tuple[str | int, ...] = ("proof",) if index is None else ("proof", index)
        if not isinstance(member, Mapping):
            yield _fail("DI_PROOF_INVALID", pointer(*at))
            continue
        yield from _one_proof(member, at)


def _one_proof(proof: Mapping[str, Any], at: tuple[str | int, ...]) -> Iterator[Check]:
    if proof.get("type") != PROOF_TYPE:
        yield _fail("DI_PROOF_TYPE_UNSUPPORTED", pointer(*at, "type"))
    if proof.get("cryptosuite") not in CRYPTOSUITES:
        yield _fail("DI_CRYPTOSUITE_UNKNOWN", pointer(*at, "cryptosuite"))
    if proof.get("proofPurpose") != ASSERTION_METHOD:
        yield _fail("DI_PROOF_PURPOSE_INVALID", pointer(*at, "proofPurpose"))
    if not is_url(proof.get("verificationMethod")):
        yield _fail("DI_VERIFICATION_METHOD_INVALID", pointer(*at, "verificationMethod"))
    for name in ("created", "expires"):
        if name in proof and not is_datetime_stamp(proof[name]):
            yield _fail("DI_DATETIME_INVALID", pointer(*at, name))
    if not isinstance(proof.get("proofValue"), str) or not proof["proofValue"]:
        yield _fail("DI_PROOF_VALUE_MISSING", pointer(*at, "proofValue"))
    for name in ("domain", "previousProof"):
        if name in proof and _strings(proof[name]) is None:
            yield _fail("DI_PROOF_INVALID", pointer(*at, name))
    for name in ("challenge", "nonce"):
        if name in proof and not isinstance(proof[name], str):
            yield _fail("DI_PROOF_INVALID", pointer(*at, name))


def _strings(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


_JSONLD_CODES = ("JSONLD_CONTEXT_UNKNOWN", "JSONLD_PROTECTED_TERM_REDEFINED")


def _jsonld_checks(document: Mapping[str, Any], own_context: jsonld.OwnContext) -> list[Check]:
    """Expansion succeeds and drops no term: every property and type is defined.

    Remembered per document (a credential verified again is not expanded again).
    """
    return jsonld.memoised(
        "vcdm-terms", document, own_context, lambda: list(_expansion_checks(document, own_context))
    )


def _expansion_checks(
    document: Mapping[str, Any], own_context: jsonld.OwnContext
) -> Iterator[Check]:
    try:
        expansion = jsonld.expand(document, own_context)
    except RegistryError as error:
        code = error.code if error.code in _JSONLD_CODES else "JSONLD_INVALID"
        yield _fail(code, "/@context" if code != "JSONLD_INVALID" else "", reason=error.message_en)
        return
    undefined_types = frozenset(_relative_types(expansion.expanded))
    pointers = sorted(_undefined_at(document, expansion.dropped, undefined_types))
    if pointers:
        yield _fail("VC_TERM_UNDEFINED", pointers[0], pointers=pointers)


def _relative_types(expanded: object) -> Iterator[str]:
    """Type values expansion could not turn into absolute IRIs (no context defines them)."""
    if isinstance(expanded, list):
        for member in expanded:
            yield from _relative_types(member)
    elif isinstance(expanded, Mapping):
        for key, value in expanded.items():
            if key == "@type" and "@value" not in expanded:
                yield from (t for t in _members(value) if isinstance(t, str) and ":" not in t)
            elif key != "@value":
                yield from _relative_types(value)


def _undefined_at(
    document: Mapping[str, Any], dropped: frozenset[str], types: frozenset[str]
) -> Iterator[str]:
    for at, node in _objects(document):
        for key, value in node.items():
            if key in dropped and not key.startswith("@"):
                yield pointer(*at, key)
            if key in ("type", "@type"):
                members = value if isinstance(value, list) else [value]
                for index, member in enumerate(members):
                    if isinstance(member, str) and member in types:
                        where = (*at, key, index) if isinstance(value, list) else (*at, key)
                        yield pointer(*where)


__all__ = [
    "CHECK_NAME",
    "check_data_model",
    "data_model_failed",
    "is_datetime_stamp",
    "is_url",
    "pointer",
    "proof_checks",
]
