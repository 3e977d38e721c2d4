"""``registry init`` and ``registry serve``."""

from __future__ import annotations

import copy
import os
import shutil
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click

from registry.cli.invocation import fail, opened_registry
from registry.core.errors import RegistryError
from registry.demo.seed import seed_demo, write_demo_tokens
from registry.http.logformat import formatter_config
from registry.http.metrics import MULTIPROCESS_DIR
from registry.services.records.elicence_type_codes import placeholder_type_codes_warning
from registry.services.records.stored import load_record
from registry.services.runtime.addresses import serving_base_url
from registry.services.runtime.context import Registry
from registry.services.runtime.key_separation import check_key_separation
from registry.services.runtime.secrets import ensure_secrets, rewrap_keys
from registry.settings import Settings, load_settings

if TYPE_CHECKING:
    import uvicorn
    from litestar import Litestar

REDACTION_FILTER = "registry_redaction"
STARTUP_FAILURE = 3  # uvicorn's own exit code when the server could not start
SHUTDOWN_GRACE = 30  # seconds open requests may take to finish after SIGTERM or Ctrl-C
# Seconds the supervisor waits for a worker's answer before replacing it: uvicorn's 5 s is
# shorter than a worker's start (imports, schema check) on a busy two-core machine.
WORKER_HEALTHCHECK = 30
APP_FACTORY = "registry.http.app:create_app"  # each worker process builds its own app


def secured(settings: Settings, *, demo: bool) -> Settings:
    """``ensure_secrets`` and the key-separation rule: a refusal (a weak passphrase, or
    secrets beside the database under ``REGISTRY_KEY_SEPARATION=require``) exits, printed
    in both languages; secrets beside the database are otherwise a warning, and so are
    placeholder e-licence type codes (outside the demo)."""
    try:
        prepared = ensure_secrets(settings)
        warning = check_key_separation(prepared, demo=demo)
    except RegistryError as error:
        fail(error)
        raise  # not reached: ``fail`` exits
    for problem in (warning, placeholder_type_codes_warning(demo=demo)):
        if problem is not None:
            click.echo(
                f"warning {problem.code}: {problem.message_zh} / {problem.message_en}", err=True
            )
    return prepared


def upgrade_key_files(registry: Registry) -> None:
    """Rewrite keys stored before scrypt, or under the previous passphrase."""
    rewritten = rewrap_keys(registry)
    if rewritten:
        click.echo(
            f"keys: {rewritten} private key(s) rewritten under scrypt and the current passphrase"
            f" / 已用 scrypt 与当前口令重新加密 {rewritten} 个私钥",
            err=True,
        )


def prepare(demo: bool, settings: Settings | None = None) -> Settings:
    """Create secrets and the schema under the data folder, and the demo if asked."""
    settings = secured(settings or load_settings(), demo=demo)
    with opened_registry(settings) as registry:
        click.echo(f"data: {settings.data_dir} ({settings.database_url.split('://')[0]})", err=True)
        upgrade_key_files(registry)
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
                if summary.records:
                    link = load_record(registry, summary.records[0]).qr_url
                    click.echo(
                        f"a demo QR link, to open on a phone / 演示二维码链接: {link}", err=True
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


def _checked_base_url(
    context: click.Context, parameter: click.Parameter, value: str | None
) -> str | None:
    """``--base-url``: an http(s) URL with a host, without a trailing slash."""
    if value is None:
        return None
    parsed = urlsplit(value.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise click.BadParameter("give an http(s) URL, such as http://192.168.1.20:8000")
    return value.strip().rstrip("/")


@click.command()
@click.option("--demo", is_flag=True, help="Run `init --demo` first (idempotent).")
@click.option("--host", default=None, help="Listen address [default: REGISTRY_HOST or 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [default: REGISTRY_PORT or 8000].")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes [default: REGISTRY_WORKERS or 1]; each opens its own registry.",
)
@click.option(
    "--base-url",
    default=None,
    callback=_checked_base_url,
    help="The address links (QR codes, holder links) start with [default: REGISTRY_BASE_URL, "
    "else the listening address; on 0.0.0.0 this machine's LAN address].",
)
def serve(
    demo: bool, host: str | None, port: int | None, workers: int | None, base_url: str | None
) -> None:
    """Serve the registry over HTTP (whatever the data folder holds).

    Links start with --base-url or REGISTRY_BASE_URL; without either, with the listening
    address, and on every interface (--host 0.0.0.0) with this machine's LAN address, so
    that a phone on the same network opens a QR link. Where no LAN address can be found,
    serve refuses to start (BASE_URL_REQUIRED) rather than print links no phone can open.

    SIGTERM or Ctrl-C stops taking connections and gives open requests 30 seconds to
    finish. With several workers, uvicorn's supervisor starts one process per worker and
    replaces any that dies; set REGISTRY_REDIS_URL so that they share rate limits.
    """
    import uvicorn

    from registry.http.app import create_app

    try:
        settings = load_settings()
    except RegistryError as error:
        fail(error)  # exits
        return
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    if base_url is None and "REGISTRY_BASE_URL" not in os.environ:
        try:
            base_url = serving_base_url(host, port)
        except RegistryError as error:
            fail(error)  # exits
            return
    if base_url is not None:
        settings = replace(settings, base_url=base_url)
        os.environ["REGISTRY_BASE_URL"] = settings.base_url  # read again by each worker
    if demo:
        settings = prepare(demo, settings)
    else:
        settings = secured(settings, demo=False)
        with opened_registry(settings) as registry:
            upgrade_key_files(registry)
    click.echo(
        f"serving on http://{host}:{port} with {workers} worker(s)"
        f"  (verify page: {settings.base_url}/v, API docs: /schema)",
        err=True,
    )
    if workers > 1:
        serve_workers(settings, host=host, port=port, workers=workers)
        return
    server = uvicorn.Server(server_config(create_app(settings), settings, host=host, port=port))
    server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)


