"""``GET /v1/lists``: the snapshots in use and each source's staleness; admin reload."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from compliance.service.errors import ERROR_RESPONSES
from compliance.service.routers.common import generation, in_thread, service
from compliance.service.security import require
from compliance.users import Principal

router = APIRouter(prefix="/v1", tags=["lists"], responses=ERROR_RESPONSES)


@router.get("/lists")
async def lists(
    request: Request, _: Annotated[Principal, Depends(require("screen"))]
) -> dict[str, Any]:
    """What screening runs against (snapshots, weights, thresholds, version) and the
    status of every source of the store (``compliance lists status``), with the limits."""
    state = service(request)
    gen = generation(request)
    rows = await in_thread(request, state.lists_status) if not state.config.lists else []
    return {
        "screening": gen.metadata(),
        "sources": rows,
        "limits": state.config.limits.model_dump(mode="json"),
    }


@router.post("/admin/reload")
async def reload(
    request: Request, _: Annotated[Principal, Depends(require("admin"))]
) -> dict[str, Any]:
    """Look for new snapshots now; a new index is loaded beside the old and swapped in."""
    state = service(request)
    swapped = await in_thread(request, state.reload)
    return {"swapped": swapped, "screening": state.generation().metadata()}
