"""The administration API (admin token): issuers, scopes, keys, regions, agreements,
equivalence tables and partner clients. Every change is recorded with who made it; issuer,
scope and key changes also go to the transparency log. After a change this worker's
directory is refreshed at once; other workers see it within about a second."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from registry.core.errors import invalid
from registry.core.formats.timefmt import format_instant
from registry.core.trust.model import Agreement, Equivalence, IssuerScope
from registry.http.problems import documented
from registry.http.security import admin_guard, principal_of
from registry.http.wire_authority import (
    AgreementCreate,
    AgreementEnd,
    EquivalenceCreate,
    IssuerCreate,
    KeyCompromise,
    PartnerCreate,
    RegionCreate,
    ScopeEnd,
    ScopeGrant,
)
from registry.services.authority import issuers as authority
from registry.services.authority import keys
from registry.services.recognition import agreements
from registry.services.runtime.context import Registry
from registry.services.verification.verifier import Verifier


def utc_now() -> datetime:
    """The time of a change."""
    return datetime.now(UTC)


def _actor(request: Request[Any, Any, Any]) -> str:
    return authority.actor_of(principal_of(request))


def _changed(request: Request[Any, Any, Any]) -> None:
    """Make the change visible to this worker's verifier at once."""
    verifier: Verifier = request.app.state.verifier
    verifier.directory.refresh()


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


def agreement_json(agreement: Agreement) -> dict[str, Any]:
    """An agreement on the wire."""
    return {
        "id": agreement.agreement_id,
        "name": {"zh": agreement.name_zh, "en": agreement.name_en},
        "parties": list(agreement.parties),
        "recordTypes": list(agreement.record_types),
        "series": list(agreement.series),
        "levels": list(agreement.levels),
        "effectiveFrom": agreement.effective_from.isoformat(),
        "effectiveUntil": agreement.effective_until.isoformat()
        if agreement.effective_until
        else None,
        "legalBasis": agreement.legal_basis,
        "legalArticle": agreement.legal_article,
    }


def equivalence_json(entry: Equivalence) -> dict[str, Any]:
    """An equivalence entry on the wire."""
    return {
        "fromRegion": entry.from_region,
        "toRegion": entry.to_region,
        "kind": entry.kind,
        "source": entry.source,
        "target": entry.target,
        "label": {"zh": entry.label_zh, "en": entry.label_en},
        "agreement": entry.agreement_id,
        "demo": entry.demo,
    }


