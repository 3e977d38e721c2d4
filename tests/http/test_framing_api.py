"""No answer of the app may be shown inside another site's frame (security review, issue
13, finding 6): every HTML page, the holder's error page and the OpenAPI pages included,
carries CSP ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``."""

from __future__ import annotations

import pytest
from litestar.enums import MediaType
from litestar.routes import HTTPRoute

from registry.demo.data import QINGPU_BUREAU
from tests.support.api_checks import issuer_headers
from tests.support.fixtures import BASE_URL

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}

# Every GET route that answers HTML, with a path that reaches it and the status expected.
# ``/holder/{token}`` is filled in with a real link by ``_holder_link``.
HTML_ROUTES = {
    "/": ("/", 200),
    "/v": ("/v", 200),
    "/holder/{token:str}": ("/holder/{token}", 200),
    "/schema": ("/schema", 200),
    "/schema/swagger": ("/schema/swagger", 200),
    "/schema/oauth2-redirect.html": ("/schema/oauth2-redirect.html", 200),
    "/schema/{path:str}": ("/schema/no-such-viewer", 404),
}
OWN_POLICY = "default-src 'self'"  # the pages' own policy, which must survive


def assert_not_frameable(response) -> None:
    """Both headers, each once, on this answer."""
    policies = response.headers.get_list("content-security-policy")
    assert any("frame-ancestors 'none'" in policy for policy in policies), policies
    assert response.headers.get_list("x-frame-options") == ["DENY"]


def _holder_link(client, demo) -> str:
    response = client.post(
        f"/credentials/{demo.records[0]}/holder-link",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["url"]).removeprefix(BASE_URL + "/holder/")


def test_every_html_route_is_listed_here(client) -> None:
    """A new page must be added to ``HTML_ROUTES`` (and so be checked below)."""
    html_routes = {
        route.path
        for route in client.app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if "GET" in handler.http_methods and handler.media_type == MediaType.HTML
    }
    assert html_routes | {"/holder/{token:str}"} == set(HTML_ROUTES)


@pytest.mark.parametrize("route", list(HTML_ROUTES))
def test_html_page_cannot_be_framed(client, demo, route: str) -> None:
    template, status = HTML_ROUTES[route]
    path = template.format(token=_holder_link(client, demo)) if "{token}" in template else template
    response = client.get(path, headers=HTML)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert_not_frameable(response)


@pytest.mark.parametrize("path", ["/", "/v"])
def test_the_pages_own_policy_is_kept(client, path: str) -> None:
    response = client.get(path)
    policy = response.headers["content-security-policy"]
    assert OWN_POLICY in policy
    assert "script-src 'self'" in policy
    assert policy.endswith("; frame-ancestors 'none'")
    assert response.headers["referrer-policy"] == "no-referrer"


def test_holder_page_with_an_unknown_link_is_an_html_error_that_cannot_be_framed(client) -> None:
    response = client.get("/holder/rgh_no-such-link", headers=HTML)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert OWN_POLICY in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert_not_frameable(response)


def test_holder_page_as_json_cannot_be_framed_either(client, demo) -> None:
    response = client.get(f"/holder/{_holder_link(client, demo)}", headers=JSON)
    assert response.status_code == 200
    assert_not_frameable(response)
    unknown = client.get("/holder/rgh_no-such-link", headers=JSON)
    assert unknown.status_code == 404
    assert_not_frameable(unknown)


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page",  # the router's own 404, a problem document
        "/api/v1/codes",
        "/schema/openapi.json",
        "/static/verify.js",
    ],
)
def test_other_answers_cannot_be_framed(client, path: str) -> None:
    response = client.get(path, headers=HTML)
    assert_not_frameable(response)


def test_qr_svg_cannot_be_framed(client, demo) -> None:
    response = client.get(
        f"/api/v1/credentials/{demo.records[0]}/qr.svg",
        headers=issuer_headers(demo, QINGPU_BUREAU.uscc),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert_not_frameable(response)
