"""The administration API of mutual recognition (admin token): regions, agreements,
equivalence tables and partner clients. Every change is recorded with who made it. After a
change this worker's directory is refreshed at once; other workers see it within about a
second."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from registry.core.trust.model import Agreement, Equivalence
from registry.http.admin import admin_actor, refresh_directory, utc_now
from registry.http.documentation import documented
from registry.http.security import admin_guard
from registry.http.wire_authority import (
    AgreementCreate,
    AgreementEnd,
    EquivalenceCreate,
    PartnerCreate,
    RegionCreate,
)
from registry.services.recognition import agreements
from registry.services.runtime.context import Registry


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


class RecognitionAdminController(Controller):
    """Administration of regions, recognition agreements, equivalences and partner clients
    (admin token only)."""

    path = "/api/v1/admin"
    tags = ["administration"]  # noqa: RUF012
    guards = [admin_guard]  # noqa: RUF012

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
            actor=admin_actor(request),
            code=data.code,
            name_zh=data.name_zh,
            name_en=data.name_en,
            now=utc_now(),
        )
        refresh_directory(request)
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
            actor=admin_actor(request),
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
        refresh_directory(request)
        return agreement_json(agreement)

    @post(
        "/agreements/{agreement_id:str}/end",
        status_code=200,
        sync_to_thread=True,
        responses=documented(400, 401, 403, 404, 409, 422),
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
            actor=admin_actor(request),
            agreement_id=agreement_id,
            until=data.until,
            now=utc_now(),
        )
        refresh_directory(request)
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
            actor=admin_actor(request),
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
        refresh_directory(request)
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
            registry, actor=admin_actor(request), region=data.region, name=data.name, now=utc_now()
        )
        return {
            "id": created.token_id,
            "region": created.region,
            "name": created.name,
            "token": created.secret,
        }
