"""Ed25519 keys as Multikey values and ``did:key`` identifiers.

Issuers publish their keys as Multikey verification methods, and the verify page also
accepts ``did:key`` verification methods, whose key is spelled out in the identifier.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from registry.core.errors import RegistryError, invalid, malformed
from registry.core.formats.multibase import (
    MULTIBASE_BASE58BTC,
    multibase_decode,
    multibase_encode_base58btc,
)

ED25519_PUBLIC_CODEC = b"\xed\x01"  # multicodec ed25519-pub (0xed) as an unsigned varint
ED25519_PRIVATE_CODEC = b"\x80\x26"  # multicodec ed25519-priv (0x1300) as an unsigned varint
ED25519_KEY_LENGTH = 32
DID_KEY_PREFIX = "did:key:"
_MULTIKEY_MAX_LENGTH = 100  # an Ed25519 Multikey is 48 characters; bounds base58 work


def _multikey_invalid(why_zh: str, why_en: str) -> RegistryError:
    return malformed("MULTIKEY_INVALID", f"Multikey 无效：{why_zh}", f"Invalid Multikey: {why_en}")


def _raw_key(value: str, codec: bytes) -> bytes:
    if not isinstance(value, str) or not value.startswith(MULTIBASE_BASE58BTC):
        raise _multikey_invalid("不是 base58btc 多基编码", "not multibase base58btc")
    if len(value) > _MULTIKEY_MAX_LENGTH:
        raise _multikey_invalid("长度超出 Ed25519 密钥", "too long for an Ed25519 key")
    try:
        data = multibase_decode(value)
    except RegistryError as error:
        raise _multikey_invalid("编码无法解码", "encoding does not decode") from error
    if not data.startswith(codec):
        raise _multikey_invalid("不是预期的 Ed25519 密钥类型", "not the expected Ed25519 key type")
    raw = data[len(codec) :]
    if len(raw) != ED25519_KEY_LENGTH:
        raise _multikey_invalid("密钥长度不是 32 字节", "key is not 32 bytes long")
    return raw


def public_multikey(key: Ed25519PublicKey) -> str:
    """The Multikey of an Ed25519 public key: ``z6Mk…`` (multicodec 0xed01, base58btc)."""
    return multibase_encode_base58btc(ED25519_PUBLIC_CODEC + key.public_bytes_raw())


def public_key_from_multikey(value: str) -> Ed25519PublicKey:
    """Parse an Ed25519 public Multikey; anything else raises ``MULTIKEY_INVALID``."""
    raw = _raw_key(value, ED25519_PUBLIC_CODEC)
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as error:
        raise _multikey_invalid(
            "不是有效的 Ed25519 公钥", "not a valid Ed25519 public key"
        ) from error


def private_key_from_multikey(value: str) -> Ed25519PrivateKey:
    """Parse an Ed25519 private Multikey (``z3u2…``, multicodec 0x8026) holding the seed."""
    raw = _raw_key(value, ED25519_PRIVATE_CODEC)
    return Ed25519PrivateKey.from_private_bytes(raw)


def did_key(key: Ed25519PublicKey) -> str:
    """The ``did:key`` identifier of an Ed25519 public key."""
    return DID_KEY_PREFIX + public_multikey(key)


def did_key_verification_method(key: Ed25519PublicKey) -> str:
    """The verification method id of a ``did:key``: the DID, ``#``, and the Multikey again."""
    multikey = public_multikey(key)
    return f"{DID_KEY_PREFIX}{multikey}#{multikey}"


def _did_key_invalid(why_zh: str, why_en: str) -> RegistryError:
    return invalid("DID_KEY_INVALID", f"did:key 无效：{why_zh}", f"Invalid did:key: {why_en}")


def resolve_did_key(verification_method: str) -> Ed25519PublicKey:
    """The Ed25519 key named by a ``did:key`` DID or verification method id.

    A fragment, when present, must repeat the Multikey of the DID (as did:key defines).
    """
    if not isinstance(verification_method, str) or not verification_method.startswith(
        DID_KEY_PREFIX
    ):
        raise _did_key_invalid("不是 did:key 标识", "not a did:key identifier")
    did, has_fragment, fragment = verification_method.partition("#")
    multikey = did[len(DID_KEY_PREFIX) :]
    if has_fragment and fragment != multikey:
        raise _did_key_invalid("片段与密钥不一致", "fragment does not match the key")
    try:
        return public_key_from_multikey(multikey)
    except RegistryError as error:
        raise _did_key_invalid(
            "所含密钥不是 Ed25519 Multikey", "key is not an Ed25519 Multikey"
        ) from error
