"""``POST /v1/screen`` (one party) and ``POST /v1/screen/batch`` (JSON or NDJSON stream)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from compliance.screening.results import Party, ScreeningResult, Status
from compliance.service.errors import ERROR_RESPONSES, PayloadTooLargeError
from compliance.service.limits import PartyRequest, check_party
from compliance.service.routers.common import generation, in_thread, service, with_screener
from compliance.service.security import require
from compliance.service.state import Generation
from compliance.users import Principal

router = APIRouter(prefix="/v1", tags=["screening"], responses=ERROR_RESPONSES)
NDJSON = "application/x-ndjson"
STREAM_BLOCK = 256  # parties screened per step of a stream (one lock hold each)


class ScreenBatch(BaseModel):
    """Parties to screen in one request, in order; each gets exactly one result."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    parties: list[PartyRequest] = Field(description="the parties, in order (limit: see /v1/lists)")


class BatchResults(BaseModel):
    """Results in request order, with counts per status and what was screened against."""

    results: list[ScreeningResult]
    counts: dict[str, int]
    screening: dict[str, Any] = Field(description="snapshots, weights, version (GET /v1/lists)")


def _note_parties(request: Request, parties: Sequence[Party]) -> None:
    request.state.party_count = len(parties)
    if service(request).config.log_party_names:
        request.state.party_names = [p.name for p in parties]


def _checked(request: Request, parties: Sequence[Party], prefix: str) -> None:
    limits = service(request).config.limits
    if len(parties) > limits.max_batch:
        raise PayloadTooLargeError(
            f"{len(parties)} parties in one batch; the limit is {limits.max_batch}",
            field="parties",
        )
    for k, party in enumerate(parties):
        check_party(party, limits, f"{prefix}{k}." if prefix else "")


@router.post("/screen", response_model=ScreeningResult)
async def screen(
    party: PartyRequest, request: Request, _: Annotated[Principal, Depends(require("screen"))]
) -> Response:
    """Screen one party against the lists in use; the result names them."""
    check_party(party, service(request).config.limits)
    _note_parties(request, [party])
    result = await with_screener(request, lambda s: s.screen(party))
    if service(request).config.audit_screenings:
        await in_thread(request, lambda: _audit(request, [result]))
    # the library's own JSON, as the CLI writes it (no second validation pass)
    return Response(result.model_dump_json(), media_type="application/json")


@router.post(
    "/screen/batch",
    response_model=BatchResults,
    responses={200: {"content": {NDJSON: {"schema": {"type": "string"}}}}},
)
async def screen_batch(
    batch: ScreenBatch,
    request: Request,
    _: Annotated[Principal, Depends(require("screen"))],
) -> Any:
    """Screen many parties. With ``Accept: application/x-ndjson`` the results stream, one JSON
    object per line in request order, as they are screened."""
    _checked(request, batch.parties, "parties.")
    _note_parties(request, batch.parties)
    if NDJSON in request.headers.get("accept", ""):
        return StreamingResponse(_stream(request, batch.parties), media_type=NDJSON)
    results = await with_screener(request, lambda s: s.screen_many(batch.parties))
    if service(request).config.audit_screenings:
        await in_thread(request, lambda: _audit(request, results))
    counts = {s.value: 0 for s in Status}
    for r in results:
        counts[r.status.value] += 1
    body = BatchResults(
        results=results, counts=counts, screening=request.state.generation.metadata()
    )
    return Response(body.model_dump_json(), media_type="application/json")


async def _stream(request: Request, parties: Sequence[Party]) -> Any:
    """Screen block by block in a worker thread, yielding each block's lines as it is done;
    past the deadline, one error line ends the stream (HTTP status is already sent)."""
    gen = generation(request)
    deadline = time.monotonic() + service(request).config.limits.request_timeout_s
    for lo in range(0, len(parties), STREAM_BLOCK):
        block = parties[lo : lo + STREAM_BLOCK]
        if time.monotonic() > deadline:
            error = {"error": {"type": "timeout", "message": f"stopped after {lo} parties"}}
            yield json.dumps(error) + "\n"
            return
        results = await anyio.to_thread.run_sync(_screen_block, gen, block)
        if service(request).config.audit_screenings:
            await anyio.to_thread.run_sync(_audit, request, results)
        yield "".join(_lines(results))


def _screen_block(gen: Generation, block: Sequence[Party]) -> list[ScreeningResult]:
    return gen.run(lambda s: s.screen_many(block))


def _lines(results: list[ScreeningResult]) -> Iterator[str]:
    for r in results:
        yield r.model_dump_json() + "\n"


def _audit(request: Request, results: list[ScreeningResult]) -> None:
    from compliance.review.workflow import record_screening

    state = service(request)
    record_screening(results, state.review_db, actor=getattr(request.state, "principal", None))