def serve_workers(settings: Settings, *, host: str, port: int, workers: int) -> None:
    """Run ``workers`` processes under uvicorn's supervisor, each building its app from the
    environment (``create_app`` as a factory, so each opens its own registry and pool).
    Their metrics meet in a fresh ``PROMETHEUS_MULTIPROC_DIR`` unless one is given."""
    import uvicorn

    made = None
    if not os.environ.get(MULTIPROCESS_DIR):
        made = tempfile.mkdtemp(prefix="registry-metrics-")
        os.environ[MULTIPROCESS_DIR] = made
    try:
        uvicorn.run(APP_FACTORY, **server_options(settings, host=host, port=port, workers=workers))
    finally:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
            del os.environ[MULTIPROCESS_DIR]


def server_log_config(log_format: str = "text") -> dict[str, Any]:
    """uvicorn's logging, with the request target of every access line redacted (holder
    link secrets, tokens, query values) before any handler sees it; JSON lines when
    ``REGISTRY_LOG_FORMAT=json``."""
    import uvicorn.config

    config: dict[str, Any] = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["filters"] = {REDACTION_FILTER: {"()": "registry.http.redaction.AccessLogRedaction"}}
    config["loggers"]["uvicorn.access"]["filters"] = [REDACTION_FILTER]
    chosen = formatter_config(log_format)
    if chosen is not None:
        config["formatters"] = {"default": chosen, "access": chosen}
    return config


def server_options(settings: Settings, *, host: str, port: int, workers: int = 1) -> dict[str, Any]:
    """How ``serve`` runs uvicorn: proxy headers (``X-Forwarded-For``, ``-Proto``) are
    believed only from ``REGISTRY_TRUSTED_PROXIES``, and none when it is unset (uvicorn
    would otherwise trust 127.0.0.1); access lines go through the redaction filter; open
    requests get ``SHUTDOWN_GRACE`` seconds at shutdown; several workers each build the
    app from its factory."""
    trusted = list(settings.trusted_proxies)
    return {
        "host": host,
        "port": port,
        "factory": workers > 1,
        "workers": workers,
        "log_level": settings.log_level.lower(),
        "log_config": server_log_config(settings.log_format),
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
        "timeout_graceful_shutdown": SHUTDOWN_GRACE,
        "timeout_worker_healthcheck": WORKER_HEALTHCHECK,
    }


def server_config(app: Litestar, settings: Settings, *, host: str, port: int) -> uvicorn.Config:
    """The one-worker server's configuration (``server_options``)."""
    import uvicorn

    return uvicorn.Config(app, **server_options(settings, host=host, port=port))


COMMANDS: tuple[click.Command, ...] = (
    init,
    serve,
)
