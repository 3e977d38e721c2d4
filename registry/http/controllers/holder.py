"""Holders' access links: the issuer makes (or revokes) one; the holder opens it to see the
record's public facts and who checked the record, when and why."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, MediaType, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from registry.core.errors import RegistryError
from registry.core.formats.timefmt import format_instant
from registry.http.documentation import also_as, documented
from registry.http.holder_page import holder_page
from registry.http.pages import PAGE_HEADERS
from registry.http.security import issuer_guard, principal_of
from registry.services.people.holder import create_link, holder_view, revoke_links
from registry.services.runtime.context import Registry

PRIVATE_PAGE_HEADERS = {**PAGE_HEADERS, "Cache-Control": "no-store"}
HTML, JSON = "text/html", "application/json"


class HolderLinkController(Controller):
    """``/credentials/{id}/holder-link``: the issuing organisation (or an admin) hands the
    holder a personal access link, or revokes it. The id may be the e-licence identifier."""

    path = "/credentials/{record_id:str}/holder-link"
    guards = [issuer_guard]  # noqa: RUF012
    tags = ["issuers"]  # noqa: RUF012

    @post(
        "",
        sync_to_thread=True,
        status_code=201,
        responses=documented(401, 403, 404, 422, parameters=True),
    )
    def create(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
    ) -> dict[str, Any]:
        """A new unguessable link ``{base}/holder/{token}``, shown once; any earlier link of
        the record stops working (rotation)."""
        link = create_link(registry, principal_of(request), record_id, now=datetime.now(UTC))
        return {
            "record": link.record_id,
            "url": link.url,
            "createdAt": format_instant(link.created_at),
        }

    @delete(
        "",
        sync_to_thread=True,
        status_code=200,
        responses=documented(401, 403, 404, 422, parameters=True),
    )
    def revoke(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
    ) -> dict[str, Any]:
        """Revoke the record's working link(s); the holder's page then answers 404."""
        revoked = revoke_links(registry, principal_of(request), record_id, now=datetime.now(UTC))
        return {"revoked": revoked}


class HolderPageController(Controller):
    """``/holder/{token}``: the holder's own view of a record and of who checked it."""

    path = "/holder"
    tags = ["holders"]  # noqa: RUF012

    @get(
        "/{token:str}",
        sync_to_thread=True,
        responses=documented(404, parameters=True),
        operation_class=also_as(html=(200, 404)),
    )
    def page(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        token: FromPath[str],
    ) -> Response[Any] | Template:
        """A bilingual page, or JSON when ``Accept`` prefers ``application/json``: the
        record's public facts, status and e-licence identifier, and each logged check with
        its time, client, region, purpose and answer; the page links the certificate PDF
        (``/holder/{token}/certificate.pdf``). Never an ID or passport number."""
        as_json = request.accept.best_match([HTML, JSON], default=HTML) == JSON
        try:
            view = holder_view(registry, token, now=datetime.now(UTC))
        except RegistryError as error:
            if as_json:
                raise
            return Template(
                template_name="holder.html",
                context={"page": None, "error": error, "certificate_url": None},
                headers=PRIVATE_PAGE_HEADERS,
                status_code=404,
                media_type=MediaType.HTML,
            )
        if as_json:
            return Response(view, headers=PRIVATE_PAGE_HEADERS, media_type=MediaType.JSON)
        return Template(
            template_name="holder.html",
            context={
                "page": holder_page(view),
                "error": None,
                "certificate_url": f"/holder/{token}/certificate.pdf",
            },
            headers=PRIVATE_PAGE_HEADERS,
            media_type=MediaType.HTML,
        )
