"""Review workflow: decisions on hits, suppression, the audit trail, ownership screening."""

from compliance.review.audit import (
    Anchor,
    AuditEvent,
    AuditLog,
    AuditRecord,
    Finding,
    VerifyReport,
    verify_jsonl,
)
from compliance.review.checkpoint import Checkpoint, take_checkpoint
from compliance.review.decisions import (
    Decision,
    DecisionNotVerifiable,
    DecisionStore,
    Verdict,
    decide,
)
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
from compliance.review.recorded import RecordedRun, find_hit, recorded_run
from compliance.review.suppression import (
    DecisionsApplied,
    HitState,
    ReviewedHit,
    ReviewedResult,
    apply_decisions,
    apply_decisions_many,
    apply_recorded_decisions,
)
from compliance.review.verify import verify_store

__all__ = [
    "Anchor",
    "AuditEvent",
    "AuditLog",
    "AuditRecord",
    "Checkpoint",
    "Decision",
    "DecisionNotVerifiable",
    "DecisionStore",
    "DecisionsApplied",
    "Finding",
    "HitKey",
    "HitState",
    "OwnershipEdge",
    "OwnershipGraph",
    "OwnershipReport",
    "OwnershipSettings",
    "RecordedRun",
    "ReviewedHit",
    "ReviewedResult",
    "Verdict",
    "VerifyReport",
    "apply_decisions",
    "apply_decisions_many",
    "apply_recorded_decisions",
    "decide",
    "find_hit",
    "hit_key",
    "listed_owners",
    "party_fingerprint",
    "read_ownership_csv",
    "recorded_run",
    "screen_ownership",
    "take_checkpoint",
    "verify_jsonl",
    "verify_store",
]
