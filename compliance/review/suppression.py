"""Apply stored decisions to a screening result: suppress decided false positives.

A false positive is suppressed only while its key still matches exactly (same counterparty
screened fields, same list entry id, same entry content hash) and it has not expired; anything
else brings the hit back as an open alert, with a note saying which earlier decision lapsed and
why. Suppressed hits stay in the result, marked, with the decision that suppressed them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from compliance.review.decisions import Decision, DecisionStore, Verdict
from compliance.review.fingerprint import HitKey, hit_key
from compliance.screening.results import Hit, ScreeningResult, Status


class HitState(StrEnum):
    """A hit after decisions are applied; open and escalated hits still need a reviewer."""

    OPEN = "open"
    SUPPRESSED = "suppressed"
    CONFIRMED = "confirmed"
    ESCALATED = "escalated"


class ReviewedHit(BaseModel):
    model_config = ConfigDict(frozen=True)

    hit: Hit
    key: HitKey
    state: HitState
    decision: Decision | None = None
    notes: tuple[str, ...] = ()


class ReviewedResult(BaseModel):
    """A screening result with its decisions applied; ``status`` ignores suppressed hits."""

    model_config = ConfigDict(frozen=True)

    result: ScreeningResult
    status: Status
    hits: tuple[ReviewedHit, ...]

    @property
    def open_hits(self) -> tuple[ReviewedHit, ...]:
        return tuple(h for h in self.hits if h.state in (HitState.OPEN, HitState.ESCALATED))


def reviewed_status(result: ScreeningResult, hits: Sequence[ReviewedHit]) -> Status:
    """Alert if any unsuppressed hit alerts or is a confirmed match; review if any is left."""
    if result.status is Status.ERROR:
        return Status.ERROR
    live = [h for h in hits if h.state is not HitState.SUPPRESSED]
    if not live:
        return Status.CLEAR
    if any(h.state is HitState.CONFIRMED or h.hit.status is Status.ALERT for h in live):
        return Status.ALERT
    return Status.REVIEW


def apply_decisions(
    result: ScreeningResult, store: DecisionStore, *, now: datetime | None = None
) -> ReviewedResult:
    """Mark each hit open, suppressed, confirmed or escalated from the store's decisions."""
    moment = now if now is not None else datetime.now(UTC)
    party = result.party
    reviewed: list[ReviewedHit] = []
    for hit in result.hits:
        if party is None:  # error rows carry no hits; kept defensive
            continue
        key = hit_key(party, hit)
        reviewed.append(_review_hit(hit, key, store, moment, party.id))
    return ReviewedResult(
        result=result, status=reviewed_status(result, reviewed), hits=tuple(reviewed)
    )


def _review_hit(
    hit: Hit, key: HitKey, store: DecisionStore, now: datetime, counterparty_id: str | None
) -> ReviewedHit:
    decision = store.current(key)
    if decision is None:
        notes = tuple(_lapsed_note(d, key) for d in store.earlier_versions(key, counterparty_id))
        return ReviewedHit(hit=hit, key=key, state=HitState.OPEN, notes=notes)
    if decision.verdict is Verdict.TRUE_MATCH:
        return ReviewedHit(hit=hit, key=key, state=HitState.CONFIRMED, decision=decision)
    if decision.verdict is Verdict.ESCALATE:
        return ReviewedHit(hit=hit, key=key, state=HitState.ESCALATED, decision=decision)
    if decision.expired(now):
        note = f"{decision.summary()} -- expired on {decision.expires_at}: a fresh alert"
        return ReviewedHit(hit=hit, key=key, state=HitState.OPEN, notes=(note,))
    return ReviewedHit(hit=hit, key=key, state=HitState.SUPPRESSED, decision=decision)


def _lapsed_note(old: Decision, key: HitKey) -> str:
    changed = []
    if old.key.entry_hash != key.entry_hash:
        changed.append("the list entry changed")
    if old.key.party_fingerprint != key.party_fingerprint:
        changed.append("the counterparty's screened fields changed")
    return f"{old.summary()} -- no longer applies: {' and '.join(changed)}"
