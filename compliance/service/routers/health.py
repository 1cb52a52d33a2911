"""``/healthz`` (the process answers) and ``/readyz`` (a screener is loaded): no key needed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from compliance._version import __version__
from compliance.service.routers.common import service

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, Any]:
    return {"status": "ok", "library_version": __version__}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    state = service(request)
    if not state.ready:
        body = {"status": "loading", "error": state.load_error, "library_version": __version__}
        return JSONResponse(body, status_code=503)
    gen = state.generation()
    snapshots = list(gen.snapshot_ids)
    return JSONResponse({"status": "ready", "snapshots": snapshots, "library_version": __version__})
