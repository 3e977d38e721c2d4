"""``registry init`` and ``registry serve``."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime

import click

from registry.cli.invocation import opened_registry
from registry.demo.seed import seed_demo, write_demo_tokens
from registry.services.runtime.secrets import ensure_secrets
from registry.settings import Settings, load_settings


def prepare(demo: bool, settings: Settings | None = None) -> Settings:
    """Create secrets and the schema under the data folder, and the demo if asked."""
    settings = ensure_secrets(settings or load_settings())
    with opened_registry(settings) as registry:
        click.echo(f"data: {settings.data_dir} ({settings.database_url.split('://')[0]})", err=True)
        if demo:
            summary = seed_demo(
                registry,
                now=datetime.now(UTC),
                progress=lambda line: click.echo(f"  {line}", err=True),
            )
            if summary.already_seeded:
                click.echo("demo data already present / 演示数据已存在", err=True)
            else:
                path = write_demo_tokens(settings, summary)
                click.echo(
                    f"demo: {len(summary.issuers)} issuers, {len(summary.records)} records; "
                    f"tokens in {path} (mode 0600)",
                    err=True,
                )
    return settings


@click.command()
@click.option(
    "--demo", is_flag=True, help="Also load the demo zone: regions, issuers, keys, tokens, records."
)
def init(demo: bool) -> None:
    """Prepare ./data (or REGISTRY_DATA_DIR): secrets, database schema, and optionally the demo."""
    prepare(demo)
    click.echo("ready / 已就绪")


@click.command()
@click.option("--demo", is_flag=True, help="Run `init --demo` first (idempotent).")
@click.option("--host", default=None, help="Listen address [default: REGISTRY_HOST or 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [default: REGISTRY_PORT or 8000].")
def serve(demo: bool, host: str | None, port: int | None) -> None:
    """Serve the registry over HTTP (whatever the data folder holds)."""
    import uvicorn

    from registry.http.app import create_app

    settings = load_settings()
    host = host or settings.host
    port = port or settings.port
    if "REGISTRY_BASE_URL" not in os.environ:
        settings = replace(settings, base_url=f"http://{host}:{port}")
    settings = prepare(demo, settings) if demo else ensure_secrets(settings)
    click.echo(
        f"serving on http://{host}:{port}  (verify page: {settings.base_url}/v, API docs: /schema)",
        err=True,
    )
    uvicorn.run(create_app(settings), host=host, port=port, log_level=settings.log_level.lower())


COMMANDS: tuple[click.Command, ...] = (
    init,
    serve,
)
