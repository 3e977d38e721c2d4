"""Public, read-only endpoints: issuers, controller documents, schemas, code lists, and
the verify page a phone opens from a QR code."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from registry.http.documentation import NOT_MODIFIED, documented
from registry.http.pages import PAGE_HEADERS
from registry.services.lifecycle.statuslists import StatusListPublisher
from registry.services.runtime.context import Registry
from registry.services.trust.publication import (
    code_lists,
    context_document,
    controller_document,
    issuer_list,
    schema_file,
    schema_index,
)

STATUS_MAX_AGE = 60
DID_JSON = "application/did+json"
VC_JSON = "application/vc+json"
SCHEMA_JSON = "application/schema+json"
LD_JSON = "application/ld+json"


class DirectoryController(Controller):
    """Who issues records here, and with which keys."""

    tags = ["public"]  # noqa: RUF012

    @get("/api/v1/issuers", sync_to_thread=True)
    def issuers(self, registry: NamedDependency[Registry]) -> dict[str, Any]:
        """The public list of issuers with their ids, names, regions and keys."""
        return {"issuers": issuer_list(registry)}

    @get(
        "/issuers/{uscc:str}",
        sync_to_thread=True,
        media_type=DID_JSON,
        responses=documented(404, codes={404: "ISSUER_UNKNOWN"}, parameters=True),
    )
    def issuer(
        self, registry: NamedDependency[Registry], uscc: FromPath[str]
    ) -> Response[dict[str, Any]]:
        """An issuer's controller document (its id as used in credentials)."""
        return Response(controller_document(registry, uscc), media_type=DID_JSON)


class StatusListController(Controller):
    """Issuers' status lists (W3C Bitstring Status List), short-lived and cacheable."""

    tags = ["public"]  # noqa: RUF012

    @get(
        "/status/{uscc:str}/{purpose:str}",
        sync_to_thread=True,
        media_type=VC_JSON,
        responses={**documented(404, parameters=True), **NOT_MODIFIED},
    )
    def status_list(
        self, request: Request[Any, Any, Any], uscc: FromPath[str], purpose: FromPath[str]
    ) -> Response[dict[str, Any] | None]:
        """The issuer's signed BitstringStatusListCredential; ``purpose`` is ``revocation``
        or ``suspension``. ETag (``If-None-Match`` answers 304) and a 60-second cache
        lifetime; a status change shows in the next fetch."""
        publisher: StatusListPublisher = request.app.state.status_lists
        document, etag = publisher.publish(uscc, purpose, datetime.now(UTC))
        headers = {"ETag": f'"{etag}"', "Cache-Control": f"public, max-age={STATUS_MAX_AGE}"}
        if _matches(request.headers.get("if-none-match"), etag):
            return Response(content=None, status_code=304, headers=headers)
        return Response(document, headers=headers, media_type=VC_JSON)


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of ``If-None-Match`` (a list, or ``*``) with our ETag."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or f'"{etag}"' in tags


class VocabularyController(Controller):
    """Schemas, the JSON-LD context and the code lists, for partners to validate with."""

    tags = ["public"]  # noqa: RUF012

    @get(
        "/schemas/{record_type:str}/{file_name:str}",
        sync_to_thread=False,
        media_type=SCHEMA_JSON,
        responses=documented(404, codes={404: "SCHEMA_UNKNOWN"}, parameters=True),
    )
    def schema(
        self, record_type: FromPath[str], file_name: FromPath[str]
    ) -> Response[dict[str, Any]]:
        """A record type's JSON Schema (``v1.schema.json``)."""
        return Response(schema_file(record_type, file_name), media_type=SCHEMA_JSON)

    @get("/api/v1/schemas", sync_to_thread=False)
    def schemas(self, registry: NamedDependency[Registry]) -> dict[str, Any]:
        """Every record type: its JSON Schema URL, the key of its block in
        ``credentialSubject``, its public (QR and page) and partner-only fields."""
        return {"recordTypes": schema_index(registry)}

    @get("/contexts/v1", sync_to_thread=False, media_type=LD_JSON)
    def context(self) -> Response[dict[str, Any]]:
        """The registry's JSON-LD context."""
        return Response(context_document(), media_type=LD_JSON)

    @get("/api/v1/codes", sync_to_thread=False)
    def codes(self) -> dict[str, Any]:
        """All code lists with Chinese and English labels."""
        return code_lists()


class PageController(Controller):
    """Pages for people."""

    include_in_schema = False

    @get("/v", sync_to_thread=False, media_type=MediaType.HTML)
    def verify_page(self) -> Template:
        """The verify page: reads the QR fragment in the browser and asks ``/api/v1/scan``."""
        return Template(template_name="verify.html", headers=PAGE_HEADERS)

    @get("/", sync_to_thread=False, media_type=MediaType.HTML)
    def home(self) -> Template:
        """A short bilingual front page."""
        return Template(template_name="home.html", headers=PAGE_HEADERS)
