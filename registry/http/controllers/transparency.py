"""The transparency log, public and read-only: signed heads, the log's keys, inclusion and
consistency proofs, and entries by range. Answers about a fixed tree size never change, so
they are cacheable for good; answers about the latest tree live ten seconds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter

from registry.core.formats.ranges import SQL_INTEGER_MAX
from registry.http.documentation import documented
from registry.services.transparency.log import TransparencyLog

LATEST = "public, max-age=10"
FIXED = "public, max-age=31536000, immutable"
KEYS = "public, max-age=300"

# Log positions and sizes are kept in 32-bit INTEGER columns: declare the real range.
Size = Annotated[int | None, QueryParameter(ge=0, le=SQL_INTEGER_MAX, description="tree size")]
Index = Annotated[int, QueryParameter(ge=0, le=SQL_INTEGER_MAX)]


def _log(request: Request[Any, Any, Any]) -> TransparencyLog:
    log: TransparencyLog = request.app.state.transparency
    return log


def _answer(body: dict[str, Any], fixed: bool) -> Response[dict[str, Any]]:
    return Response(body, headers={"Cache-Control": FIXED if fixed else LATEST})


class TransparencyController(Controller):
    """``/log``: what a partner needs to audit that no record was rewritten."""

    path = "/log"
    tags = ["transparency log"]  # noqa: RUF012

    @get("/head", sync_to_thread=True, responses=documented(503))
    def head(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        """The latest signed tree head (Data Integrity ``eddsa-jcs-2022`` by the log key)."""
        return _answer(_log(request).head(datetime.now(UTC)), fixed=False)

    @get("/keys", sync_to_thread=True)
    def keys(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        """The log's public keys (Multikey), current and retired, for partners to pin."""
        return Response(_log(request).keys(datetime.now(UTC)), headers={"Cache-Control": KEYS})

    @get("/proof/inclusion", sync_to_thread=True, responses=documented(400, 404, 422, 503))
    def inclusion(
        self,
        request: Request[Any, Any, Any],
        record: Annotated[str | None, QueryParameter(max_length=96)] = None,
        index: Annotated[int | None, QueryParameter(ge=0, le=SQL_INTEGER_MAX)] = None,
        size: Size = None,
    ) -> Response[dict[str, Any]]:
        """Inclusion proofs of every event of ``record`` (its id or e-licence identifier) or
        of leaf ``index`` in the tree of ``size`` leaves; without ``size``, in the latest
        tree, with its signed head."""
        body = _log(request).inclusion(datetime.now(UTC), record_id=record, index=index, size=size)
        return _answer(body, fixed=size is not None)

    @get("/proof/consistency", sync_to_thread=True, responses=documented(400, 404, 503))
    def consistency(
        self, request: Request[Any, Any, Any], first: Index, second: Size = None
    ) -> Response[dict[str, Any]]:
        """The RFC 9162 consistency proof from the tree of ``first`` leaves to the tree of
        ``second`` (the latest, with its signed head, if omitted)."""
        body = _log(request).consistency(datetime.now(UTC), first, second)
        return _answer(body, fixed=second is not None)

    @get("/entries", sync_to_thread=True, responses=documented(400, 404, 422, 503))
    def entries(
        self,
        request: Request[Any, Any, Any],
        start: Index,
        end: Index,
        size: Size = None,
    ) -> Response[dict[str, Any]]:
        """Leaves ``[start, end)``, at most 1,000 a page: each with its index, bytes
        (base64), stored leaf hash and decoded event. With ``size``, only leaves of that tree,
        each with its inclusion path in it."""
        body = _log(request).entries(start, end, size)
        complete = body["end"] == end and len(body["entries"]) == end - start
        return _answer(body, fixed=size is not None or complete)


__all__ = ["TransparencyController"]
