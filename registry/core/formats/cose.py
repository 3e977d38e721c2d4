"""COSE_Sign1 (RFC 9052) signing and verification, written directly on ``cbor2``.

The compact QR form of a record is a CWT inside a COSE_Sign1 signed with the issuer's
Ed25519 key. ``pycose`` cannot decode under ``cbor2`` 6, and the verify path runs this
decoder thousands of times a second, so the structure is handled here by hand: one strict
decode, then plain attribute access. ES256 is supported for verification only (the
standard COSE test vectors use it); signing is always EdDSA.

Stricter than RFC 9052 allows: ``alg`` (and, for choosing a key, ``kid``) is read only from
the protected header, and the signature covers the protected header's bytes exactly as
received, so an empty header sent as ``h'A0'`` is not taken for ``h''``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey, Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from registry.core.errors import RegistryError, invalid, malformed

ALG_EDDSA: Final = -8
ALG_ES256: Final = -7
HEADER_ALG: Final = 1
HEADER_CRIT: Final = 2
HEADER_CONTENT_TYPE: Final = 3
HEADER_KID: Final = 4
COSE_SIGN1_TAG: Final = 18
_TAGGED_ARRAY_OF_FOUR: Final = bytes([0xC0 | COSE_SIGN1_TAG, 0x84])
_EMPTY_MAP: Final = 0xA0
_NO_HEADERS: Final[Mapping[Any, Any]] = cbor2.frozendict()

# Header labels defined by RFC 9052 itself; every implementation understands them, so a
# ``crit`` list naming only these asks for nothing extra.
_UNDERSTOOD_LABELS: Final = frozenset(range(1, 8))
_SIGNATURE1_CONTEXT: Final = "Signature1"
_MAX_DEPTH: Final = 16
_ED25519_SIGNATURE_SIZE: Final = 64
_ED448_SIGNATURE_SIZE: Final = 114
_ES256_COORDINATE_SIZE: Final = 32

SigningKey = Ed25519PrivateKey | Ed448PrivateKey
VerificationKey = Ed25519PublicKey | Ed448PublicKey | ec.EllipticCurvePublicKey


def _malformed(why_zh: str, why_en: str) -> RegistryError:
    return malformed(
        "COSE_MALFORMED",
        f"COSE_Sign1 签名结构无法解析：{why_zh}",
        f"Malformed COSE_Sign1 structure: {why_en}",
    )


def _signature_invalid() -> RegistryError:
    return invalid(
        "COSE_SIGNATURE_INVALID",
        "签名验证失败：数据已被篡改或不是用此密钥签发的",
        "Signature verification failed: the data was altered or not signed with this key",
    )


def _sig_structure(body_protected: bytes, external_aad: bytes, payload: bytes) -> bytes:
    """Encode the RFC 9052 section 4.4 ``Sig_structure`` for a COSE_Sign1."""
    return cbor2.dumps([_SIGNATURE1_CONTEXT, body_protected, external_aad, payload])


def sign1(
    payload: bytes,
    private_key: SigningKey,
    *,
    kid: bytes | None = None,
    kid_protected: bool = True,
    extra_protected: Mapping[int, Any] | None = None,
    unprotected: Mapping[int, Any] | None = None,
    external_aad: bytes = b"",
    tagged: bool = True,
) -> bytes:
    """Sign ``payload`` as a COSE_Sign1 with EdDSA and return its deterministic CBOR.

    ``alg`` always goes in the protected header, ``kid`` in the protected one unless
    ``kid_protected`` is false (only to reproduce the COSE examples: ``require_kid`` refuses
    such a message). A label given twice is a programming error (``ValueError``).
    """
    protected: dict[Any, Any] = {HEADER_ALG: ALG_EDDSA}
    unprotected_map: dict[Any, Any] = dict(unprotected or {})
    if kid is not None:
        (protected if kid_protected else unprotected_map)[HEADER_KID] = kid
    for label, value in (extra_protected or {}).items():
        if label in protected:
            raise ValueError(f"protected header label {label!r} is set twice")
        protected[label] = value
    if protected.keys() & unprotected_map.keys():
        raise ValueError("a header label may not be both protected and unprotected")
    protected_bytes = cbor2.dumps(protected, canonical=True)
    signature = private_key.sign(_sig_structure(protected_bytes, external_aad, payload))
    body = [protected_bytes, unprotected_map, payload, signature]
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, body) if tagged else body, canonical=True)


@dataclass(frozen=True)
class Sign1Message:
    """A decoded, structurally valid COSE_Sign1 whose signature is not yet checked.

    Header maps are keyed by label (an int, or a text string for private labels).
    """

    protected_bytes: bytes
    protected: Mapping[int, Any]
    unprotected: Mapping[int, Any]
    payload: bytes
    signature: bytes

    @property
    def alg(self) -> int | None:
        """The integer ``alg`` of the protected header, or None. An ``alg`` in the
        unprotected header is never used: anyone may change it without breaking the
        signature."""
        value = self.protected.get(HEADER_ALG)
        return value if type(value) is int else None

    @property
    def kid(self) -> bytes | None:
        """The key identifier of the protected header, or None. An unprotected ``kid`` is
        never used to choose a key (see ``require_kid``)."""
        value = self.protected.get(HEADER_KID)
        return value if isinstance(value, bytes) else None

    def require_kid(self) -> bytes:
        """The protected key identifier; refused when it is missing
        (``COSE_KID_MISSING``) or only in the unprotected header (``COSE_KID_UNPROTECTED``)."""
        kid = self.kid
        if kid is not None:
            return kid
        if HEADER_KID in self.unprotected:
            raise _kid_unprotected()
        raise _kid_missing()

    def to_be_signed(self, external_aad: bytes = b"") -> bytes:
        """The ``Signature1`` Sig_structure over the protected header exactly as received:
        ``h'A0'`` and ``h''`` are different bytes, so one signature never verifies under
        both encodings."""
        return _sig_structure(self.protected_bytes, external_aad, self.payload)

    def require_alg(self) -> int:
        """The protected ``alg``; refused when missing (``COSE_ALG_MISSING``), only in the
        unprotected header (``COSE_ALG_UNPROTECTED``), or not EdDSA or ES256
        (``COSE_ALG_UNSUPPORTED``)."""
        if HEADER_ALG not in self.protected:
            if HEADER_ALG in self.unprotected:
                raise invalid(
                    "COSE_ALG_UNPROTECTED",
                    "签名算法（alg）必须位于受保护头部",
                    "The signature algorithm (alg) must be in the protected header",
                )
            raise invalid(
                "COSE_ALG_MISSING",
                "签名结构未注明签名算法（alg）",
                "The COSE_Sign1 names no signature algorithm (alg)",
            )
        alg = self.alg
        if alg is None or alg not in (ALG_EDDSA, ALG_ES256):
            raise invalid(
                "COSE_ALG_UNSUPPORTED",
                "签名算法不受支持（仅支持 EdDSA 与 ES256）",
                "Signature algorithm unsupported (only EdDSA and ES256)",
            )
        return alg

    def verify(self, public_key: VerificationKey, external_aad: bytes = b"") -> None:
        """Check the signature with ``public_key``; return nothing or raise RegistryError.

        ``alg`` must pass ``require_alg``, and the key type must fit it
        (``COSE_ALG_MISMATCH``): EdDSA takes Ed25519 or Ed448, ES256 a P-256 key.
        """
        self._check_crit()
        alg = self.require_alg()
        to_be_signed = self.to_be_signed(external_aad)
        if alg == ALG_EDDSA:
            _verify_eddsa(public_key, self.signature, to_be_signed)
        else:
            _verify_es256(public_key, self.signature, to_be_signed)

    def _check_crit(self) -> None:
        crit = self.protected.get(HEADER_CRIT)
        if crit is not None and any(label not in _UNDERSTOOD_LABELS for label in crit):
            raise invalid(
                "COSE_CRIT_UNSUPPORTED",
                "签名结构要求理解本系统不支持的关键头部参数",
                "The signature requires understanding a critical header this system lacks",
            )


def _kid_unprotected() -> RegistryError:
    return invalid(
        "COSE_KID_UNPROTECTED",
        "密钥标识（kid）必须位于受保护头部",
        "The key identifier (kid) must be in the protected header",
    )


def _kid_missing() -> RegistryError:
    return invalid(
        "COSE_KID_MISSING",
        "签名结构未注明密钥标识（kid）",
        "The COSE_Sign1 names no key identifier (kid)",
    )


def _alg_mismatch() -> RegistryError:
    return invalid(
        "COSE_ALG_MISMATCH",
        "签名算法与验证密钥的类型不符",
        "The signature algorithm does not match the type of the verification key",
    )


def _verify_eddsa(public_key: VerificationKey, signature: bytes, message: bytes) -> None:
    if isinstance(public_key, Ed25519PublicKey):
        expected_size = _ED25519_SIGNATURE_SIZE
    elif isinstance(public_key, Ed448PublicKey):
        expected_size = _ED448_SIGNATURE_SIZE
    else:
        raise _alg_mismatch()
    if len(signature) != expected_size:
        raise _signature_invalid()
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        raise _signature_invalid() from None


def _verify_es256(public_key: VerificationKey, signature: bytes, message: bytes) -> None:
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        raise _alg_mismatch()
    if len(signature) != 2 * _ES256_COORDINATE_SIZE:
        raise _signature_invalid()
    r = int.from_bytes(signature[:_ES256_COORDINATE_SIZE], "big")
    s = int.from_bytes(signature[_ES256_COORDINATE_SIZE:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise _signature_invalid() from None


def _decode_exact(data: bytes, what_zh: str, what_en: str) -> Any:
    """Decode exactly one CBOR item from ``data``; trailing bytes or any decoder error fail."""
    try:
        stream = io.BytesIO(data)
        decoder = cbor2.CBORDecoder(stream, max_depth=_MAX_DEPTH, allow_duplicate_keys=False)
        value = decoder.decode()
        end = stream.tell()
    except Exception:  # cbor2 raises many types on hostile input; all mean "malformed"
        raise _malformed(f"{what_zh}不是有效的 CBOR", f"{what_en} is not valid CBOR") from None
    if end != len(data):
        raise _malformed(f"{what_zh}后有多余字节", f"trailing bytes after {what_en}")
    return value


def _check_labels(headers: Mapping[Any, Any], bucket_zh: str, bucket_en: str) -> None:
    for label in headers:
        if type(label) is not int and type(label) is not str:
            raise _malformed(
                f"{bucket_zh}头部的标签必须是整数或文本",
                f"{bucket_en} header label must be an integer or text",
            )


def _check_headers(protected: Mapping[Any, Any], unprotected: Mapping[Any, Any]) -> None:
    """Apply the RFC 9052 section 3.1 rules on header labels and common parameter types."""
    _check_labels(protected, "受保护", "protected")
    _check_labels(unprotected, "未受保护", "unprotected")
    if protected.keys() & unprotected.keys():
        raise _malformed(
            "同一头部标签同时出现在两个头部中", "a header label occurs in both buckets"
        )
    merged = {**unprotected, **protected}
    alg = merged.get(HEADER_ALG)
    if alg is not None and type(alg) is not int and type(alg) is not str:
        raise _malformed("alg 必须是整数或文本", "alg must be an integer or text")
    kid = merged.get(HEADER_KID)
    if kid is not None and not isinstance(kid, bytes):
        raise _malformed("kid 必须是字节串", "kid must be a byte string")
    if HEADER_CRIT in unprotected:
        raise _malformed("crit 必须位于受保护头部", "crit must be in the protected header")
    crit = protected.get(HEADER_CRIT)
    if crit is not None and (
        not isinstance(crit, list | tuple)
        or not crit
        or any(type(label) is not int and type(label) is not str for label in crit)
        or any(label not in protected for label in crit)
    ):
        raise _malformed(
            "crit 必须是非空的受保护头部标签列表",
            "crit must be a non-empty list of labels present in the protected header",
        )


def _byte_string_at(data: bytes, at: int) -> tuple[bytes, int] | None:
    """The definite-length CBOR byte string at ``at`` and the offset after it, or ``None``
    for anything else (another type, an indefinite length, a length past the end)."""
    if at >= len(data):
        return None
    head = data[at]
    if 0x40 <= head <= 0x57:
        start, length = at + 1, head - 0x40
    elif head == 0x58 and at + 1 < len(data):
        start, length = at + 2, data[at + 1]
    elif head == 0x59 and at + 2 < len(data):
        start, length = at + 3, int.from_bytes(data[at + 1 : at + 3], "big")
    else:
        return None
    end = start + length
    return (data[start:end], end) if end <= len(data) else None


def _compact_parts(data: bytes) -> tuple[bytes, bytes, bytes] | None:
    """Protected header, payload and signature of a COSE_Sign1 laid out as the registry
    writes it (tag 18, four items, an empty unprotected map, byte strings of known length,
    nothing after), read without a CBOR decoder; ``None`` for any other layout, which the
    full decoder then judges. What it returns is what the full decoder would give."""
    if data[:2] != _TAGGED_ARRAY_OF_FOUR:
        return None
    found = _byte_string_at(data, 2)
    if found is None or found[1] >= len(data) or data[found[1]] != _EMPTY_MAP:
        return None
    protected_bytes, at = found[0], found[1] + 1
    found = _byte_string_at(data, at)
    if found is None:
        return None
    payload, at = found
    found = _byte_string_at(data, at)
    if found is None or found[1] != len(data):
        return None
    return protected_bytes, payload, found[0]


def decode_sign1(data: bytes) -> Sign1Message:
    """Parse a COSE_Sign1 (tag 18 or untagged) without checking its signature.

    Any other tag, shape or type, on any input bytes, raises RegistryError ``COSE_MALFORMED``.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise _malformed("输入不是字节串", "input is not bytes")
    data = bytes(data)
    compact = _compact_parts(data)
    if compact is not None:
        protected_bytes, payload, signature = compact
        return Sign1Message(
            protected_bytes=protected_bytes,
            protected=_protected_alone(protected_bytes),
            unprotected=_NO_HEADERS,
            payload=payload,
            signature=signature,
        )
    item = _decode_exact(data, "签名结构", "the structure")
    if isinstance(item, cbor2.CBORTag):
        if item.tag != COSE_SIGN1_TAG:
            raise _malformed("CBOR 标签不是 18（COSE_Sign1）", "CBOR tag is not 18 (COSE_Sign1)")
        item = item.value
    if not isinstance(item, list | tuple) or len(item) != 4:
        raise _malformed("应为四个元素的数组", "expected an array of four elements")
    protected_bytes, unprotected, payload, signature = item
    if not isinstance(protected_bytes, bytes):
        raise _malformed("受保护头部必须是字节串", "protected header must be a byte string")
    if not isinstance(unprotected, Mapping):
        raise _malformed("未受保护头部必须是映射", "unprotected header must be a map")
    if not isinstance(payload, bytes):
        raise _malformed("载荷必须是字节串（不支持分离载荷）", "payload must be a byte string")
    if not isinstance(signature, bytes):
        raise _malformed("签名必须是字节串", "signature must be a byte string")
    return _message(protected_bytes, unprotected, payload, signature)


