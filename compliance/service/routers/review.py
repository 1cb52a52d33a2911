"""Review endpoints over ``compliance.review.workflow``: open hits, decisions, the audit chain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from compliance.review.audit import VerifyReport
from compliance.review.decisions import Decision, Verdict
from compliance.review.suppression import ReviewedResult
from compliance.service.errors import ERROR_RESPONSES
from compliance.service.limits import PartyRequest, check_party
from compliance.service.routers.common import in_thread, service, with_screener
from compliance.service.routers.screening import ScreenBatch, _checked
from compliance.service.security import require
from compliance.users import Principal

router = APIRouter(prefix="/v1/review", tags=["review"], responses=ERROR_RESPONSES)


class DecisionRequest(BaseModel):
    """A decision on one hit: the party exactly as screened, and the entry it hit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    party: PartyRequest
    list: str = Field(min_length=1, max_length=32, description="list code, e.g. EL")
    entry_id: str = Field(min_length=1, max_length=128)
    verdict: Verdict
    reason: str = Field(min_length=1, max_length=4000)
    expires_at: datetime | None = Field(
        default=None, description="false positives only: the suppression lapses then"
    )


@router.post("/alerts", response_model=list[ReviewedResult])
async def alerts(
    batch: ScreenBatch,
    request: Request,
    principal: Annotated[Principal, Depends(require("review"))],
) -> list[ReviewedResult]:
    """Screen the parties (recorded in the audit trail) and apply the recorded decisions:
    each hit comes back open, suppressed, confirmed or escalated."""
    from compliance.review.workflow import reviewed, screen_and_audit

    _checked(request, batch.parties, "parties.")
    request.state.party_count = len(batch.parties)
    db = service(request).review_db
    results = await with_screener(
        request, lambda s: screen_and_audit(s, batch.parties, db, actor=principal.name)
    )
    return await in_thread(request, lambda: reviewed(results, db))


@router.post("/decisions", response_model=Decision, status_code=201)
async def record_decision(
    body: DecisionRequest,
    request: Request,
    principal: Annotated[Principal, Depends(require("review"))],
) -> Decision:
    """Record a verdict on a hit the party has now; the reviewer is the API key's user."""
    from compliance.review.workflow import decide_on_hit

    check_party(body.party, service(request).config.limits, "party.")
    request.state.party_count = 1
    db = service(request).review_db
    return await with_screener(
        request,
        lambda s: decide_on_hit(
            s,
            body.party,
            body.list,
            body.entry_id,
            body.verdict,
            reviewer=principal.name,
            reason=body.reason,
            db=db,
            expires=body.expires_at,
        ),
    )


@router.get("/audit/verify", response_model=VerifyReport)
async def verify_audit(
    request: Request, _: Annotated[Principal, Depends(require("review"))]
) -> VerifyReport:
    """Walk the hash chain of the audit trail; ``ok`` false names the first broken record."""
    from compliance.review.workflow import verify_audit as verify

    db = service(request).review_db
    return await in_thread(request, lambda: verify(db))
