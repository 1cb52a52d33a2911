"""``POST /v1/screen`` (one party) and ``POST /v1/screen/batch`` (JSON or NDJSON stream)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from compliance.json_input import repeated_key
from compliance.screening.normalize import normalize_name
from compliance.screening.results import Party, ScreeningResult, Status
from compliance.service.errors import ERROR_RESPONSES, FieldError, PayloadTooLargeError
from compliance.service.fastpath import lean_route
from compliance.service.limits import PartyRequest, check_party
from compliance.service.routers.common import generation, in_thread, service, with_screener
from compliance.service.security import require
from compliance.service.state import Generation
from compliance.users import Principal

router = APIRouter(prefix="/v1", tags=["screening"], responses=ERROR_RESPONSES)
NDJSON = "application/x-ndjson"
STREAM_BLOCK = 256  # parties screened per step of a stream (one lock hold each)

MaxHits = Annotated[
    int | None,
    Query(
        ge=0,
        description="hits per result: the strongest N, the rest counted in hits_omitted; "
        "0: every hit (default: the service's max_hits, 10 unless configured; GET /v1/lists)",
    ),
]


class ScreenBatch(BaseModel):
    """Parties to screen in one request, in order; each gets exactly one result."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    parties: list[PartyRequest] = Field(description="the parties, in order (limit: see /v1/lists)")


class BatchResults(BaseModel):
    """Results in request order, with counts per status and what was screened against."""

    results: list[ScreeningResult]
    counts: dict[str, int]
    screening: dict[str, Any] = Field(description="snapshots, weights, version (GET /v1/lists)")


def capped(result: ScreeningResult, max_hits: int) -> ScreeningResult:
    """``result`` with its strongest ``max_hits`` hits (0: all), the rest counted in
    ``hits_omitted``. Hits are ordered strongest first and the status was decided on all of
    them, so a cap never changes the status."""
    if max_hits == 0 or len(result.hits) <= max_hits:
        return result
    extra = len(result.hits) - max_hits
    return result.model_copy(
        update={"hits": result.hits[:max_hits], "hits_omitted": result.hits_omitted + extra}
    )


def _comparable(party: Party) -> bool:
    """Whether the name or an alias keeps a letter or digit after normalisation (what
    ``Screener.screen`` needs to compare anything)."""
    return any(normalize_name(n).tokens for n in (party.name, *party.aliases))


def _party_chars(party: Party) -> int:
    """What screening a party costs grows with: the characters of its name and aliases."""
    return len(party.name) + sum(len(alias) for alias in party.aliases)


_QUERY_PARAMETERS = frozenset({"max_hits"})


async def _refuse_what_would_be_ignored(request: Request, keys: Sequence[str] | None) -> None:
    """A 422 naming a query parameter the endpoint does not take (``?lists=SDN`` would
    otherwise screen against every list, ``?max_hit=0`` cap the hits as usual) or a key
    given twice in the body (the last would win silently)."""
    if request.scope.get("query_string"):
        for name in request.query_params:
            if name not in _QUERY_PARAMETERS:
                raise FieldError(
                    name,
                    "unknown query parameter: this endpoint takes max_hits only (the lists "
                    "screened are every list in use, GET /v1/lists)",
                )
    twice = repeated_key(await request.body(), keys=keys)
    if twice is not None:
        raise FieldError(twice, "given twice in one object; keep one")


def _keys(party: Party) -> list[str]:
    """The keys a party's JSON can hold (the only ones a validated body can repeat)."""
    return [*party.model_fields_set, *party.extra]


def _max_hits(request: Request, asked: int | None) -> int:
    return service(request).config.limits.max_hits if asked is None else asked


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


async def screen(
    party: PartyRequest,
    request: Request,
    _: Annotated[Principal, Depends(require("screen"))],
    max_hits: MaxHits = None,
) -> Response:
    """Screen one party against the lists in use; the result names them. The strongest
    ``max_hits`` hits are returned and the rest counted in ``hits_omitted`` (the status is
    decided on every hit; ``?max_hits=0`` returns them all)."""
    state = service(request)
    limits = state.config.limits
    await _refuse_what_would_be_ignored(request, _keys(party))
    check_party(party, limits)
    _note_parties(request, [party])
    cap = _max_hits(request, max_hits)
    audit = state.config.audit_screenings
    # without the audit trail only the hits shown are built (the rest are counted)
    build = None if audit or cap == 0 else cap
    result = await with_screener(
        request,
        lambda s: s.screen(party, max_hits=build),
        inline=_party_chars(party) <= limits.inline_max_chars,
    )
    if result.status is Status.ERROR and not _comparable(party):
        # one party with nothing to screen is the request's fault (in a batch, that row's
        # error result, as in the CLI); the message never echoes the name
        raise FieldError("name", "nothing to compare: no letter or digit in name or aliases")
    if audit:  # every hit, whatever the response shows
        await in_thread(request, lambda: _audit(request, [result]))
    # the library's own JSON, as the CLI writes it (no second validation pass)
    body = capped(result, cap).model_dump_json()
    return Response(body, media_type="application/json")


# the common request skips FastAPI's generic parameter solving (fastpath.py)
router.add_api_route(
    "/screen",
    screen,
    methods=["POST"],
    response_model=ScreeningResult,
    route_class_override=lean_route(PartyRequest, "screen"),
)


@router.post(
    "/screen/batch",
    response_model=BatchResults,
    responses={200: {"content": {NDJSON: {"schema": {"type": "string"}}}}},
)
async def screen_batch(
    batch: ScreenBatch,
    request: Request,
    _: Annotated[Principal, Depends(require("screen"))],
    max_hits: MaxHits = None,
) -> Any:
    """Screen many parties. With ``Accept: application/x-ndjson`` the results stream, one JSON
    object per line in request order, as they are screened. Hits per result as for
    ``POST /v1/screen`` (``max_hits``)."""
    await _refuse_what_would_be_ignored(request, None)
    _checked(request, batch.parties, "parties.")
    _note_parties(request, batch.parties)
    cap = _max_hits(request, max_hits)
    if NDJSON in request.headers.get("accept", ""):
        return StreamingResponse(_stream(request, batch.parties, cap), media_type=NDJSON)
    results = await with_screener(request, lambda s: s.screen_many(batch.parties))
    if service(request).config.audit_screenings:
        await in_thread(request, lambda: _audit(request, results))
    counts = {s.value: 0 for s in Status}
    for r in results:
        counts[r.status.value] += 1
    body = BatchResults(
        results=[capped(r, cap) for r in results],
        counts=counts,
        screening=request.state.generation.metadata(),
    )
    return Response(body.model_dump_json(), media_type="application/json")


async def _stream(request: Request, parties: Sequence[Party], max_hits: int) -> Any:
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
        yield "".join(_lines(results, max_hits))


def _screen_block(gen: Generation, block: Sequence[Party]) -> list[ScreeningResult]:
    return gen.run(lambda s: s.screen_many(block))


def _lines(results: list[ScreeningResult], max_hits: int) -> Iterator[str]:
    for r in results:
        yield capped(r, max_hits).model_dump_json() + "\n"


def _audit(request: Request, results: list[ScreeningResult]) -> None:
    from compliance.review.workflow import record_screening

    state = service(request)
    record_screening(results, state.review_db, actor=getattr(request.state, "principal", None))
