"""The registry's trust list: one signed, cacheable document for offline verifiers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, Response, get

from registry.http.documentation import NOT_MODIFIED
from registry.services.trust.trustlist_publication import TrustListPublisher

TRUST_LIST_MAX_AGE = 300  # seconds a cache may keep the list before asking again


class TrustListController(Controller):
    """``GET /trust-list``: regions, issuers, scopes, keys and recognition rules, signed by
    the registry's root key (Data Integrity, eddsa-jcs-2022)."""

    tags = ["public"]  # noqa: RUF012

    @get("/trust-list", sync_to_thread=True, responses=NOT_MODIFIED)
    def trust_list(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any] | None]:
        """The signed trust list (format version 1, ``/schemas/trust-list/v1.schema.json``).

        The ETag changes only when the document does: a new sequence number when the
        content changes, or a fresh signature of the same content once an hour.
        """
        publisher: TrustListPublisher = request.app.state.trust_list
        published = publisher.current(datetime.now(UTC))
        etag = f'"{published.etag}"'
        headers = {"ETag": etag, "Cache-Control": f"public, max-age={TRUST_LIST_MAX_AGE}"}
        if request.headers.get("if-none-match") == etag:
            return Response(content=None, status_code=304, headers=headers)
        return Response(published.document, headers=headers, media_type="application/json")
