"""API bearer tokens: created once, shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime

from registry.core.errors import (
    forbidden,
    invalid,
    not_found,
    require_texts,
    unauthenticated,
)
from registry.services.runtime.context import Registry
from registry.storage.raw import writes_on_this_machine
from registry.storage.repositories import IssuerRepository, RegionRepository, TokenRepository
from registry.storage.tables import ApiTokenRow
from registry.storage.tokens import token_in_force

ROLES = ("admin", "issuer", "partner")
TOKEN_PREFIX = "rgt_"  # noqa: S105  (a label, not a secret)
STATUTORY_BASIS_MAX = 256
TOKEN_NAME_MAX = 128  # the column's length: a longer name is refused, never cut


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's role and what it is bound to."""

    token_id: int
    role: str
    issuer_uscc: str | None
    region: str | None
    name: str
    statutory_basis: str | None = None  # a partner's legal basis to see masked ID numbers
    # The token's stored hash (never its secret): one per token, whatever registry it is
    # in, so counts kept in a Redis that two registries share never meet.
    stored_hash: str = field(default="", repr=False)


def token_hash(secret: str) -> str:
    """The stored form of a token secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    registry: Registry,
    role: str,
    *,
    now: datetime,
    issuer_uscc: str | None = None,
    region: str | None = None,
    name: str = "",
    statutory_basis: str | None = None,
) -> str:
    """Create a token and return its secret (the only time it is ever shown).

    ``statutory_basis`` (partners only) names the law or rule under which the partner must
    see ID numbers; its answers then show them masked (last 4 only). Without one a
    partner only ever gets match / no match. A ``name`` over 128 characters is refused.
    """
    if role not in ROLES:
        raise invalid(
            "ROLE_UNKNOWN",
            "角色必须是 admin、issuer 或 partner",
            "role must be admin, issuer or partner",
        )
    if role == "issuer" and not issuer_uscc:
        raise invalid(
            "TOKEN_ISSUER_REQUIRED", "签发令牌必须指定签发机构", "an issuer token needs --issuer"
        )
    if role == "partner" and not region:
        raise invalid(
            "TOKEN_REGION_REQUIRED", "伙伴令牌必须指定地区", "a partner token needs --region"
        )
    require_texts(("/name", name, TOKEN_NAME_MAX))
    basis = " ".join((statutory_basis or "").split()) or None
    if basis is not None and (role != "partner" or len(basis) > STATUTORY_BASIS_MAX):
        raise invalid(
            "STATUTORY_BASIS_INVALID",
            "只有伙伴令牌可登记法定依据（256 字以内）",
            "only a partner token may carry a statutory basis (up to 256 characters)",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with registry.transaction() as session:
        issuer_id = None
        if issuer_uscc:
            issuer = IssuerRepository(session).by_uscc(issuer_uscc)
            if issuer is None:
                raise not_found("ISSUER_UNKNOWN", "签发机构未登记", "no such issuer")
            issuer_id = issuer.id
        if region and RegionRepository(session).get(region) is None:
            raise not_found("REGION_UNKNOWN", "地区未登记", "no such region")
        TokenRepository(session).add(
            ApiTokenRow(
                token_hash=token_hash(secret),
                role=role,
                issuer_id=issuer_id,
                region_code=region,
                name=name,
                created_at=now,
                statutory_basis=basis,
            )
        )
    return secret


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown of a token: never its secret."""

    token_id: int
    role: str
    issuer_uscc: str | None
    region: str | None
    name: str
    created_at: datetime
    revoked_at: datetime | None


def list_tokens(registry: Registry) -> list[TokenInfo]:
    """Every token with its binding and state."""
    with registry.reading() as session:
        issuers = {row.id: row.uscc for row in IssuerRepository(session).all()}
        return [
            TokenInfo(
                row.id or 0,
                row.role,
                issuers.get(row.issuer_id) if row.issuer_id else None,
                row.region_code,
                row.name,
                row.created_at,
                row.revoked_at,
            )
            for row in TokenRepository(session).all()
        ]


def revoke_token(registry: Registry, token_id: int, *, now: datetime) -> None:
    """Revoke a token; a revoked token is kept (for the record) and never works again."""
    with registry.transaction() as session:
        row = TokenRepository(session).get(token_id)
        if row is None:
            raise not_found("TOKEN_NOT_FOUND", "令牌不存在", "no such token")
        if row.revoked_at is None:
            row.revoked_at = now
            session.add(row)


def authenticate(registry: Registry, authorization: str | None) -> Principal:
    """The principal behind an ``Authorization: Bearer`` header, or a 401 error."""
    if not authorization:
        raise unauthenticated("TOKEN_MISSING", "缺少访问令牌", "no bearer token given")
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise unauthenticated("TOKEN_MISSING", "需要 Bearer 令牌", "a Bearer token is required")
    stored_hash = token_hash(secret.strip())
    with registry.reading() as session:
        row, uscc = TokenRepository(session).with_issuer(stored_hash)
    if row is None or row.revoked_at is not None or row.id is None:
        raise unauthenticated("TOKEN_UNKNOWN", "访问令牌无效", "unknown or revoked token")
    return Principal(
        row.id, row.role, uscc, row.region_code, row.name, row.statutory_basis, stored_hash
    )


def require_role(principal: Principal, *roles: str) -> None:
    """Refuse a principal whose role is not one of ``roles`` (admins always pass)."""
    if principal.role != "admin" and principal.role not in roles:
        raise forbidden(
            "ROLE_FORBIDDEN",
            "该令牌无权执行此操作",
            f"this token's role may not do this (needs {' or '.join(roles)})",
        )


class Authenticator:
    """Authenticates bearer tokens, remembering each answer for a few seconds.

    Partner systems send many requests with one token; a short memory spares the database
    the token's lookup (hash, issuer join) per request. Revocation still takes effect on
    the next request, whichever worker serves it: a remembered token is answered only after
    one indexed read says it is still in force, and only on SQLite, where that read is a
    few microseconds on a held connection; elsewhere (a network round trip, which must not
    block the event loop) ``cached`` answers ``None`` and the caller authenticates in a
    worker thread.
    """

    def __init__(self, registry: Registry, ttl: float = 10.0, size: int = 4096) -> None:
        self.registry = registry
        self.ttl = ttl
        self.size = size
        self._known: dict[str, tuple[float, Principal]] = {}

    def cached(self, authorization: str | None) -> Principal | None:
        """The principal for this header if it was authenticated recently, else ``None``."""
        if not authorization:
            return None
        if not writes_on_this_machine(self.registry.engine):
            return None
        key = token_hash(authorization)
        found = self._known.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        if not token_in_force(self.registry.engine, found[1].token_id):
            self._known.pop(key, None)  # revoked meanwhile: refused on this request
            return None
        return found[1]

    def authenticate(self, authorization: str | None) -> Principal:
        """Authenticate against the store and remember the answer (failures are not kept)."""
        principal = authenticate(self.registry, authorization)
        if len(self._known) >= self.size:
            self._known.clear()
        assert authorization is not None
        self._known[token_hash(authorization)] = (time.monotonic() + self.ttl, principal)
        return principal
