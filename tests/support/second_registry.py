"""A second registry, in Guangzhou, with its own store, base URL, root key and bureau.

Set up like the ``demo`` fixture sets up the zone (through the services); what the tests
then do with it (issue, export, import, verify) goes through its HTTP API and the CLI.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from registry.demo.data import DEMO_RECORDS, TITLE, DemoIssuer, demo_uscc
from registry.demo.seed import add_issuer, add_region
from registry.http.app import create_app
from registry.services.access.tokens import create_token
from registry.services.runtime.context import Registry
from registry.settings import Settings
from tests.support.fixtures import bearer, make_settings

SECOND_BASE_URL = "https://talent.gz-demo.example.cn"
GUANGZHOU = "440100"
GUANGZHOU_BUREAU = DemoIssuer(
    demo_uscc(GUANGZHOU, 1),
    "广州市人力资源和社会保障局（演示）",
    "Guangzhou Human Resources and Social Security Bureau (demo)",
    GUANGZHOU,
    "hr_bureau",
    (TITLE,),
)


@dataclass
class SecondRegistry:
    """The Guangzhou registry: settings, the open store and its bureau's issuer token."""

    settings: Settings
    registry: Registry
    issuer_token: str

    def issue_title(self) -> dict[str, Any]:
        """Issue a professional title through the second registry's HTTP API."""
        body = {"credential": DEMO_RECORDS[0].issuance_request()}
        with TestClient(app=create_app(self.settings, self.registry)) as client:
            response = client.post(
                "/credentials/issue", json=body, headers=bearer(self.issuer_token)
            )
        assert response.status_code == 201, response.text
        issued: dict[str, Any] = response.json()
        return issued

    def status_lists(self, folder: Path) -> tuple[Path, Path]:
        """Fetch the bureau's revocation and suspension status lists through the second
        registry's HTTP API, as a verifier would, and keep them as files in ``folder``."""
        paths = []
        with TestClient(app=create_app(self.settings, self.registry)) as client:
            for purpose in ("revocation", "suspension"):
                response = client.get(f"/status/{GUANGZHOU_BUREAU.uscc}/{purpose}")
                assert response.status_code == 200, response.text
                path = folder / f"guangzhou-{purpose}.json"
                path.write_bytes(response.content)
                paths.append(path)
        return paths[0], paths[1]


@contextmanager
def second_registry(data_dir: Path) -> Iterator[SecondRegistry]:
    """Open a fresh Guangzhou registry (SQLite) under ``data_dir``."""
    settings = replace(
        make_settings(str(data_dir), f"sqlite:///{data_dir / 'registry.db'}"),
        base_url=SECOND_BASE_URL,
    )
    registry = Registry.open(settings)
    try:
        now = datetime.now(UTC)
        add_region(registry, GUANGZHOU, "广州市", "Guangzhou")
        add_issuer(registry, GUANGZHOU_BUREAU, now=now)
        token = create_token(
            registry, "issuer", now=now, issuer_uscc=GUANGZHOU_BUREAU.uscc, name="Guangzhou"
        )
        yield SecondRegistry(settings, registry, token)
    finally:
        registry.close()
