"""The trust list: one signed document naming a registry's regions, issuers, keys and
recognition rules, so that a verifier can check that registry's records with nothing else.

Format version 1 (``schemas/trust-list/v1.schema.json``): a JSON object with ``type``
``RegistryTrustList``, ``version`` 1, a ``sequence`` that grows with every change of
content, ``issued`` and ``expires`` instants, the issuing ``registry`` (base URL and root
key as a Multikey), ``regions``, ``issuers`` (with scopes and keys), ``agreements`` and
``equivalences``. It carries one Data Integrity proof (``eddsa-jcs-2022``) by the root key.

The root key's fingerprint is the SHA-256 of its 32 raw Ed25519 public-key bytes, written
as 64 lower-case hex digits; it is what an importer pins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from registry.core.checks import Check, Outcome, check
from registry.core.errors import RegistryError, invalid
from registry.core.formats import dataintegrity
from registry.core.formats.canonical import canonical_json, require_shallow
from registry.core.formats.multikey import public_multikey
from registry.core.formats.timefmt import format_instant, utc
from registry.core.trust.model import Agreement, Equivalence, IssuerInfo, KeyInfo, RegionInfo
from registry.core.trustlists.trustlist_parse import parse_content, parse_header, parse_root
from registry.core.verification.record import CLOCK_SKEW

VERSION = 1
DOCUMENT_TYPE = "RegistryTrustList"
LIFETIME = timedelta(days=7)  # ``expires`` is this long after ``issued``
STALE_AFTER = timedelta(hours=24)  # verifiers warn past this age
MAX_AGE = timedelta(days=7)  # verifiers call nothing valid past this age (or past expiry)
FINGERPRINT_LENGTH = 64


@dataclass(frozen=True)
class RootKey:
    """The key a registry signs its trust list with: the anchor an importer pins."""

    method_id: str
    public_key: Ed25519PublicKey

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the raw public key, 64 lower-case hex digits."""
        return root_fingerprint(self.public_key)


@dataclass(frozen=True)
class TrustListContent:
    """What a trust list says, apart from when it was issued and its sequence number."""

    base_url: str
    root: RootKey
    regions: tuple[RegionInfo, ...]
    issuers: tuple[IssuerInfo, ...]
    keys: tuple[KeyInfo, ...]
    agreements: tuple[Agreement, ...]
    equivalences: tuple[Equivalence, ...]

    def document(self) -> dict[str, Any]:
        """The content members of the JSON document, in a stable order."""
        return content_document(self)

    @cached_property
    def digest(self) -> str:
        """SHA-256 (hex) of the canonical content: equal content, equal digest."""
        return hashlib.sha256(canonical_json(self.document())).hexdigest()


@dataclass(frozen=True)
class TrustList:
    """A verified trust list: its sequence, issue and expiry times, and its content."""

    sequence: int
    issued: datetime
    expires: datetime
    content: TrustListContent
    version: int = VERSION

    @property
    def base_url(self) -> str:
        """The base URL of the registry that published the list."""
        return self.content.base_url

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the root key that signed the list."""
        return self.content.root.fingerprint


def root_fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the 32 raw bytes of an Ed25519 public key, as 64 lower-case hex digits."""
    return hashlib.sha256(public_key.public_bytes_raw()).hexdigest()


def grouped(fingerprint: str) -> str:
    """A fingerprint in groups of four digits, easier to read aloud and compare."""
    return " ".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4))


def normalise_pin(text: str) -> str:
    """A pin as typed (any case, spaces or colons between digits) as 64 lower-case hex."""
    pin = "".join(ch for ch in text if ch not in " :\t-").lower()
    if len(pin) != FINGERPRINT_LENGTH or any(ch not in "0123456789abcdef" for ch in pin):
        raise invalid(
            "TRUST_LIST_PIN_INVALID",
            "指纹必须是 64 位十六进制数字（根密钥公钥的 SHA-256）",
            "the pin must be 64 hex digits (the SHA-256 of the root public key)",
        )
    return pin


def root_method_id(base_url: str, kid: str) -> str:
    """The verification method id of a registry's root key: ``<base>/trust-list#<kid>``."""
    return f"{base_url}/trust-list#{kid}"