class AuthorityAdminController(Controller):
    """Administration of issuer authority, keys and recognition (admin token only)."""

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
        made = authority.create_issuer(
            registry,
            actor=_actor(request),
            uscc=data.uscc,
            name_zh=data.name_zh,
            name_en=data.name_en,
            region=data.region,
            kind=data.kind,
            now=utc_now(),
            with_key=data.with_key,
            jurisdiction=tuple(data.jurisdiction),
        )
        _changed(request)
        return {"uscc": made.uscc, "kid": made.kid}

    @get("/issuers/{uscc:str}/scopes", sync_to_thread=True, responses=documented(401, 403, 404))
    def list_scopes(
        self, registry: NamedDependency[Registry], uscc: FromPath[str]
    ) -> list[dict[str, Any]]:
        """An issuer's scopes, ended ones included."""
        return [scope_json(scope) for scope in authority.scopes_of(registry, uscc)]

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
        scope = authority.grant_scope(
            registry,
            actor=_actor(request),
            uscc=uscc,
            request=authority.ScopeRequest(
                record_types=tuple(data.record_types),
                valid_from=data.valid_from,
                series=tuple(data.series),
                specialties=tuple(data.specialties),
                highest_level=data.highest_level,
                valid_until=data.valid_until,
            ),
            now=utc_now(),
        )
        _changed(request)
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
        scope_id: FromPath[int],
        data: JSONBody[ScopeEnd],
    ) -> dict[str, Any]:
        """End a scope at the start of a day (default tomorrow); it is never deleted."""
        scope = authority.end_scope(
            registry, actor=_actor(request), scope_id=scope_id, until=data.until, now=utc_now()
        )
        _changed(request)
        return scope_json(scope)

    @get("/keys", sync_to_thread=True, responses=documented(401, 403))
    def list_keys(self, registry: NamedDependency[Registry]) -> list[dict[str, Any]]:
        """Every issuer key with its window and state."""
        return [key_json(view) for view in keys.list_keys(registry)]

    @post("/issuers/{uscc:str}/keys", sync_to_thread=True, responses=documented(401, 403, 404))
    def generate_key(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        uscc: FromPath[str],
    ) -> dict[str, Any]:
        """A new key for the issuer (older active keys stay active; see rotate)."""
        view = keys.generate_key(registry, actor=_actor(request), uscc=uscc, now=utc_now())
        _changed(request)
        return key_json(view)

    @post(
        "/issuers/{uscc:str}/keys/rotate", sync_to_thread=True, responses=documented(401, 403, 404)
    )
    def rotate_key(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        uscc: FromPath[str],
    ) -> dict[str, Any]:
        """A new key signs from now on; the old ones are retired and keep verifying."""
        view = keys.rotate_key(registry, actor=_actor(request), uscc=uscc, now=utc_now())
        _changed(request)
        return key_json(view)

    @post(
        "/keys/{kid:str}/retire",
        status_code=200,
        sync_to_thread=True,
        responses=documented(401, 403, 404, 409),
    )
    def retire_key(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        kid: FromPath[str],
    ) -> dict[str, Any]:
        """The key stops signing now; what it signed keeps verifying."""
        view = keys.retire_key(registry, actor=_actor(request), kid=kid, now=utc_now())
        _changed(request)
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
            registry, actor=_actor(request), kid=kid, at=data.at, now=utc_now()
        )
        _changed(request)
        return key_json(view)

    @post("/regions", sync_to_thread=True, responses=documented(400, 401, 403, 409, 422))
    def add_region(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        data: JSONBody[RegionCreate],
    ) -> dict[str, Any]:
        """Register a region (its GB/T 2260 code must be in the divisions code list)."""
        region = agreements.add_region(
            registry,
            actor=_actor(request),
            code=data.code,
            name_zh=data.name_zh,
            name_en=data.name_en,
            now=utc_now(),
        )
        _changed(request)
        return {"code": region.code, "name": {"zh": region.name_zh, "en": region.name_en}}

    @get("/agreements", sync_to_thread=True, responses=documented(401, 403))
    def list_agreements(self, registry: NamedDependency[Registry]) -> list[dict[str, Any]]:
        """Every recognition agreement, in force or not."""
        return [agreement_json(a) for a in agreements.list_agreements(registry)]

    @post("/agreements", sync_to_thread=True, responses=documented(400, 401, 403, 409, 422))
    def add_agreement(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        data: JSONBody[AgreementCreate],
    ) -> dict[str, Any]:
        """Add a recognition agreement: parties, scope, dates and legal basis."""
        agreement = agreements.add_agreement(
            registry,
            actor=_actor(request),
            request=agreements.AgreementRequest(
                agreement_id=data.id,
                name_zh=data.name_zh,
                name_en=data.name_en,
                parties=tuple(data.parties),
                record_types=tuple(data.record_types),
                effective_from=data.effective_from,
                legal_basis=data.legal_basis,
                series=tuple(data.series),
                levels=tuple(data.levels),
                effective_until=data.effective_until,
                legal_article=data.legal_article,
            ),
            now=utc_now(),
        )
        _changed(request)
        return agreement_json(agreement)

    @post(
        "/agreements/{agreement_id:str}/end",
        status_code=200,
        sync_to_thread=True,
        responses=documented(400, 401, 403, 404, 409),
    )
    def end_agreement(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        agreement_id: FromPath[str],
        data: JSONBody[AgreementEnd],
    ) -> dict[str, Any]:
        """End an agreement at the start of a day; it is kept for the record."""
        agreement = agreements.end_agreement(
            registry,
            actor=_actor(request),
            agreement_id=agreement_id,
            until=data.until,
            now=utc_now(),
        )
        _changed(request)
        return agreement_json(agreement)

    @get("/equivalences", sync_to_thread=True, responses=documented(401, 403))
    def list_equivalences(self, registry: NamedDependency[Registry]) -> list[dict[str, Any]]:
        """Every equivalence entry."""
        return [equivalence_json(e) for e in agreements.list_equivalences(registry)]

    @post("/equivalences", sync_to_thread=True, responses=documented(400, 401, 403, 409, 422))
    def add_equivalence(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        data: JSONBody[EquivalenceCreate],
    ) -> dict[str, Any]:
        """Map a term of one region (title name, level, catalogue item) to another's."""
        entry = agreements.add_equivalence(
            registry,
            actor=_actor(request),
            entry=Equivalence(
                from_region=data.from_region,
                to_region=data.to_region,
                kind=data.kind,
                source=data.source,
                target=data.target,
                label_zh=data.label_zh,
                label_en=data.label_en,
                agreement_id=data.agreement,
                demo=data.demo,
            ),
            now=utc_now(),
        )
        _changed(request)
        return equivalence_json(entry)

    @post("/partners", sync_to_thread=True, responses=documented(400, 401, 403, 404, 422))
    def create_partner(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        data: JSONBody[PartnerCreate],
    ) -> dict[str, Any]:
        """A partner client of a region with its own token (shown once, in this answer).
        The creation is kept in the history under ``partner`` and the returned ``id``."""
        created = agreements.create_partner(
            registry, actor=_actor(request), region=data.region, name=data.name, now=utc_now()
        )
        return {
            "id": created.token_id,
            "region": created.region,
            "name": created.name,
            "token": created.secret,
        }

    @get(
        "/history/{subject:str}/{ref:str}",
        sync_to_thread=True,
        responses=documented(401, 403),
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
            for row in authority.history(registry, subject, ref)
        ]
