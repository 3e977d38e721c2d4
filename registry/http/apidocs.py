"""The API docs page (``/schema``, Swagger UI) served from the package, not a CDN.

Swagger UI's files are vendored under ``static/swagger-ui/`` from the npm package
``swagger-ui-dist`` (version, checksums and licence in ``PROVENANCE.md`` there), so the
page works offline and asks no other host for anything: no script, style sheet, favicon
or validator badge.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.openapi.plugins import SwaggerRenderPlugin

SWAGGER_UI_VERSION = "5.36.0"
SWAGGER_UI_PATH = "/static/swagger-ui"
FAVICON = f"<link rel='icon' type='image/png' href='{SWAGGER_UI_PATH}/favicon-32x32.png'>"


class LocalSwaggerUI(SwaggerRenderPlugin):
    """Litestar's Swagger UI page over the vendored files, without the validator badge
    (Swagger UI would otherwise fetch it from validator.swagger.io)."""

    def __init__(self) -> None:
        super().__init__(
            version=SWAGGER_UI_VERSION,
            js_url=f"{SWAGGER_UI_PATH}/swagger-ui-bundle.js",
            css_url=f"{SWAGGER_UI_PATH}/swagger-ui.css",
            standalone_preset_js_url=f"{SWAGGER_UI_PATH}/swagger-ui-standalone-preset.js",
            favicon=FAVICON,
        )

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        """The page, with Swagger UI's validator turned off."""
        page = super().render(request, openapi_schema)
        return page.replace(b"deepLinking: true,", b"validatorUrl: null,\n deepLinking: true,", 1)


__all__ = ["SWAGGER_UI_PATH", "SWAGGER_UI_VERSION", "LocalSwaggerUI"]
