"""The administration API of issuer authority (admin token): issuers, scopes, keys and the
history of every change. Every change is recorded with who made it and goes to the
transparency log. After a change this worker's directory is refreshed at once; other
workers see it within about a second (regions, agreements, equivalences and partner
clients: ``controllers.recognition``)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, PathParameter

from registry.core.errors import invalid
from registry.core.formats.ranges import SQL_INTEGER_MAX
from registry.core.formats.timefmt import format_instant
from registry.core.trust.model import IssuerScope
from registry.http.admin import admin_actor, refresh_directory, utc_now
from registry.http.documentation import documented
from registry.http.security import admin_guard
from registry.http.wire_authority import (
    IssuerCreate,
    KeyCompromise,
    ScopeEnd,
    ScopeGrant,
)
from registry.services.authority import issuers, keys, scopes
from registry.services.runtime.context import Registry
from registry.services.transparency import history as authority_history


def scope_json(scope: IssuerScope) -> dict[str, Any]:
    """A scope on the wire."""
    return {
        "id": scope.scope_id,
        "recordTypes": list(scope.record_types),
        "series": list(scope.series),
        "specialties": list(scope.specialties),
        "highestLevel": scope.highest_level,
        "validFrom": scope.valid_from.isoformat(),
        "validUntil": scope.valid_until.isoformat() if scope.valid_until else None,
    }


def key_json(view: keys.KeyView) -> dict[str, Any]:
    """A key on the wire (never its private part)."""
    return {
        "issuer": view.issuer_uscc,
        "kid": view.kid,
        "state": view.state,
        "validFrom": format_instant(view.valid_from),
        "validUntil": format_instant(view.valid_until) if view.valid_until else None,
        "compromisedAt": format_instant(view.compromised_at) if view.compromised_at else None,
        "publicKeyMultibase": view.public_multikey,
    }


class AuthorityAdminController(Controller):
    """Administration of issuers, their scopes and keys, and the change history (admin
    token only)."""

    path = "/api/v1/admin"
    tags = ["administration"]  # noqa: RUF012
    guards = [admin_guard]  # noqa: RUF012

    @post("/issuers", sync_to_thread=True, responses=documented(400, 401, 403, 409, 422))
    def create_issuer(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        data: JSONBody[IssuerCreate],
    ) -> dict[str, Any]:
        """Register an issuer (USCC checked, GB 32100) with a first signing key by default."""
        made = issuers.create_issuer(
            registry,
            actor=admin_actor(request),
            uscc=data.uscc,
            name_zh=data.name_zh,
            name_en=data.name_en,
            region=data.region,
            kind=data.kind,
            now=utc_now(),
            with_key=data.with_key,
            jurisdiction=tuple(data.jurisdiction),
        )
        refresh_directory(request)
        return {"uscc": made.uscc, "kid": made.kid}

    @get(
        "/issuers/{uscc:str}/scopes",
        sync_to_thread=True,
        responses=documented(401, 403, 404, parameters=True),
    )
    def list_scopes(
        self, registry: NamedDependency[Registry], uscc: FromPath[str]
    ) -> list[dict[str, Any]]:
        """An issuer's scopes, ended ones included."""
        return [scope_json(scope) for scope in scopes.scopes_of(registry, uscc)]

    @post(
        "/issuers/{uscc:str}/scopes",
        sync_to_thread=True,
        responses=documented(400, 401, 403, 404, 422),
    )
    def grant_scope(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        uscc: FromPath[str],
        data: JSONBody[ScopeGrant],
    ) -> dict[str, Any]:
        """Grant a dated scope: record types, series, specialties, highest level."""
        scope = scopes.grant_scope(
            registry,
            actor=admin_actor(request),
            uscc=uscc,
            request=scopes.ScopeRequest(
                record_types=tuple(data.record_types),
                valid_from=data.valid_from,
                series=tuple(data.series),
                specialties=tuple(data.specialties),
                highest_level=data.highest_level,
                valid_until=data.valid_until,
            ),
            now=utc_now(),
        )
        refresh_directory(request)
        return scope_json(scope)

    @post(
        "/scopes/{scope_id:int}/end",
        status_code=200,
        sync_to_thread=True,
        responses=documented(400, 401, 403, 404, 409, 422),
    )
    def end_scope(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        scope_id: Annotated[int, PathParameter(ge=1, le=SQL_INTEGER_MAX)],
        data: JSONBody[ScopeEnd],
    ) -> dict[str, Any]:
        """End a scope at the start of a day (default tomorrow); it is never deleted."""
        scope = scopes.end_scope(
            registry, actor=admin_actor(request), scope_id=scope_id, until=data.until, now=utc_now()
        )
        refresh_directory(request)
        return scope_json(scope)

    @get("/keys", sync_to_thread=True, responses=documented(401, 403))
    def list_keys(self, registry: NamedDependency[Registry]) -> list[dict[str, Any]]:
        """Every issuer key with its window and state."""
        return [key_json(view) for view in keys.list_keys(registry)]

    @post(
        "/issuers/{uscc:str}/keys",
        sync_to_thread=True,
        responses=documented(401, 403, 404, parameters=True),
    )
    def generate_key(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        uscc: FromPath[str],
    ) -> dict[str, Any]:
        """A new key for the issuer (older active keys stay active; see rotate)."""
        view = keys.generate_key(registry, actor=admin_actor(request), uscc=uscc, now=utc_now())
        refresh_directory(request)
        return key_json(view)

    @post(
        "/issuers/{uscc:str}/keys/rotate",
        sync_to_thread=True,
        responses=documented(401, 403, 404, parameters=True),
    )
    def rotate_key(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        uscc: FromPath[str],
    ) -> dict[str, Any]:
        """A new key signs from now on; the old ones are retired and keep verifying."""
        view = keys.rotate_key(registry, actor=admin_actor(request), uscc=uscc, now=utc_now())
        refresh_directory(request)
        return key_json(view)

    @post(
        "/keys/{kid:str}/retire",
        status_code=200,
        sync_to_thread=True,
        responses=documented(401, 403, 404, 409, parameters=True),
    )
    def retire_key(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        kid: FromPath[str],
    ) -> dict[str, Any]:
        """The key stops signing now; what it signed keeps verifying."""
        view = keys.retire_key(registry, actor=admin_actor(request), kid=kid, now=utc_now())
        refresh_directory(request)
        return key_json(view)

    @post(
        "/keys/{kid:str}/compromise",
        status_code=200,
        sync_to_thread=True,
        responses=documented(400, 401, 403, 404, 409, 422),
    )
    def compromise_key(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        kid: FromPath[str],
        data: JSONBody[KeyCompromise],
    ) -> dict[str, Any]:
        """Mark a key compromised as of a time: what it signed from then on fails."""
        if data.at is not None and data.at.tzinfo is None:
            raise invalid(
                "TIME_OFFSET_REQUIRED",
                "时间须带时区偏移（如 +08:00 或 Z）",
                "the time needs an offset (such as +08:00 or Z)",
            )
        view = keys.compromise_key(
            registry, actor=admin_actor(request), kid=kid, at=data.at, now=utc_now()
        )
        refresh_directory(request)
        return key_json(view)

    @get(
        "/history/{subject:str}/{ref:str}",
        sync_to_thread=True,
        responses=documented(401, 403, parameters=True),
    )
    def history(
        self, registry: NamedDependency[Registry], subject: FromPath[str], ref: FromPath[str]
    ) -> list[dict[str, Any]]:
        """The recorded changes to one issuer, scope, key, region, agreement or entry."""
        return [
            {
                "at": format_instant(row.at),
                "actor": row.actor,
                "action": row.action,
                "detail": row.detail,
            }
            for row in authority_history.history(registry, subject, ref)
        ]
