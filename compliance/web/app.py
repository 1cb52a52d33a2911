"""A FastAPI app serving only the review pages, for tests, benchmarks and a quick local look.

The service (``compliance serve``) mounts the same router in its own app; this one exists so
the pages can be run and tested on their own.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from compliance.web.context import WebContext
from compliance.web.router import create_router

PREFIX = "/ui"


def standalone_app(context: WebContext) -> FastAPI:
    """The review pages at ``/ui``, and ``/`` redirecting there; no API docs routes."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(create_router(context), prefix=PREFIX)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    return app