def _message(
    protected_bytes: bytes, unprotected: Mapping[Any, Any], payload: bytes, signature: bytes
) -> Sign1Message:
    """The message, once its four parts have the right types: the header rules checked."""
    protected = _protected_header(protected_bytes)
    _check_headers(protected, unprotected)
    return Sign1Message(
        protected_bytes=protected_bytes,
        protected=protected,
        unprotected=cbor2.frozendict(unprotected),
        payload=payload,
        signature=signature,
    )


def _protected_header(protected_bytes: bytes) -> Mapping[Any, Any]:
    """The protected header map (an empty byte string is an empty map)."""
    if not protected_bytes:
        return _NO_HEADERS
    protected = _decode_exact(protected_bytes, "受保护头部", "the protected header")
    if not isinstance(protected, Mapping):
        raise _malformed("受保护头部必须编码一个映射", "protected header must encode a map")
    return cbor2.frozendict(protected)


@lru_cache(maxsize=1024)
def _protected_alone(protected_bytes: bytes) -> Mapping[Any, Any]:
    """The protected header of a message whose unprotected header is empty, checked.

    Every QR one issuer key signs carries the same few protected bytes (``alg`` and
    ``kid``), so the checked map is kept (immutable; a header that fails is not kept).
    """
    protected = _protected_header(protected_bytes)
    _check_headers(protected, _NO_HEADERS)
    return protected
