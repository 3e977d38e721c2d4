"""The Litestar application factory."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import Message, Scope

from registry import __version__
from registry.http.apidocs import LocalSwaggerUI
from registry.http.controllers.authority import AuthorityAdminController
from registry.http.controllers.batch import BatchVerifyController
from registry.http.controllers.catalogues import CatalogueController
from registry.http.controllers.certificates import (
    CertificateController,
    HolderCertificateController,
)
from registry.http.controllers.console import ConsoleController
from registry.http.controllers.console_sessions import ConsoleSessionController
from registry.http.controllers.continuing_education import ContinuingEducationController
from registry.http.controllers.credentials import IssueController, RecordController
from registry.http.controllers.holder import HolderLinkController, HolderPageController
from registry.http.controllers.lifecycle import LifecycleController
from registry.http.controllers.operations import HealthController
from registry.http.controllers.presentations import PresentationController
from registry.http.controllers.public import (
    DirectoryController,
    PageController,
    StatusListController,
    VocabularyController,
)
from registry.http.controllers.recognition import RecognitionAdminController
from registry.http.controllers.transparency import TransparencyController
from registry.http.controllers.trustlist import TrustListController
from registry.http.controllers.verify import (
    PartnerController,
    ScanController,
    VcApiVerifyController,
)
from registry.http.logformat import formatter_config
from registry.http.logwriter import BatchedLineHandler
from registry.http.metrics import metrics_middleware
from registry.http.problems import EXCEPTION_HANDLERS
from registry.http.ratelimit import (
    COUNTERS_STATE,
    REDIS_STATE,
    partner_rate_limit,
    redis_client,
    window_counters,
)
from registry.http.security import framed
from registry.http.wire_schemas import ClosedStructs, CredentialSchemas
from registry.services.access.tokens import Authenticator
from registry.services.issuance.session_jobs import SessionJobs
from registry.services.lifecycle.statuslists import StatusListPublisher
from registry.services.runtime.context import Registry
from registry.services.runtime.key_separation import check_key_separation
from registry.services.transparency.log import TransparencyLog
from registry.services.trust.trustlist_publication import TrustListPublisher
from registry.services.verification.verifier import Verifier
from registry.settings import Settings, get_settings

HERE = Path(__file__).parent
WORKER_HEADER = "Registry-Worker"
_WORKER = WORKER_HEADER.lower().encode("latin-1")
LINES_HANDLER = "registry_lines"  # the registry's own loggers' handler (``logwriter``)


async def answer_headers(message: Message, _: Scope) -> None:
    """The app's one ``before_send`` hook (a coroutine, so no thread hop), one pass over
    an answer's headers: the framing headers (``security.forbid_framing``), and the name of
    the process that served it, so an operator (and the multi-worker test) can see the
    load spread over the workers."""
    if message["type"] == "http.response.start":
        stamp = (_WORKER, str(os.getpid()).encode("latin-1"))  # a forked worker: its own
        message["headers"] = framed(message.get("headers", ()), stamp)


def create_app(settings: Settings | None = None, registry: Registry | None = None) -> Litestar:
    """Build the app; the registry is opened in the lifespan unless one is handed in."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        owned = registry is None
        # REGISTRY_KEY_SEPARATION=require: no serving beside the secrets (``registry init``
        # and ``serve`` print the warning of the default mode themselves).
        check_key_separation(settings, demo=True)
        opened = registry or Registry.open(settings)
        app.state.registry = opened
        app.state.settings = settings  # the app's own (a handed-in registry may differ)
        app.state.verifier = Verifier(opened)
        app.state.status_lists = StatusListPublisher(opened)
        app.state.transparency = TransparencyLog(opened)
        app.state.trust_list = TrustListPublisher(opened)
        app.state.authenticator = Authenticator(opened)
        app.state.session_jobs = SessionJobs(opened)
        client = redis_client(settings)
        app.state[REDIS_STATE] = client
        app.state[COUNTERS_STATE] = window_counters(client)
        if owned:
            # A serving worker keeps its start-up objects (code lists, schemas, metadata) for
            # life: freezing them spares every garbage collection a walk over them, which
            # otherwise costs a batch of 1,000 answers about as much as their signatures.
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            app.state.session_jobs.interrupt_own()  # uploads this worker leaves unfinished
            if client is not None:
                await client.aclose()
            if owned:
                opened.close()
            for handler in logging.getLogger("registry").handlers:
                handler.flush()  # the lines the writer thread has not written yet

    def provide_registry() -> Registry:
        current: Registry = app.state.registry
        return current

    app = Litestar(
        route_handlers=[
            HealthController,
            IssueController,
            RecordController,
            LifecycleController,
            HolderLinkController,
            HolderPageController,
            CertificateController,
            HolderCertificateController,
            VcApiVerifyController,
            PresentationController,
            PartnerController,
            BatchVerifyController,
            AuthorityAdminController,
            RecognitionAdminController,
            ScanController,
            DirectoryController,
            StatusListController,
            CatalogueController,
            ContinuingEducationController,
            TransparencyController,
            TrustListController,
            VocabularyController,
            PageController,
            ConsoleController,
            ConsoleSessionController,
            create_static_files_router(
                path="/static", directories=[HERE / "static"], include_in_schema=False
            ),
        ],
        dependencies={"registry": Provide(provide_registry, sync_to_thread=False)},
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[answer_headers],
        plugins=[CredentialSchemas(), ClosedStructs()],
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        template_config=TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine),
        openapi_config=OpenAPIConfig(
            title="YRD talent-credential registry / 长三角示范区人才证书登记系统",
            version=__version__,
            path="/schema",
            render_plugins=[LocalSwaggerUI()],
        ),
        cors_config=CORSConfig(
            allow_origins=["*"],
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        ),
        middleware=[metrics_middleware, partner_rate_limit(settings).middleware],
        logging_config=LoggingConfig(
            configure_root_logger=False,
            **log_formatters(settings),
            handlers={LINES_HANDLER: {"()": BatchedLineHandler, "formatter": "standard"}},
            loggers={
                "registry": {
                    "level": settings.log_level,
                    "handlers": [LINES_HANDLER],
                    "propagate": True,
                }
            },
            log_exceptions="never",
        ),
    )
    return app


def log_formatters(settings: Settings) -> dict[str, Any]:
    """Litestar's ``standard`` formatter replaced by JSON lines when asked."""
    chosen = formatter_config(settings.log_format)
    return {} if chosen is None else {"formatters": {"standard": chosen}}


__all__ = ["create_app", "logging"]
