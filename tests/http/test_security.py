"""The bearer-token check of the partner API: once per request, again on the next."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar.testing import TestClient

from registry.demo.data import DEMO_RECORDS, JIASHAN_BUREAU
from registry.http.app import create_app
from registry.services.access.tokens import Authenticator, list_tokens, revoke_token
from tests.support.api_checks import issue
from tests.support.fixtures import bearer


def test_a_partner_request_is_authenticated_once_and_the_next_one_again(
    registry, demo, settings, monkeypatch
):
    asked: list[str] = []
    cached, authenticate = Authenticator.cached, Authenticator.authenticate

    def counting_cached(self: Authenticator, header: str | None):
        asked.append("cached")
        return cached(self, header)

    def counting_authenticate(self: Authenticator, header: str | None):
        asked.append("authenticate")
        return authenticate(self, header)

    monkeypatch.setattr(Authenticator, "cached", counting_cached)
    monkeypatch.setattr(Authenticator, "authenticate", counting_authenticate)
    token = demo.tokens[f"partner:{JIASHAN_BUREAU.region}"]
    with TestClient(app=create_app(settings, registry)) as client:
        url = issue(client, demo, DEMO_RECORDS[0])["qr"]["url"]

        def check() -> int:
            asked.clear()
            body = {"qr": url, "purpose": "核验"}
            status: int = client.post(
                "/api/v1/verify", json=body, headers=bearer(token)
            ).status_code
            return status

        for _ in range(2):
            assert check() == 200
            # the limiter and the guard both need the principal: looked up once
            assert asked in (["cached", "authenticate"], ["cached"])
        if registry.engine.dialect.name == "sqlite":
            assert asked == ["cached"]  # remembered, and asked whether still in force
        token_id = next(t.token_id for t in list_tokens(registry) if t.region == "330421")
        revoke_token(registry, token_id, now=datetime.now(UTC))
        assert check() == 401


def test_the_partner_check_guard_is_handed_the_handler_itself(
    registry, demo, settings, monkeypatch
):
    def no_copy(_: object) -> object:
        raise AssertionError("a copy of the route handler per request")

    token = demo.tokens[f"partner:{JIASHAN_BUREAU.region}"]
    with TestClient(app=create_app(settings, registry)) as client:
        url = issue(client, demo, DEMO_RECORDS[0])["qr"]["url"]
        monkeypatch.setattr("litestar.handlers.base.copy", no_copy)  # other guards copy it
        body = {"qr": url, "purpose": "核验"}
        assert client.post("/api/v1/verify", json=body, headers=bearer(token)).status_code == 200
        assert client.post("/api/v1/verify", json=body).status_code == 401
        issuer = next(secret for name, secret in demo.tokens.items() if name.startswith("issuer"))
        refused = client.post("/api/v1/verify", json=body, headers=bearer(issuer))
        assert refused.status_code == 403
