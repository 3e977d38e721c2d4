"""Private keys at rest: PKCS#8 ``EncryptedPrivateKeyInfo`` with PBES2, scrypt and
AES-256-CBC (RFC 8018, RFC 7914 section 7), as ``openssl pkcs8 -topk8 -scrypt`` writes.

``cryptography``'s ``BestAvailableEncryption`` writes PBES2 with PBKDF2-HMAC-SHA256 at
2,048 iterations, well under a millisecond a guess on one core, and GPUs run it in bulk;
scrypt at N = 2^14, r = 8 costs a guess 16 MiB of memory and 50-100 ms. That is the most
OpenSSL's own ``openssl pkcs8`` accepts (its scrypt memory cap is 32 MiB), so the files
stay standard PKCS#8 PEM that both OpenSSL and ``cryptography`` read. Keys written the
old way still open (through ``cryptography``); ``is_current`` tells which to write again.

Deriving the key-encryption key is the slow part, so a ``KeyEncryptionKey`` is derived
once and may encrypt several private keys (each with its own IV): they share one
passphrase anyway, so a shared salt costs an attacker nothing extra to exploit.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

PEM_LABEL = "ENCRYPTED PRIVATE KEY"
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
_KEY_BYTES = 32
_IV_BYTES = 16
_OID_PBES2 = "1.2.840.113549.1.5.13"
_OID_SCRYPT = "1.3.6.1.4.1.11591.4.11"
_OID_AES256_CBC = "2.16.840.1.101.3.4.1.42"
_SEQUENCE, _INTEGER, _OCTET_STRING, _OID = 0x30, 0x02, 0x04, 0x06


# --- DER, only as much as this structure needs -----------------------------------------


def _tlv(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def _integer(value: int) -> bytes:
    return _tlv(_INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _oid(dotted: str) -> bytes:
    first, second, *rest = (int(part) for part in dotted.split("."))
    body = bytearray([40 * first + second])
    for arc in rest:
        chunk, value = [arc & 0x7F], arc >> 7
        while value:
            chunk.append(0x80 | (value & 0x7F))
            value >>= 7
        body += bytes(reversed(chunk))
    return _tlv(_OID, bytes(body))


def _sequence(*parts: bytes) -> bytes:
    return _tlv(_SEQUENCE, b"".join(parts))


def _read(data: bytes, tag: int) -> tuple[bytes, bytes]:
    """(content, rest) of the element at the start of ``data``, which must carry ``tag``."""
    if len(data) < 2 or data[0] != tag:
        raise ValueError("unexpected DER element")
    size, start = data[1], 2
    if size & 0x80:
        count = size & 0x7F
        if count == 0 or count > 4 or len(data) < 2 + count:
            raise ValueError("bad DER length")
        size, start = int.from_bytes(data[2 : 2 + count], "big"), 2 + count
    if len(data) < start + size:
        raise ValueError("truncated DER")
    return data[start : start + size], data[start + size :]


def _read_oid(data: bytes, dotted: str) -> bytes:
    """The rest of ``data`` after the object identifier ``dotted`` (``ValueError`` if another)."""
    content, rest = _read(data, _OID)
    if _tlv(_OID, content) != _oid(dotted):
        raise ValueError("another algorithm")
    return rest


def _read_int(data: bytes) -> tuple[int, bytes]:
    content, rest = _read(data, _INTEGER)
    if not content or content[0] & 0x80:
        raise ValueError("bad DER integer")
    return int.from_bytes(content, "big"), rest


# --- the key file ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScryptParameters:
    """The salt and cost a key file was encrypted with."""

    salt: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    def is_current(self) -> bool:
        """Whether these cost at least what the registry writes today."""
        return self.n * self.r * self.p >= SCRYPT_N * SCRYPT_R * SCRYPT_P


@dataclass(frozen=True, repr=False)
class KeyEncryptionKey:
    """An AES-256 key derived from the passphrase by scrypt, with the parameters used."""

    parameters: ScryptParameters
    secret: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"KeyEncryptionKey(n={self.parameters.n}, r={self.parameters.r})"


def derive(passphrase: bytes, parameters: ScryptParameters | None = None) -> KeyEncryptionKey:
    """The key-encryption key for ``passphrase``: with a fresh salt and today's cost unless
    ``parameters`` (read from a stored file) are given. This is the slow step."""
    parameters = parameters or ScryptParameters(os.urandom(SALT_BYTES))
    kdf = Scrypt(
        salt=parameters.salt, length=_KEY_BYTES, n=parameters.n, r=parameters.r, p=parameters.p
    )
    return KeyEncryptionKey(parameters, kdf.derive(passphrase))


def encrypt(private_key: PrivateKeyTypes, kek: KeyEncryptionKey) -> str:
    """``private_key`` (any key ``cryptography`` can write as PKCS#8) as encrypted PKCS#8
    PEM under ``kek``, with a fresh IV."""
    plain = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    iv = os.urandom(_IV_BYTES)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(kek.secret), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    params = kek.parameters
    scrypt_params = _sequence(
        _tlv(_OCTET_STRING, params.salt), _integer(params.n), _integer(params.r), _integer(params.p)
    )
    algorithm = _sequence(
        _oid(_OID_PBES2),
        _sequence(
            _sequence(_oid(_OID_SCRYPT), scrypt_params),
            _sequence(_oid(_OID_AES256_CBC), _tlv(_OCTET_STRING, iv)),
        ),
    )
    der = _sequence(algorithm, _tlv(_OCTET_STRING, ciphertext))
    return _pem(der)


def _pem(der: bytes) -> str:
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {PEM_LABEL}-----", *lines, f"-----END {PEM_LABEL}-----", ""])


@dataclass(frozen=True)
class _Parsed:
    parameters: ScryptParameters
    iv: bytes
    ciphertext: bytes


def _parse(pem: str) -> _Parsed | None:
    """The scrypt parameters, IV and ciphertext of a file this module wrote; ``None`` for
    anything else (a file written with PBKDF2, say)."""
    text = pem.strip()
    head, tail = f"-----BEGIN {PEM_LABEL}-----", f"-----END {PEM_LABEL}-----"
    if not (text.startswith(head) and text.endswith(tail)):
        return None
    try:
        der = base64.b64decode("".join(text[len(head) : -len(tail)].split()), validate=True)
        info, _ = _read(der, _SEQUENCE)
        algorithm, rest = _read(info, _SEQUENCE)
        ciphertext, _ = _read(rest, _OCTET_STRING)
        pbes2, _ = _read(_read_oid(algorithm, _OID_PBES2), _SEQUENCE)
        kdf, rest = _read(pbes2, _SEQUENCE)
        scheme, _ = _read(rest, _SEQUENCE)
        params, _ = _read(_read_oid(kdf, _OID_SCRYPT), _SEQUENCE)
        salt, params = _read(params, _OCTET_STRING)
        n, params = _read_int(params)
        r, params = _read_int(params)
        p, _ = _read_int(params)
        iv, _ = _read(_read_oid(scheme, _OID_AES256_CBC), _OCTET_STRING)
    except (ValueError, binascii.Error):
        return None
    if len(iv) != _IV_BYTES or not ciphertext or len(ciphertext) % _IV_BYTES:
        return None
    return _Parsed(ScryptParameters(salt, n, r, p), iv, ciphertext)


def scrypt_parameters(pem: str) -> ScryptParameters | None:
    """The scrypt parameters of a key file in this format (``None``: another format)."""
    parsed = _parse(pem)
    return parsed.parameters if parsed else None


def decrypt(pem: str, kek: KeyEncryptionKey) -> bytes:
    """The unencrypted PKCS#8 DER inside a key file of this format; ``ValueError`` when
    ``kek`` is not its key (a wrong passphrase) or the file is not of this format."""
    parsed = _parse(pem)
    if parsed is None or parsed.parameters != kek.parameters:
        raise ValueError("not a key file for this key-encryption key")
    decryptor = Cipher(algorithms.AES(kek.secret), modes.CBC(parsed.iv)).decryptor()
    padded = decryptor.update(parsed.ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()  # ValueError on a wrong key


__all__ = [
    "SCRYPT_N",
    "KeyEncryptionKey",
    "ScryptParameters",
    "decrypt",
    "derive",
    "encrypt",
    "scrypt_parameters",
]
