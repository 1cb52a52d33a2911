"""Review workflow: decisions on hits, suppression, the audit trail, ownership screening."""

from compliance.review.audit import AuditEvent, AuditLog, AuditRecord, VerifyReport
from compliance.review.decisions import Decision, DecisionStore, Verdict, decide
from compliance.review.fingerprint import HitKey, hit_key, party_fingerprint
from compliance.review.ownership import (
    OwnershipEdge,
    OwnershipGraph,
    OwnershipReport,
    OwnershipSettings,
    listed_owners,
    read_ownership_csv,
    screen_ownership,
)
from compliance.review.suppression import HitState, ReviewedHit, ReviewedResult, apply_decisions

__all__ = [
    "AuditEvent",
    "AuditLog",
    "AuditRecord",
    "Decision",
    "DecisionStore",
    "HitKey",
    "HitState",
    "OwnershipEdge",
    "OwnershipGraph",
    "OwnershipReport",
    "OwnershipSettings",
    "ReviewedHit",
    "ReviewedResult",
    "Verdict",
    "VerifyReport",
    "apply_decisions",
    "decide",
    "hit_key",
    "listed_owners",
    "party_fingerprint",
    "read_ownership_csv",
    "screen_ownership",
]
