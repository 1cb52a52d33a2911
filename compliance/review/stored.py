"""Decisions applied to the counterparty store's latest results (``compliance rescreen``).

The counterparty store keeps one result per counterparty; reviewing it needs no new screening,
so open alerts after a list update are exactly the stored hits no decision covers any more.
"""

from __future__ import annotations

from datetime import datetime

from compliance.rescreen.store import CounterpartyStore
from compliance.review.decisions import DecisionStore
from compliance.review.suppression import ReviewedResult, apply_decisions


def reviewed_counterparties(
    counterparties: CounterpartyStore,
    decisions: DecisionStore,
    *,
    now: datetime | None = None,
) -> list[ReviewedResult]:
    """Every stored result with decisions applied, ordered by counterparty id."""
    results = sorted(
        counterparties.results().values(),
        key=lambda r: (r.party.id if r.party is not None and r.party.id else "", r.name),
    )
    return [apply_decisions(r, decisions, now=now) for r in results]
