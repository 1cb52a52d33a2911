"""The review workflow every door shares: screen and audit, apply decisions, decide on a hit.

``compliance review`` (CLI), the service's ``/v1/review`` endpoints and the review page call
these, so a screening made for review is always in the audit trail, and a decision is always
keyed on the party exactly as screened (``hit_key``: every screened field plus the entry's
content hash).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from compliance.errors import NotFoundError
from compliance.review.audit import AuditLog, VerifyReport, screening_event
from compliance.review.decisions import Decision, DecisionStore, Verdict, decide
from compliance.review.suppression import ReviewedResult, apply_decisions
from compliance.screening.results import Party, ScreeningResult
from compliance.screening.screener import Screener


def record_screening(
    results: Sequence[ScreeningResult],
    db: Path | None,
    *,
    actor: str | None = None,
    input_sha256: str | None = None,
) -> None:
    """Append one screening run (clear rows included) to the hash-chained audit trail."""
    with AuditLog(db) as log:
        log.append_many([screening_event(results, input_sha256=input_sha256, actor=actor)])


def screen_and_audit(
    screener: Screener,
    parties: Sequence[Party],
    db: Path | None,
    *,
    actor: str | None = None,
    input_sha256: str | None = None,
) -> list[ScreeningResult]:
    """Screen ``parties`` and record the run in the audit trail before returning it."""
    results = screener.screen_many(list(parties))
    record_screening(results, db, actor=actor, input_sha256=input_sha256)
    return results


def screen_file_and_audit(
    screener: Screener,
    path: Path,
    db: Path | None,
    *,
    actor: str | None = None,
) -> list[ScreeningResult]:
    """Screen every row of the party file at ``path`` (error rows keep their place) and
    record the run, with the file's SHA-256, in the audit trail before returning it: what
    ``compliance review alerts`` and ``review decide`` do with an input file."""
    from compliance.io.batch import screen_rows
    from compliance.io.parties import read_parties

    results = screen_rows(screener, read_parties(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    record_screening(results, db, actor=actor, input_sha256=digest)
    return results


def reviewed(
    results: Sequence[ScreeningResult], db: Path | None, *, now: datetime | None = None
) -> list[ReviewedResult]:
    """Each result with the recorded decisions applied (open, suppressed, confirmed, ...)."""
    with DecisionStore(db) as store:
        return [apply_decisions(r, store, now=now) for r in results]


def decide_on_hit(
    screener: Screener,
    party: Party,
    list_code: str,
    entry_id: str,
    verdict: Verdict | str,
    *,
    reviewer: str,
    reason: str,
    db: Path | None,
    expires: datetime | None = None,
) -> Decision:
    """Screen ``party`` afresh, find its hit on ``list_code:entry_id`` and record a decision
    on it (with an audit record). ``NotFoundError`` when the party does not hit that entry
    now: a decision is only ever recorded on a hit as currently screened."""
    result = screener.screen(party)
    for hit in result.hits:
        if hit.list == list_code and hit.entry_id == entry_id:
            decision = decide(
                party, hit, verdict, reviewer=reviewer, reason=reason, expires=expires
            )
            with AuditLog(db) as audit, DecisionStore(audit=audit) as store:
                return store.record(decision, actor=reviewer)
    raise NotFoundError(
        f"entry {list_code}:{entry_id}: not a hit of this party under the current lists"
    )


def verify_audit(db: Path | None) -> VerifyReport:
    """Verify the review database read-only (``compliance.review.verify.verify_store``): the
    chain, the decisions it proves and its append-only triggers. ``NotFoundError`` when
    there is no audit trail yet."""
    from compliance.review.verify import verify_store

    return verify_store(db)
