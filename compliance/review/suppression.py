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
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from compliance._sqlite import readable
from compliance.review.audit import default_path
from compliance.review.decisions import Decision, DecisionNotVerifiable, DecisionStore, Verdict
from compliance.review.fingerprint import HitKey, hit_key
from compliance.screening.results import Hit, HitReview, ScreeningResult, Status


class HitState(StrEnum):
    """A hit after decisions are applied; open, escalated and unverifiable hits need a
    reviewer."""

    OPEN = "open"
    SUPPRESSED = "suppressed"
    CONFIRMED = "confirmed"
    ESCALATED = "escalated"
    UNVERIFIABLE = "unverifiable"
    """The latest decision on the hit is not proven by the audit chain: not applied, and the
    hit counts as an alert until someone looks."""


NEEDS_REVIEWER = frozenset({HitState.OPEN, HitState.ESCALATED, HitState.UNVERIFIABLE})


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
        return tuple(h for h in self.hits if h.state in NEEDS_REVIEWER)


def reviewed_status(result: ScreeningResult, hits: Sequence[ReviewedHit]) -> Status:
    """Alert if any unsuppressed hit alerts, is a confirmed match or has an unverifiable
    decision; review if any is left."""
    if result.status is Status.ERROR:
        return Status.ERROR
    live = [h for h in hits if h.state is not HitState.SUPPRESSED]
    if not live:
        return Status.CLEAR
    raised = (HitState.CONFIRMED, HitState.UNVERIFIABLE)
    if any(h.state in raised or h.hit.status is Status.ALERT for h in live):
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
        reviewed.append(_review_hit(hit, hit_key(party, hit), store, moment))
    return ReviewedResult(
        result=result, status=reviewed_status(result, reviewed), hits=tuple(reviewed)
    )


def _review_hit(hit: Hit, key: HitKey, store: DecisionStore, now: datetime) -> ReviewedHit:
    try:
        decision = store.current(key)
    except DecisionNotVerifiable as exc:
        note = f"decision not verifiable: {exc}; not applied"
        return ReviewedHit(hit=hit, key=key, state=HitState.UNVERIFIABLE, notes=(note,))
    if decision is None:
        notes = tuple(_lapsed_note(d, key) for d in store.earlier_versions(key))
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
    if old.key.counterparty_id != key.counterparty_id:
        changed.append("it was recorded before decisions were kept per counterparty id")
    return f"{old.summary()} -- no longer applies: {' and '.join(changed)}"


def apply_decisions_many(
    results: Sequence[ScreeningResult], store: DecisionStore, *, now: datetime | None = None
) -> list[ReviewedResult]:
    """:func:`apply_decisions` for a batch, at one moment."""
    moment = now if now is not None else datetime.now(UTC)
    return [apply_decisions(r, store, now=moment) for r in results]


def annotated(reviewed: ReviewedResult) -> ScreeningResult:
    """The screening result as ``compliance screen`` reports it after decisions.

    Every hit with a decision or a note carries ``review`` (state, decision id, verdict,
    notes); the status is the reviewed one, so a suppressed hit no longer sets the review or
    alert exit bits. Hits without decisions are unchanged, so their output bytes are too.
    """
    hits = []
    for h in reviewed.hits:
        if h.decision is None and not h.notes:
            hits.append(h.hit)
            continue
        review = HitReview(
            state=h.state.value,
            decision_id=h.decision.seq if h.decision is not None else None,
            verdict=h.decision.verdict.value if h.decision is not None else None,
            reviewer=h.decision.reviewer if h.decision is not None else None,
            notes=h.notes,
        )
        hits.append(h.hit.model_copy(update={"review": review}))
    return reviewed.result.model_copy(update={"hits": tuple(hits), "status": reviewed.status})


def suppressed_count(reviewed: Sequence[ReviewedResult]) -> int:
    return sum(1 for r in reviewed for h in r.hits if h.state is HitState.SUPPRESSED)


class DecisionsApplied(BaseModel):
    """Screening results after the recorded decisions of a review database were applied."""

    model_config = ConfigDict(frozen=True)

    results: tuple[ScreeningResult, ...] = Field(
        description="annotated results (see ``annotated``); unchanged if nothing applied"
    )
    store: str | None = Field(description="the review database read, None if there was none")
    suppressed: int = 0
    unverifiable: int = 0
    reviewed: tuple[ReviewedResult, ...] = ()


def apply_recorded_decisions(
    results: Sequence[ScreeningResult],
    path: Path | str | None = None,
    *,
    now: datetime | None = None,
) -> DecisionsApplied:
    """Apply the decisions of the review database at ``path`` (default: the default one).

    The database is opened read-only; when it does not exist there is nothing to apply and
    the results come back unchanged (``store`` None). This is what ``compliance screen`` does
    unless ``--ignore-decisions``.
    """
    target = Path(path) if path is not None else default_path()
    if not target.is_file():
        return DecisionsApplied(results=tuple(results), store=None)
    with readable(target), DecisionStore.open_readonly(target) as store:
        reviewed = apply_decisions_many(results, store, now=now)
    unverifiable = sum(1 for r in reviewed for h in r.hits if h.state is HitState.UNVERIFIABLE)
    return DecisionsApplied(
        results=tuple(annotated(r) for r in reviewed),
        store=str(target),
        suppressed=suppressed_count(reviewed),
        unverifiable=unverifiable,
        reviewed=tuple(reviewed),
    )
