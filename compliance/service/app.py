"""The app factory: ``create_app(config)`` wires state, middleware, error mapping and routers.

The screener loads in a worker thread at start-up (``/healthz`` answers at once, ``/readyz``
says 503 until it is loaded); a background task looks for new snapshots every
``reload_interval_s`` and swaps a new generation in without a restart (``state.py``).
If the review page (``compliance.web``, issue 13) is installed, it is mounted at ``/ui``
with this service's state as its ``WebContext``.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

import anyio
from fastapi import FastAPI

from compliance._version import __version__
from compliance.errors import ConfigurationError
from compliance.service.config import ServiceConfig
from compliance.service.errors import install as install_errors
from compliance.service.middleware import ServiceMiddleware
from compliance.service.routers import evaluate, health, lists, review, screening
from compliance.service.state import ServiceState
from compliance.users import UserDirectory

log = logging.getLogger("compliance.service")

CONFIG_ENV = "COMPLIANCE_SERVICE_CONFIG"
"""The JSON of the ``ServiceConfig`` that ``compliance serve --workers N`` hands its workers."""


def create_app(
    config: ServiceConfig | None = None, *, users: UserDirectory | None = None
) -> FastAPI:
    """The HTTP API over the library. ``users`` overrides the users file (tests, embedding)."""
    config = config if config is not None else ServiceConfig()
    state = ServiceState(config, users)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(_first_load(state))]
        if config.reload_interval_s > 0 and not config.lists:
            tasks.append(asyncio.create_task(_watch(state, config.reload_interval_s)))
        if config.queue_sync_interval_s > 0 and importlib.util.find_spec("compliance.web"):
            tasks.append(asyncio.create_task(_keep_queue(state, config.queue_sync_interval_s)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    app = FastAPI(
        title="compliance",
        version=__version__,
        summary="Restricted-party screening and EAR determinations over HTTP",
        description=(
            "Every response names the list snapshots, word weights and library version used "
            "(in the body and in the X-Compliance-* headers). Authenticate with an API key "
            "(X-API-Key or Authorization: Bearer); roles: screen, evaluate, review, admin. "
            'Errors are JSON: {"error": {"type", "message", "fields", "request_id"}}.'
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = state
    install_errors(app)
    for module in (health, screening, evaluate, lists, review):
        app.include_router(module.router)
    _mount_review_page(app, state)
    app.add_middleware(
        ServiceMiddleware,
        max_body_bytes=config.limits.max_body_bytes,
        log_party_names=config.log_party_names,
    )
    return app


def configure_logging() -> None:
    """The service's log as ``compliance serve`` writes it: INFO and up to stderr, one
    message a line (the access log's lines are JSON objects). A no-op where logging is
    configured already (an embedding application's own set-up wins)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")


def create_app_from_environment() -> FastAPI:
    """The factory each worker process of ``compliance serve --workers N`` calls. A worker
    is a new interpreter: it sets up the log itself, or its access log would be lost."""
    raw = os.environ.get(CONFIG_ENV)
    if raw is None:
        raise ConfigurationError(f"${CONFIG_ENV} is not set (set by compliance serve)")
    configure_logging()
    return create_app(ServiceConfig.model_validate_json(raw))


async def _first_load(state: ServiceState) -> None:
    try:
        await anyio.to_thread.run_sync(state.reload)
    except Exception:  # reported by /readyz (load_error) and in the log
        log.exception("could not load the screening lists")


async def _watch(state: ServiceState, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        if not state.ready:
            continue
        try:
            await anyio.to_thread.run_sync(
                lambda: state.reload(wait_for_index_s=state.config.index_wait_s)
            )
        except Exception:
            log.exception("reload failed; still serving the previous lists")


async def _keep_queue(state: ServiceState, interval: float) -> None:
    """Take screening runs recorded by other processes into the review queue ahead of the
    pages (``ReviewQueue.sync``), so the first reviewer after a large run does not wait."""
    from compliance.review.queue import ReviewQueue

    def sync() -> None:
        if state.review_db.exists():  # never create the review database just to look
            with ReviewQueue(state.review_db) as queue:
                queue.sync()

    while True:
        await asyncio.sleep(interval)
        try:
            await anyio.to_thread.run_sync(sync)
        except Exception:
            log.exception("review queue sync failed; the pages sync when read")


def _mount_review_page(app: FastAPI, state: ServiceState) -> None:
    """Mount ``compliance.web`` (the review page) at /ui when it is installed."""
    if importlib.util.find_spec("compliance.web") is None:
        return
    web: Any = importlib.import_module("compliance.web")
    create_router = getattr(web, "create_router", None)
    if create_router is None:
        return
    app.include_router(create_router(state), prefix="/ui")
