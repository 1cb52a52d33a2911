"""The decision history as an auditor filters it: by reviewer, verdict, list, counterparty
and time, newest first. Reads the decision store's public iteration only."""

from __future__ import annotations

from collections import deque
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from compliance.review._canonical import parse_utc
from compliance.review.decisions import Decision, DecisionStore, Verdict


class DecisionFilters(BaseModel):
    """Every given field must match; times are inclusive bounds on ``decided_at``."""

    model_config = ConfigDict(frozen=True)

    reviewer: str | None = None
    verdict: Verdict | None = None
    list: str | None = None
    counterparty_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def matches(self, d: Decision) -> bool:
        if self.reviewer and d.reviewer != self.reviewer:
            return False
        if self.verdict is not None and d.verdict is not self.verdict:
            return False
        if self.list and d.key.list != self.list:
            return False
        if self.counterparty_id and d.counterparty_id != self.counterparty_id:
            return False
        if self.since is not None or self.until is not None:
            at = parse_utc(d.decided_at)
            if self.since is not None and at < self.since:
                return False
            if self.until is not None and at > self.until:
                return False
        return True


class DecisionHistory(BaseModel):
    model_config = ConfigDict(frozen=True)

    decisions: tuple[Decision, ...]
    matched: int
    total: int


def find_decisions(
    store: DecisionStore, filters: DecisionFilters | None = None, *, limit: int = 200
) -> DecisionHistory:
    """The latest ``limit`` decisions matching ``filters``, newest first, with counts."""
    chosen = filters or DecisionFilters()
    newest: deque[Decision] = deque(maxlen=limit)
    matched = total = 0
    for decision in store.all():
        total += 1
        if chosen.matches(decision):
            matched += 1
            newest.append(decision)
    return DecisionHistory(decisions=tuple(reversed(newest)), matched=matched, total=total)