def _names(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _instant(value: datetime | None) -> str | None:
    return format_instant(value) if value is not None else None


def _key_json(key: KeyInfo) -> dict[str, Any]:
    return {
        "id": key.method_id,
        "kid": key.kid.hex(),
        "type": "Multikey",
        "publicKeyMultibase": public_multikey(key.public_key),
        "validFrom": format_instant(key.valid_from),
        "validUntil": _instant(key.valid_until),
        "state": key.state,
        "compromisedAt": _instant(key.compromised_at),
    }


def _issuer_json(issuer: IssuerInfo, keys: list[KeyInfo]) -> dict[str, Any]:
    scopes = sorted(
        issuer.scopes,
        key=lambda s: (
            s.valid_from,
            s.record_types,
            s.series,
            s.specialties,
            s.highest_level or "",
            _day(s.valid_until) or "",
        ),
    )
    return {
        "id": issuer.issuer_id,
        "uscc": issuer.uscc,
        "name": _names(issuer.name_zh, issuer.name_en),
        "region": issuer.region,
        "kind": issuer.kind,
        "recordTypes": sorted(issuer.record_types),
        "scopes": [
            {
                "recordTypes": list(scope.record_types),
                "series": list(scope.series),
                "specialties": list(scope.specialties),
                "highestLevel": scope.highest_level,
                "validFrom": scope.valid_from.isoformat(),
                "validUntil": _day(scope.valid_until),
            }
            for scope in scopes
        ],
        "keys": [_key_json(key) for key in sorted(keys, key=lambda k: (k.valid_from, k.kid))],
    }


def content_document(content: TrustListContent) -> dict[str, Any]:
    """The members of a trust list that make up its content, sorted for a stable digest."""
    keys_of: dict[str, list[KeyInfo]] = {issuer.uscc: [] for issuer in content.issuers}
    for key in content.keys:
        if key.issuer_uscc not in keys_of:
            raise ValueError(f"key {key.kid.hex()} belongs to no listed issuer")
        keys_of[key.issuer_uscc].append(key)
    return {
        "type": DOCUMENT_TYPE,
        "version": VERSION,
        "registry": {
            "baseUrl": content.base_url,
            "rootKey": {
                "id": content.root.method_id,
                "type": "Multikey",
                "controller": content.base_url,
                "publicKeyMultibase": public_multikey(content.root.public_key),
            },
        },
        "regions": [
            {"code": r.code, "name": _names(r.name_zh, r.name_en)}
            for r in sorted(content.regions, key=lambda r: r.code)
        ],
        "issuers": [
            _issuer_json(issuer, keys_of[issuer.uscc])
            for issuer in sorted(content.issuers, key=lambda i: i.uscc)
        ],
        "agreements": [
            {
                "id": a.agreement_id,
                "name": _names(a.name_zh, a.name_en),
                "parties": list(a.parties),
                "recordTypes": list(a.record_types),
                "series": list(a.series),
                "levels": list(a.levels),
                "effectiveFrom": a.effective_from.isoformat(),
                "effectiveUntil": _day(a.effective_until),
                "legalBasis": a.legal_basis,
                "legalArticle": a.legal_article,
            }
            for a in sorted(content.agreements, key=lambda a: a.agreement_id)
        ],
        "equivalences": [
            {
                "fromRegion": e.from_region,
                "toRegion": e.to_region,
                "kind": e.kind,
                "source": e.source,
                "target": e.target,
                "label": _names(e.label_zh, e.label_en),
                "agreement": e.agreement_id,
                "demo": e.demo,
            }
            for e in sorted(
                content.equivalences, key=lambda e: (e.from_region, e.to_region, e.kind, e.source)
            )
        ],
    }


def sign_trust_list(
    content: TrustListContent,
    *,
    sequence: int,
    issued: datetime,
    private_key: Ed25519PrivateKey,
    lifetime: timedelta = LIFETIME,
) -> dict[str, Any]:
    """The signed trust list document: content, sequence and times, and the root's proof."""
    if private_key.public_key().public_bytes_raw() != content.root.public_key.public_bytes_raw():
        raise ValueError("the private key is not the trust list's root key")
    issued = utc(issued).replace(microsecond=0)
    body = content_document(content)
    unsigned = {
        "type": body["type"],
        "version": body["version"],
        "sequence": sequence,
        "issued": format_instant(issued),
        "expires": format_instant(issued + lifetime),
        **{name: value for name, value in body.items() if name not in ("type", "version")},
    }
    options = dataintegrity.ProofOptions(content.root.method_id, issued)
    return dataintegrity.add_proof(unsigned, private_key, options)


def _refused(code: str, zh: str, en: str) -> RegistryError:
    return invalid(code, zh, en)


def _verify_proof(document: Mapping[str, Any], root: RootKey) -> None:
    """Step 4: exactly one eddsa-jcs-2022 proof, by the root key, over the whole document."""
    proof = document.get("proof")
    if not isinstance(proof, Mapping) or proof.get("verificationMethod") != root.method_id:
        raise _refused(
            "TRUST_LIST_SIGNATURE_INVALID",
            "信任列表必须带有一个由其根密钥签署的证明",
            "the trust list must carry one proof by its own root key",
        )
    require_shallow(proof)  # the rest of the document was parsed strictly already

    def resolve(method: str) -> Ed25519PublicKey:
        if method != root.method_id:  # pragma: no cover - checked just above
            raise _refused("KEY_UNKNOWN", "签名密钥未知", "signing key unknown")
        return root.public_key

    (result,) = dataintegrity.verify_proofs(document, resolve)
    if not result.ok:
        raise _refused(
            "TRUST_LIST_SIGNATURE_INVALID",
            f"信任列表签名无效（{result.code}）",
            f"the trust list's signature does not verify ({result.code})",
        )


def verify_trust_list(document: object, *, pin: str | None = None) -> TrustList:
    """Check a trust list document and parse it; raise ``RegistryError`` on any problem.

    1. The document is a JSON object of format version 1 (other versions are refused).
    2. The registry block names a root key (Multikey) under the registry's base URL.
    3. When a pin is given, the root key's fingerprint equals it.
    4. Every member parses: issuers under the base URL, keys under their issuer, no
       duplicate USCC or key id, every field of the expected type, no unknown member (so
       nothing deeper than the format reaches canonicalisation).
    5. Its one proof verifies with the root key.

    Nothing is trusted unless every step passes. Freshness is not judged here: see
    ``freshness_check``.
    """
    if not isinstance(document, Mapping):
        raise _refused(
            "TRUST_LIST_MALFORMED", "信任列表必须是 JSON 对象", "a trust list must be a JSON object"
        )
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        raise _refused(
            "TRUST_LIST_VERSION_UNSUPPORTED",
            f"不支持的信任列表格式版本（仅支持 {VERSION}）",
            f"unsupported trust list format version (only {VERSION} is supported)",
        )
    sequence, issued, expires = parse_header(document, DOCUMENT_TYPE)
    base_url, method_id, public_key = parse_root(document)
    root = RootKey(method_id, public_key)
    if pin is not None and normalise_pin(pin) != root.fingerprint:
        raise _refused(
            "TRUST_LIST_PIN_MISMATCH",
            "信任列表根密钥的指纹与给定的指纹不符，拒绝导入",
            "the trust list's root key does not match the pinned fingerprint: refused",
        )
    regions, issuers, keys, agreements, equivalences = parse_content(document, base_url)
    _verify_proof(document, root)
    content = TrustListContent(base_url, root, regions, issuers, keys, agreements, equivalences)
    return TrustList(sequence, issued, expires, content)


def freshness(issued: datetime, expires: datetime, now: datetime) -> tuple[Outcome, str]:
    """How fresh a list issued and expiring at these times is at ``now``: an outcome and
    ``TRUST_LIST_CURRENT``, ``_STALE`` (past 24 hours), ``_EXPIRED`` (past 7 days or its
    expiry) or ``_NOT_YET_VALID`` (issued in the future)."""
    age = now - issued
    if issued > now + CLOCK_SKEW:
        return Outcome.FAILED, "TRUST_LIST_NOT_YET_VALID"
    if age > MAX_AGE or now > expires:
        return Outcome.FAILED, "TRUST_LIST_EXPIRED"
    if age > STALE_AFTER:
        return Outcome.WARNING, "TRUST_LIST_STALE"
    return Outcome.PASSED, "TRUST_LIST_CURRENT"


def freshness_check(trust_list: TrustList, now: datetime) -> Check:
    """The ``trust_list`` check: current, stale (a warning) or expired (a failure)."""
    outcome, code = freshness(trust_list.issued, trust_list.expires, now)
    age = now - trust_list.issued
    return check(
        "trust_list",
        outcome,
        code,
        registry=trust_list.base_url,
        sequence=trust_list.sequence,
        issued=format_instant(trust_list.issued),
        expires=format_instant(trust_list.expires),
        ageHours=max(int(age.total_seconds() // 3600), 0),
    )


__all__ = [
    "DOCUMENT_TYPE",
    "LIFETIME",
    "MAX_AGE",
    "STALE_AFTER",
    "VERSION",
    "RootKey",
    "TrustList",
    "TrustListContent",
    "content_document",
    "freshness",
    "freshness_check",
    "grouped",
    "normalise_pin",
    "root_fingerprint",
    "root_method_id",
    "sign_trust_list",
    "verify_trust_list",
]
